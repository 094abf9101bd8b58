import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ascAscqDescription,
  cdbServiceAction,
  driverByteDescription,
  driverByteName,
  hasServiceAction,
  hostByteDescription,
  hostByteName,
  opcodeName,
  SAM_STATUS,
  SENSE_KEY,
  samStatusName,
  senseKeyName,
  serviceActionField,
} from '../src/names.js';
import { T10_ASC_ASCQ, T10_OPCODES, T10_SERVICE_ACTIONS } from '../src/spec/t10-tables.generated.js';

describe('senseKeyName (SPC-6 Table 52)', () => {
  it('names all 16 sense keys', () => {
    expect(Array.from({ length: 16 }, (_, k) => senseKeyName(k))).toEqual([
      'NO SENSE',
      'RECOVERED ERROR',
      'NOT READY',
      'MEDIUM ERROR',
      'HARDWARE ERROR',
      'ILLEGAL REQUEST',
      'UNIT ATTENTION',
      'DATA PROTECT',
      'BLANK CHECK',
      'VENDOR SPECIFIC',
      'COPY ABORTED',
      'ABORTED COMMAND',
      'OBSOLETE',
      'VOLUME OVERFLOW',
      'MISCOMPARE',
      'COMPLETED',
    ]);
    expect(senseKeyName(SENSE_KEY.ILLEGAL_REQUEST)).toBe('ILLEGAL REQUEST');
    expect(senseKeyName(0x10)).toBe('INVALID SENSE KEY 10h');
  });
});

describe('ascAscqDescription', () => {
  it('reaches every one of the 764 table entries', () => {
    let reached = 0;
    for (const [code, text] of T10_ASC_ASCQ) {
      expect(ascAscqDescription(code >> 8, code & 0xff)).toBe(text);
      reached++;
    }
    expect(reached).toBe(764);
  });

  it('knows common codes', () => {
    expect(ascAscqDescription(0x21, 0x00)).toBe('Logical block address out of range');
    expect(ascAscqDescription(0x24, 0x00)).toBe('Invalid field in cdb');
    expect(ascAscqDescription(0x04, 0x04)).toBe('Logical unit not ready, format in progress');
    expect(ascAscqDescription(0x29, 0x00)).toBe('Power on, reset, or bus device reset occurred');
  });

  it('renders range rules with %x as unpadded lowercase hex, as sg3_utils printf does', () => {
    expect(ascAscqDescription(0x40, 0x85)).toBe('Diagnostic failure on component [0x85]');
    expect(ascAscqDescription(0x40, 0x80)).toBe('Diagnostic failure on component [0x80]');
    expect(ascAscqDescription(0x40, 0xff)).toBe('Diagnostic failure on component [0xff]');
    expect(ascAscqDescription(0x40, 0x01)).toBe('Ram failure [0x1]');
    expect(ascAscqDescription(0x40, 0x7f)).toBe('Ram failure [0x7f]');
    expect(ascAscqDescription(0x41, 0x0a)).toBe('Data path failure [0xa]');
    expect(ascAscqDescription(0x42, 0x01)).toBe('Power-on or self-test failure [0x1]');
    expect(ascAscqDescription(0x4d, 0x00)).toBe('Tagged overlapped commands [0x0]');
    expect(ascAscqDescription(0x70, 0xab)).toBe('Decompression exception short algorithm id of 0xab');
    // The exact row wins where one exists (40h/00h is outside the 01h-7Fh rule anyway).
    expect(ascAscqDescription(0x40, 0x00)).toBe('Ram failure (should use 40 nn)');
  });

  it('falls back to vendor specific / reserved texts', () => {
    expect(ascAscqDescription(0x80, 0x01)).toBe('ASC=80h ASCQ=01h (vendor specific)');
    expect(ascAscqDescription(0xff, 0xff)).toBe('ASC=FFh ASCQ=FFh (vendor specific)');
    expect(ascAscqDescription(0x21, 0x85)).toBe('ASC=21h ASCQ=85h (vendor specific qualifier)');
    expect(ascAscqDescription(0x7e, 0x00)).toBe('ASC=7Eh ASCQ=00h (reserved)');
  });

  it('never throws for any byte pair', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), (a, q) => {
        expect(ascAscqDescription(a, q).length).toBeGreaterThan(0);
      }),
    );
  });
});

