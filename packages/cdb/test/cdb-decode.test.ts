import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCdb } from '../src/cdb-decode.js';
import { DecodeError } from '../src/errors.js';
import { expectDecodeError } from './helpers.js';

const cdb = (...b: number[]) => new Uint8Array(b);

describe('decodeCdb: SBC data commands', () => {
  it('READ(16) (SBC-5 Table 85): LBA, transfer length, flags', () => {
    const d = decodeCdb(cdb(0x88, 0x28, 0, 0, 0, 0x01, 0x23, 0x45, 0x67, 0x89, 0, 0, 0x01, 0x00, 0x05, 0x00));
    expect(d).toEqual({
      opcode: 0x88,
      name: 'READ(16)',
      group: 4,
      length: 16,
      fields: {
        control: 0,
        rdprotect: 1,
        dpo: false,
        fua: true,
        lba: 0x0123456789n,
        groupNumber: 5,
        transferLength: 256,
      },
    });
  });

  it('WRITE(10) and READ(12) (SBC-5 Tables 117, 83)', () => {
    const w = decodeCdb(cdb(0x2a, 0x18, 0xff, 0xff, 0xff, 0xfe, 0x00, 0x00, 0x08, 0x04));
    expect(w.name).toBe('WRITE(10)');
    expect(w.length).toBe(10);
    expect(w.fields).toMatchObject({
      wrprotect: 0,
      dpo: true,
      fua: true,
      lba: 0xfffffffen,
      transferLength: 8,
      control: 4,
    });
    const r = decodeCdb(cdb(0xa8, 0, 0, 0, 0x10, 0, 0, 0, 0x01, 0, 0, 0));
    expect(r.group).toBe(5);
    expect(r.fields).toMatchObject({ lba: 0x1000n, transferLength: 0x100 });
  });

  it('READ(6)/WRITE(6): 21-bit LBA, transfer length 0 means 256 blocks (SBC-5 Table 84)', () => {
    const r = decodeCdb(cdb(0x08, 0xff, 0x12, 0x34, 0x00, 0x00));
    expect(r.name).toBe('READ(6)');
    expect(r.fields).toEqual({ control: 0, lba: 0x1f1234n, transferLength: 256 });
    expect(decodeCdb(cdb(0x0a, 0, 0, 1, 8, 0)).fields.transferLength).toBe(8);
  });

  it('tape READ(6) (SSC-5): FIXED, SILI and a 24-bit transfer length', () => {
    const r = decodeCdb(cdb(0x08, 0x03, 0x00, 0x10, 0x00, 0x00), 1);
    expect(r.fields).toEqual({ control: 0, fixed: true, sili: true, transferLength: 0x1000 });
  });

  it('VERIFY(10/16) report the verification length', () => {
    const v = decodeCdb(cdb(0x2f, 0x02, 0, 0, 0, 0x20, 0, 0, 0x10, 0));
    expect(v.fields).toMatchObject({ vrprotect: 0, bytchk: 1, lba: 0x20n, verificationLength: 16 });
    const v16 = decodeCdb(cdb(0x8f, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0));
    expect(v16.fields).toMatchObject({ lba: 1n, verificationLength: 2 });
  });

  it('WRITE SAME(10/16) and SYNCHRONIZE CACHE(10/16)', () => {
    const ws = decodeCdb(cdb(0x93, 0x09, 0, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 0x10, 0, 0, 0));
    expect(ws.name).toBe('WRITE SAME(16)');
    expect(ws.fields).toMatchObject({
      unmap: true,
      ndob: true,
      anchor: false,
      lba: 0x40n,
      numberOfLogicalBlocks: 0x1000,
    });
    const ws10 = decodeCdb(cdb(0x41, 0x08, 0, 0, 0, 1, 0, 0, 2, 0));
    expect(ws10.fields).toMatchObject({ unmap: true, lba: 1n, numberOfLogicalBlocks: 2 });
    const sc = decodeCdb(cdb(0x35, 0x02, 0, 0, 0, 0, 0, 0, 0, 0));
    expect(sc.name).toBe('SYNCHRONIZE CACHE(10)');
    expect(sc.fields).toMatchObject({ immed: true, lba: 0n, numberOfLogicalBlocks: 0 });
    const sc16 = decodeCdb(cdb(0x91, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 3, 0, 0));
    expect(sc16.fields).toMatchObject({ immed: false, lba: 9n, numberOfLogicalBlocks: 3 });
  });

  it('COMPARE AND WRITE, UNMAP, PRE-FETCH(10)', () => {
    expect(decodeCdb(cdb(0x89, 0, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 1, 0, 0)).fields).toMatchObject({
      lba: 7n,
      numberOfLogicalBlocks: 1,
    });
    const u = decodeCdb(cdb(0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0));
    expect(u.name).toBe('UNMAP');
    expect(u.fields).toEqual({ control: 0, anchor: false, groupNumber: 0, parameterListLength: 24 });
    expect(decodeCdb(cdb(0x34, 0, 0, 0, 0, 5, 0, 0, 1, 0)).fields).toMatchObject({
      lba: 5n,
      numberOfLogicalBlocks: 1,
    });
  });

  it('READ(32) / WRITE SAME(32) (SBC-5 variable length, service action in bytes 8-9)', () => {
    const b = new Uint8Array(32);
    b.set([0x7f, 0x00, 0, 0, 0, 0, 0x03, 0x18, 0x00, 0x09, 0x28]);
    b.set([0, 0, 0, 0, 0, 0, 0x10, 0x00], 12);
    b.set([0xde, 0xad, 0xbe, 0xef, 0x12, 0x34, 0xff, 0xff, 0, 0, 0, 8], 20);
    const d = decodeCdb(b);
    expect(d).toMatchObject({ opcode: 0x7f, serviceAction: 9, name: 'READ(32)', group: 3, length: 32 });
    expect(d.fields).toEqual({
      control: 0,
      additionalCdbLength: 0x18,
      groupNumber: 3,
      rdprotect: 1,
      dpo: false,
      fua: true,
      lba: 0x1000n,
      expectedInitialLogicalBlockReferenceTag: 0xdeadbeef,
      expectedLogicalBlockApplicationTag: 0x1234,
      logicalBlockApplicationTagMask: 0xffff,
      transferLength: 8,
    });
    b[9] = 0x0d;
    b[10] = 0x08;
    expect(decodeCdb(b).fields).toMatchObject({ unmap: true, numberOfLogicalBlocks: 8 });
    expect(decodeCdb(b).name).toBe('WRITE SAME(32)');
  });
});

