// EmulatedTape at the transport level: the SCSI answers themselves (core's view is in
// packages/core/test/tape.test.ts).
import {
  buildInquiry,
  buildReportSupportedOperationCodes,
  buildRewind,
  buildTapeRead6,
  buildTapeWrite6,
  decodeSense,
  decodeStandardInquiry,
  decodeSupportedOpcodesAll,
} from '@scsikit/cdb';
import { describe, expect, it } from 'vitest';
import { buildSense, EmulatedDiskOptionsError, EmulatedTape } from '../src/index.js';

describe('EmulatedTape', () => {
  it('reports peripheral type 1 in INQUIRY and in the transport capabilities', async () => {
    const tape = new EmulatedTape();
    expect(tape.capabilities.peripheralType).toBe(1);
    const spec = buildInquiry();
    const r = await tape.execute({ cdb: spec.cdb, direction: 'in', transferLength: spec.transferLength });
    expect(decodeStandardInquiry(r.data).peripheralDeviceType).toBe(1);
    await tape.close();
  });

  it('REPORT SUPPORTED OPERATION CODES lists the SSC commands, and no SBC command', async () => {
    const tape = new EmulatedTape();
    const spec = buildReportSupportedOperationCodes({ mode: 'all', allocationLength: 8192 });
    const r = await tape.execute({ cdb: spec.cdb, direction: 'in', transferLength: spec.transferLength });
    const ops = decodeSupportedOpcodesAll(r.data).commands.map((c) => c.operationCode);
    for (const op of [0x01, 0x05, 0x08, 0x0a, 0x10, 0x11, 0x19, 0x1b, 0x2b, 0x34, 0x44, 0x80, 0x91, 0x92]) {
      expect(ops, op.toString(16)).toContain(op);
    }
    for (const op of [0x25, 0x28, 0x2a, 0x35, 0x88, 0x8a]) expect(ops, op.toString(16)).not.toContain(op);
    expect(tape.recorder.last()?.name).toBe('REPORT SUPPORTED OPERATION CODES');
    await tape.close();
  });

  it('a read at a filemark: NO SENSE, FILEMARK, VALID, INFORMATION = the length, no data', async () => {
    const tape = new EmulatedTape();
    const w = buildTapeWrite6({ fixed: false, length: 16 });
    await tape.execute({ cdb: w.cdb, direction: 'out', data: new Uint8Array(16) });
    await tape.execute({ cdb: Uint8Array.from([0x10, 0, 0, 0, 1, 0]), direction: 'none' });
    await tape.execute({ cdb: buildRewind().cdb, direction: 'none' });
    const rd = buildTapeRead6({ fixed: false, length: 64, sili: true });
    const first = await tape.execute({ cdb: rd.cdb, direction: 'in', transferLength: 64 });
    expect(first).toMatchObject({ status: 0, residual: 48 });
    const fm = await tape.execute({ cdb: rd.cdb, direction: 'in', transferLength: 64 });
    expect(fm.status).toBe(2);
    expect(fm.residual).toBe(64);
    expect(decodeSense(fm.sense)).toMatchObject({
      senseKey: 0,
      asc: 0,
      ascq: 1,
      filemark: true,
      valid: true,
      information: 64n,
    });
    expect(tape.position).toBe(2);
    await tape.close();
  });

  it('checks reserved CDB bits and the fixed/variable mode of READ(6)', async () => {
    const tape = new EmulatedTape();
    const bad = await tape.execute({ cdb: Uint8Array.from([0x01, 0x02, 0, 0, 0, 0]), direction: 'none' });
    expect(decodeSense(bad.sense)).toMatchObject({ senseKey: 5, asc: 0x24 });
    // FIXED=1 while the block descriptor says variable mode (BLOCK LENGTH 0): INVALID FIELD IN CDB.
    const fixed = await tape.execute({
      cdb: Uint8Array.from([0x08, 0x01, 0, 0, 1, 0]),
      direction: 'in',
      transferLength: 512,
    });
    expect(decodeSense(fixed.sense)).toMatchObject({ senseKey: 5, asc: 0x24 });
    await tape.close();
  });

  it('descriptor-format sense carries the stream bits in a stream commands descriptor; negative INFORMATION', () => {
    const stream = { key: 0, asc: 0, ascq: 1, information: -60, stream: 0xa0 };
    expect(decodeSense(buildSense(stream, true))).toMatchObject({
      format: 'descriptor',
      filemark: true,
      ili: true,
      eom: false,
      information: (1n << 64n) - 60n,
    });
    expect(decodeSense(buildSense(stream, false))).toMatchObject({
      format: 'fixed',
      filemark: true,
      ili: true,
      information: (1n << 32n) - 60n,
    });
  });

  it('validates its options', () => {
    expect(() => new EmulatedTape({ blockLength: 10, minBlockLength: 512 })).toThrow(
      EmulatedDiskOptionsError,
    );
    expect(() => new EmulatedTape({ tapeAlerts: [65] })).toThrow(EmulatedDiskOptionsError);
    expect(() => new EmulatedTape().raiseTapeAlert(0)).toThrow(RangeError);
  });
});