describe('samStatusName (SAM-6)', () => {
  it('names every status', () => {
    expect(samStatusName(0x00)).toBe('GOOD');
    expect(samStatusName(0x02)).toBe('CHECK CONDITION');
    expect(samStatusName(0x04)).toBe('CONDITION MET');
    expect(samStatusName(0x08)).toBe('BUSY');
    expect(samStatusName(0x10)).toBe('INTERMEDIATE');
    expect(samStatusName(0x14)).toBe('INTERMEDIATE-CONDITION MET');
    expect(samStatusName(0x18)).toBe('RESERVATION CONFLICT');
    expect(samStatusName(0x22)).toBe('COMMAND TERMINATED');
    expect(samStatusName(0x28)).toBe('TASK SET FULL');
    expect(samStatusName(0x30)).toBe('ACA ACTIVE');
    expect(samStatusName(SAM_STATUS.TASK_ABORTED)).toBe('TASK ABORTED');
    expect(samStatusName(0x01)).toBe('RESERVED [01h]');
  });
});

describe('Linux host and driver bytes', () => {
  it('names host bytes as include/scsi/scsi_status.h does', () => {
    const names = [
      'DID_OK',
      'DID_NO_CONNECT',
      'DID_BUS_BUSY',
      'DID_TIME_OUT',
      'DID_BAD_TARGET',
      'DID_ABORT',
      'DID_PARITY',
      'DID_ERROR',
      'DID_RESET',
      'DID_BAD_INTR',
      'DID_PASSTHROUGH',
      'DID_SOFT_ERROR',
      'DID_IMM_RETRY',
      'DID_REQUEUE',
      'DID_TRANSPORT_DISRUPTED',
      'DID_TRANSPORT_FAILFAST',
      'DID_TARGET_FAILURE',
      'DID_NEXUS_FAILURE',
      'DID_ALLOC_FAILURE',
      'DID_MEDIUM_ERROR',
      'DID_TRANSPORT_MARGINAL',
    ];
    names.forEach((n, i) => {
      expect(hostByteName(i)).toBe(n);
      expect(hostByteDescription(i).length).toBeGreaterThan(5);
    });
    expect(hostByteDescription(0x10)).toMatch(/older kernels/);
    expect(hostByteName(0x15)).toBe('DID_UNKNOWN [15h]');
  });

  it('names driver bytes, with the old suggestion nibble', () => {
    expect(driverByteName(0)).toBe('DRIVER_OK');
    expect(driverByteName(0x08)).toBe('DRIVER_SENSE');
    expect(driverByteName(0x06)).toBe('DRIVER_TIMEOUT');
    expect(driverByteName(0x28)).toBe('DRIVER_SENSE|SUGGEST_ABORT');
    expect(driverByteName(0x88)).toBe('DRIVER_SENSE|SUGGEST_SENSE');
    expect(driverByteName(0x0f)).toBe('DRIVER_UNKNOWN [0Fh]');
    expect(driverByteDescription(0x08)).toBe('Sense data is available');
  });
});