describe('decodeCdb: SPC commands', () => {
  it('TEST UNIT READY and REQUEST SENSE', () => {
    expect(decodeCdb(cdb(0, 0, 0, 0, 0, 0))).toEqual({
      opcode: 0,
      name: 'TEST UNIT READY',
      group: 0,
      length: 6,
      fields: { control: 0 },
    });
    expect(decodeCdb(cdb(0x03, 0x01, 0, 0, 252, 0)).fields).toEqual({
      control: 0,
      desc: true,
      allocationLength: 252,
    });
  });

  it('INQUIRY (SPC-6 Table 206): EVPD, page code, 16-bit allocation length', () => {
    const d = decodeCdb(cdb(0x12, 0x01, 0x83, 0x10, 0x00, 0x00));
    expect(d.name).toBe('INQUIRY');
    expect(d.fields).toEqual({ control: 0, evpd: true, pageCode: 0x83, allocationLength: 0x1000 });
  });

  it('MODE SENSE(6/10), MODE SELECT(6/10)', () => {
    expect(decodeCdb(cdb(0x1a, 0x08, 0x7f, 0xff, 0xfc, 0)).fields).toEqual({
      control: 0,
      dbd: true,
      pc: 1,
      pageCode: 0x3f,
      subpageCode: 0xff,
      allocationLength: 252,
    });
    expect(decodeCdb(cdb(0x5a, 0x10, 0x08, 0, 0, 0, 0, 0x10, 0x00, 0)).fields).toMatchObject({
      llbaa: true,
      dbd: false,
      pc: 0,
      pageCode: 8,
      allocationLength: 4096,
    });
    expect(decodeCdb(cdb(0x15, 0x11, 0, 0, 28, 0)).fields).toMatchObject({
      pf: true,
      sp: true,
      parameterListLength: 28,
    });
    expect(decodeCdb(cdb(0x55, 0x10, 0, 0, 0, 0, 0, 0, 36, 0)).fields).toMatchObject({
      pf: true,
      parameterListLength: 36,
    });
  });

  it('LOG SENSE / LOG SELECT (SPC-6 Tables 198, 196)', () => {
    const d = decodeCdb(cdb(0x4d, 0x00, 0x4d, 0x00, 0, 0x00, 0x01, 0x02, 0x00, 0));
    expect(d.name).toBe('LOG SENSE');
    expect(d.fields).toEqual({
      control: 0,
      sp: false,
      pc: 1,
      pageCode: 0x0d,
      subpageCode: 0,
      parameterPointer: 1,
      allocationLength: 0x200,
    });
    expect(decodeCdb(cdb(0x4c, 0x02, 0xc0, 0, 0, 0, 0, 0, 0, 0)).fields).toMatchObject({ pcr: true, pc: 3 });
  });

  it('REPORT LUNS, READ CAPACITY(10), READ CAPACITY(16)', () => {
    expect(decodeCdb(cdb(0xa0, 0, 0x02, 0, 0, 0, 0, 0, 0x10, 0, 0, 0))).toMatchObject({
      name: 'REPORT LUNS',
      length: 12,
      fields: { selectReport: 2, allocationLength: 4096 },
    });
    expect(decodeCdb(cdb(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0)).fields).toEqual({
      control: 0,
      lba: 0n,
      pmi: false,
    });
    const rc16 = decodeCdb(cdb(0x9e, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0));
    expect(rc16).toMatchObject({ serviceAction: 0x10, name: 'READ CAPACITY(16)' });
    expect(rc16.fields).toEqual({ control: 0, allocationLength: 32, lba: 0n, pmi: false });
  });

  it('PERSISTENT RESERVE IN/OUT (SPC-6 Tables 222, 232)', () => {
    const i = decodeCdb(cdb(0x5e, 0x01, 0, 0, 0, 0, 0, 0x20, 0x00, 0));
    expect(i).toMatchObject({ serviceAction: 1, name: 'PERSISTENT RESERVE IN (READ RESERVATION)' });
    expect(i.fields).toEqual({ control: 0, allocationLength: 0x2000 });
    const o = decodeCdb(cdb(0x5f, 0x01, 0x05, 0, 0, 0, 0, 0, 24, 0));
    expect(o).toMatchObject({ serviceAction: 1, name: 'PERSISTENT RESERVE OUT (RESERVE)' });
    expect(o.fields).toEqual({ control: 0, scope: 0, type: 5, parameterListLength: 24 });
  });

  it('MAINTENANCE IN: REPORT SUPPORTED OPERATION CODES (SPC-6 Table 258)', () => {
    const d = decodeCdb(cdb(0xa3, 0x0c, 0x02, 0x9e, 0x00, 0x10, 0, 0, 0x02, 0x00, 0, 0));
    expect(d).toMatchObject({ serviceAction: 0x0c, name: 'REPORT SUPPORTED OPERATION CODES' });
    expect(d.fields).toEqual({
      control: 0,
      reportingOptions: 2,
      requestedOperationCode: 0x9e,
      requestedServiceAction: 0x10,
      allocationLength: 0x200,
    });
    // On an MMC device A3h is SEND KEY and has no service action.
    const mmc = decodeCdb(cdb(0xa3, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 5);
    expect(mmc.name).toBe('SEND KEY');
    expect('serviceAction' in mmc).toBe(false);
  });

  it('READ/WRITE BUFFER, SEND/RECEIVE DIAGNOSTIC, SECURITY PROTOCOL IN, SANITIZE', () => {
    expect(decodeCdb(cdb(0x3c, 0x02, 0x01, 0, 0x10, 0, 0, 0x10, 0, 0))).toMatchObject({
      name: 'READ BUFFER(10) (DATA)',
      fields: { mode: 2, bufferId: 1, bufferOffset: 0x1000n, allocationLength: 0x1000 },
    });
    expect(decodeCdb(cdb(0x3b, 0x07, 0, 0, 0, 0, 0, 0x02, 0, 0)).fields).toMatchObject({
      mode: 7,
      parameterListLength: 0x200,
    });
    expect(decodeCdb(cdb(0x1d, 0x04, 0, 0, 0, 0)).fields).toMatchObject({
      selfTest: true,
      parameterListLength: 0,
    });
    expect(decodeCdb(cdb(0x1c, 0x01, 0x00, 0x01, 0x00, 0)).fields).toMatchObject({
      pcv: true,
      allocationLength: 256,
    });
    expect(decodeCdb(cdb(0xa2, 0xef, 0x00, 0x01, 0x80, 0, 0, 0, 2, 0, 0, 0)).fields).toMatchObject({
      securityProtocol: 0xef,
      securityProtocolSpecific: 1,
      inc512: true,
      allocationLength: 0x200,
    });
    expect(decodeCdb(cdb(0x48, 0xa1, 0, 0, 0, 0, 0, 0, 12, 0))).toMatchObject({
      serviceAction: 1,
      name: 'SANITIZE (OVERWRITE)',
      fields: { immed: true, ause: true, parameterListLength: 12 },
    });
  });

  it('START STOP UNIT, PREVENT ALLOW MEDIUM REMOVAL, FORMAT UNIT', () => {
    expect(decodeCdb(cdb(0x1b, 0x01, 0, 0, 0x13, 0)).fields).toEqual({
      control: 0,
      immed: true,
      powerCondition: 1,
      loej: true,
      start: true,
    });
    expect(decodeCdb(cdb(0x1e, 0, 0, 0, 1, 0)).fields).toEqual({ control: 0, prevent: 1 });
    expect(decodeCdb(cdb(0x04, 0xd8, 0, 0, 0, 0)).fields).toMatchObject({
      fmtpinfo: 3,
      longlist: false,
      fmtdata: true,
      cmplst: true,
      defectListFormat: 0,
    });
  });
});

describe('decodeCdb: ZBC and SAT', () => {
  it('ZBC IN REPORT ZONES / ZBC OUT RESET WRITE POINTER (ZBC-2)', () => {
    const rz = decodeCdb(cdb(0x95, 0x00, 0, 0, 0, 0, 0, 0x08, 0, 0, 0, 0, 0x10, 0, 0x80, 0));
    expect(rz).toMatchObject({ serviceAction: 0, name: 'REPORT ZONES' });
    expect(rz.fields).toEqual({
      control: 0,
      lba: 0x80000n,
      allocationLength: 0x1000,
      partial: true,
      reportingOptions: 0,
    });
    const rwp = decodeCdb(cdb(0x94, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0), 0x14);
    expect(rwp).toMatchObject({ name: 'RESET WRITE POINTER', fields: { all: true, zoneCount: 0 } });
  });

  it('ATA PASS-THROUGH(16) (SAT-5 Table 141): IDENTIFY DEVICE', () => {
    const d = decodeCdb(cdb(0x85, 0x08, 0x0e, 0, 0, 0, 0x01, 0, 0, 0, 0, 0, 0, 0x40, 0xec, 0));
    expect(d.name).toBe('ATA PASS-THROUGH(16)');
    expect(d.fields).toEqual({
      control: 0,
      multipleCount: 0,
      protocol: 4,
      offLine: 0,
      ckCond: false,
      tType: false,
      tDir: true,
      byteBlock: true,
      tLength: 2,
      extend: false,
      features: 0,
      count: 1,
      ataLba: 0,
      device: 0x40,
      command: 0xec,
    });
    const lba = decodeCdb(cdb(0x85, 0x09, 0, 0, 0, 0, 0, 0x12, 0x78, 0x9a, 0x56, 0xbc, 0x34, 0x40, 0x25, 0));
    expect(lba.fields.ataLba).toBe(0xbc9a12345678);
  });

  it('ATA PASS-THROUGH(12) (SAT-5 Table 140)', () => {
    const d = decodeCdb(cdb(0xa1, 0x08, 0x0e, 0x00, 0x01, 0x78, 0x56, 0x34, 0xe0, 0xec, 0, 0));
    expect(d.fields).toMatchObject({ protocol: 4, count: 1, ataLba: 0x345678, device: 0xe0, command: 0xec });
  });
});

describe('decodeCdb: lengths and errors', () => {
  it('reports group and expected length per opcode group', () => {
    expect(decodeCdb(new Uint8Array(6)).length).toBe(6);
    expect(decodeCdb(cdb(0x28, 0, 0, 0, 0, 0, 0, 0, 0, 0)).group).toBe(1);
    expect(decodeCdb(cdb(0x4d, 0, 0, 0, 0, 0, 0, 0, 0, 0)).group).toBe(2);
  });

  it('takes vendor specific and reserved CDBs at their given length', () => {
    const v = decodeCdb(cdb(0xc5, 1, 2, 3, 4, 5, 6, 7));
    expect(v).toEqual({
      opcode: 0xc5,
      name: 'VENDOR SPECIFIC [C5h]',
      group: 6,
      length: 8,
      fields: { control: 7 },
    });
    expect(decodeCdb(cdb(0x62, 0, 0, 0, 0, 0, 0, 0, 0, 0)).name).toBe('UNKNOWN OPCODE [62h]');
    expectDecodeError(() => decodeCdb(cdb(0xc5, 1, 2)), 'cdb');
  });

  it('rejects a CDB whose length does not match its opcode', () => {
    expectDecodeError(() => decodeCdb(new Uint8Array(0)), 'opcode');
    expectDecodeError(() => decodeCdb(cdb(0x88, 0, 0, 0, 0, 0, 0, 0, 0, 0)), 'cdb');
    expectDecodeError(() => decodeCdb(cdb(0x00, 0, 0, 0, 0, 0, 0)), 'cdb');
    expectDecodeError(() => decodeCdb(cdb(0x28, 0, 0, 0, 0, 0)), 'cdb');
    expectDecodeError(() => decodeCdb(new Uint8Array(16).fill(0xa8, 0, 1)), 'cdb');
  });

  it('checks the variable-length CDB against ADDITIONAL CDB LENGTH', () => {
    const b = new Uint8Array(32);
    b[0] = 0x7f;
    b[7] = 0x18;
    expect(decodeCdb(b).length).toBe(32);
    expectDecodeError(() => decodeCdb(b.slice(0, 31)), 'cdb');
    expectDecodeError(() => decodeCdb(b.slice(0, 6)), 'additionalCdbLength');
    const tiny = new Uint8Array(8);
    tiny[0] = 0x7f;
    expectDecodeError(() => decodeCdb(tiny), 'additionalCdbLength');
  });

  it('accepts ArrayBuffer input', () => {
    expect(decodeCdb(new Uint8Array([0x12, 0, 0, 0, 36, 0]).buffer).fields.allocationLength).toBe(36);
  });
});

describe('decodeCdb: property tests', () => {
  it('random bytes either decode or throw DecodeError', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 40 }),
        fc.option(fc.integer({ min: 0, max: 0x1f }), { nil: undefined }),
        (b, pdt) => {
          try {
            const d = decodeCdb(b, pdt);
            expect(d.length).toBe(b.length);
          } catch (e) {
            if (!(e instanceof DecodeError)) throw e;
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('a CDB of the right length for its group always decodes', () => {
    const lengthOf = (op: number) => [6, 10, 10, 0, 16, 12][op >> 5] ?? 0;
    const opcode = fc.integer({ min: 0, max: 0xbf }).filter((op) => lengthOf(op) !== 0);
    fc.assert(
      fc.property(
        opcode.chain((op) =>
          fc
            .uint8Array({ minLength: lengthOf(op) - 1, maxLength: lengthOf(op) - 1 })
            .map((rest) => [op, ...rest]),
        ),
        fc.option(fc.integer({ min: 0, max: 0x1f }), { nil: undefined }),
        (bytes, pdt) => {
          const d = decodeCdb(new Uint8Array(bytes), pdt);
          expect(d.opcode).toBe(bytes[0]);
          expect(d.name.length).toBeGreaterThan(0);
          expect(d.fields.control).toBe(bytes[bytes.length - 1]);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('well-formed variable-length CDBs always decode', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 63 }),
        fc.uint8Array({ minLength: 260, maxLength: 260 }),
        (n, fill) => {
          const len = 8 + n * 4;
          const b = fill.slice(0, len);
          b[0] = 0x7f;
          b[7] = len - 8;
          const d = decodeCdb(b);
          expect(d.length).toBe(len);
          expect(d.serviceAction).toBe(((b[8] ?? 0) << 8) | (b[9] ?? 0));
        },
      ),
      { numRuns: 500 },
    );
  });
});