describe('opcodeName', () => {
  it('gives T10 names in uppercase', () => {
    expect(opcodeName(0x00)).toBe('TEST UNIT READY');
    expect(opcodeName(0x12)).toBe('INQUIRY');
    expect(opcodeName(0x28)).toBe('READ(10)');
    expect(opcodeName(0x88)).toBe('READ(16)');
    expect(opcodeName(0x8a)).toBe('WRITE(16)');
    expect(opcodeName(0xa0)).toBe('REPORT LUNS');
    expect(opcodeName(0x35)).toBe('SYNCHRONIZE CACHE(10)');
    expect(opcodeName(0x85)).toBe('ATA PASS-THROUGH(16)');
  });

  it('resolves service actions', () => {
    expect(opcodeName(0x9e, 0x10)).toBe('READ CAPACITY(16)');
    expect(opcodeName(0x9e, 0x12)).toBe('GET LBA STATUS(16)');
    expect(opcodeName(0xa3, 0x0c)).toBe('REPORT SUPPORTED OPERATION CODES');
    expect(opcodeName(0xa3, 0x0a)).toBe('REPORT TARGET PORT GROUPS');
    expect(opcodeName(0x7f, 0x09)).toBe('READ(32)');
    expect(opcodeName(0x7f, 0x1ff0)).toBe('ATA PASS-THROUGH(32)');
    expect(opcodeName(0x83, 0x00)).toBe('EXTENDED COPY(LID1)');
    expect(opcodeName(0x95, 0x00)).toBe('REPORT ZONES');
    expect(opcodeName(0x94, 0x04)).toBe('RESET WRITE POINTER');
  });

  it('qualifies commands whose service actions are sub-functions', () => {
    expect(opcodeName(0x5e, 0)).toBe('PERSISTENT RESERVE IN (READ KEYS)');
    expect(opcodeName(0x5f, 0x07)).toBe('PERSISTENT RESERVE OUT (REGISTER AND MOVE)');
    expect(opcodeName(0x48, 0x03)).toBe('SANITIZE (CRYPTOGRAPHIC ERASE)');
    expect(opcodeName(0x3c, 0x02)).toBe('READ BUFFER(10) (DATA)');
    expect(opcodeName(0x8c, 0x00)).toBe('READ ATTRIBUTE (ATTRIBUTE VALUES)');
  });

  it('shows unknown service actions in hex and ignores them for opcodes without one', () => {
    expect(opcodeName(0x9e, 0x1f)).toBe('SERVICE ACTION IN(16) (SERVICE ACTION 1Fh)');
    expect(opcodeName(0x7f, 0x1234)).toBe('VARIABLE LENGTH (SERVICE ACTION 1234h)');
    expect(opcodeName(0x28, 5)).toBe('READ(10)');
  });

  it('picks names by peripheral device type', () => {
    expect(opcodeName(0x01)).toBe('REZERO UNIT');
    expect(opcodeName(0x01, undefined, 1)).toBe('REWIND');
    expect(opcodeName(0x08, undefined, 3)).toBe('RECEIVE');
    expect(opcodeName(0x0a, undefined, 2)).toBe('PRINT');
    expect(opcodeName(0x07, undefined, 8)).toBe('INITIALIZE ELEMENT STATUS');
    expect(opcodeName(0xa3, undefined, 5)).toBe('SEND KEY');
    expect(opcodeName(0xa3, 0x0c, 5)).toBe('SEND KEY');
    expect(opcodeName(0x34)).toBe('PRE-FETCH(10)');
    expect(opcodeName(0x34, 0x06, 1)).toBe('READ POSITION (LONG FORM)');
    // ZBC (14h) shares the disk rows; optical (07h) decays to disk; ADC (12h) has rows of its own.
    expect(opcodeName(0x04, undefined, 0x14)).toBe('FORMAT UNIT');
    expect(opcodeName(0x08, undefined, 0x07)).toBe('READ(6)');
    expect(opcodeName(0xa3, 0x00, 0x12)).toBe('REPORT AUTOMATION DEVICE ATTRIBUTES');
    expect(opcodeName(0xa3, 0x1d, 0x00)).toBe('REPORT PROVISIONING INITIALIZATION PATTERN');
    expect(opcodeName(0xa3, 0x1d, 0x01)).toBe('RECEIVE RECOMMENDED ACCESS ORDER');
    // SES (0Dh) has no rows of its own: the first (default) row applies.
    expect(opcodeName(0x1c, undefined, 0x0d)).toBe('RECEIVE DIAGNOSTIC RESULTS');
  });

  it('names vendor specific and unassigned opcodes', () => {
    expect(opcodeName(0xc5)).toBe('VENDOR SPECIFIC [C5h]');
    expect(opcodeName(0x62)).toBe('UNKNOWN OPCODE [62h]');
  });

  it('names every table row without throwing', () => {
    for (const [op] of T10_OPCODES) expect(opcodeName(op)).not.toMatch(/UNKNOWN|VENDOR/);
    for (const [op, sa] of T10_SERVICE_ACTIONS) {
      const pdt = op === 0x34 ? 1 : undefined;
      expect(opcodeName(op, sa, pdt)).not.toMatch(/SERVICE ACTION [0-9A-F]+h/);
    }
  });
});

describe('service action location', () => {
  it('knows which opcodes carry one and where', () => {
    expect(serviceActionField(0x7f)).toEqual({ offset: 8, bits: 16 });
    for (const op of [
      0x9e, 0x9f, 0xa3, 0xa4, 0x5e, 0x5f, 0x83, 0x84, 0x8c, 0x94, 0x95, 0x48, 0xa9, 0xab, 0x3b, 0x3c,
    ]) {
      expect(serviceActionField(op)).toEqual({ offset: 1, bits: 5 });
    }
    expect(hasServiceAction(0x28)).toBe(false);
    expect(hasServiceAction(0x8d)).toBe(false);
    expect(hasServiceAction(0x34)).toBe(false);
    expect(hasServiceAction(0x34, 1)).toBe(true);
    expect(hasServiceAction(0xa3, 5)).toBe(false);
  });

  it('reads the service action out of a CDB', () => {
    expect(cdbServiceAction(new Uint8Array([0x9e, 0xf0, 0, 0]))).toBe(0x10);
    const v = new Uint8Array(32);
    v[0] = 0x7f;
    v[8] = 0x00;
    v[9] = 0x0b;
    expect(cdbServiceAction(v)).toBe(0x0b);
    expect(cdbServiceAction(new Uint8Array([0x7f, 0, 0, 0, 0, 0, 0, 0, 0]))).toBeUndefined();
    expect(cdbServiceAction(new Uint8Array([0x28]))).toBeUndefined();
    expect(cdbServiceAction(new Uint8Array([]))).toBeUndefined();
  });
});
