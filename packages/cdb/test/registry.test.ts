import { describe, expect, it } from 'vitest';
import * as cdb from '../src/index.js';
import { COMMANDS, classifyCdb, commandForCdb, decodeCdb, findCommand, opcodeName } from '../src/index.js';
import { CDB_SAMPLES, DATA_BUILDERS, SAMPLE_PERIPHERAL_TYPE } from './builder-samples.js';

const builderNames = Object.keys(cdb)
  .filter((k) => k.startsWith('build') && typeof (cdb as Record<string, unknown>)[k] === 'function')
  .sort();

const samples = Object.entries(CDB_SAMPLES).flatMap(([builder, calls]) =>
  calls.map((call, i) => ({ label: `${builder}#${i}`, spec: call(), pdt: SAMPLE_PERIPHERAL_TYPE[builder] })),
);

const hex = (n: number) => `${n.toString(16).padStart(2, '0')}h`;

/** A device type of the entry's scope, for the T10 tables' per-type names. */
function pdtOf(e: (typeof COMMANDS)[number]): number {
  return { 'SSC-5': 0x01, 'SMC-3': 0x08, 'SES-4': 0x0d }[e.standard as string] ?? 0x00;
}

describe('command registry', () => {
  it('every build… export is either a CDB builder with samples or a parameter-data builder', () => {
    const known = new Set([...Object.keys(CDB_SAMPLES), ...DATA_BUILDERS]);
    expect(builderNames.filter((b) => !known.has(b))).toEqual([]);
    // And no stale names: every listed builder still exists.
    expect([...known].filter((b) => !builderNames.includes(b))).toEqual([]);
  });

  it('parameter-data builders return bytes, not CDBs', () => {
    for (const b of DATA_BUILDERS) expect(CDB_SAMPLES[b]).toBeUndefined();
  });

  it.each(samples)(
    '$label: its CDB has a registry entry with the same name, length and direction',
    ({ spec, pdt }) => {
      const entry = commandForCdb(spec.cdb, pdt);
      const opcode = spec.cdb[0] ?? 0;
      const sa = cdb.cdbServiceAction(spec.cdb, pdt);
      expect(
        entry,
        `${spec.name}: opcode ${hex(opcode)} service action ${sa} is not in COMMANDS`,
      ).toBeDefined();
      // A builder of a new MAINTENANCE IN action falls on the 'any' entry, whose name is not its own.
      expect(entry?.name).toBe(spec.name);
      expect(entry?.cdbLength).toBe(spec.cdb.length);
      if (spec.direction !== 'none' && entry?.direction !== 'cdb')
        expect(entry?.direction).toBe(spec.direction);
    },
  );

  it('entries are unique per scope, opcode and service action, sorted, and agree with names.ts on service actions', () => {
    const keys = COMMANDS.map((e) => `${e.standard}/${e.opcode}/${e.serviceAction ?? ''}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const standard of new Set(COMMANDS.map((e) => e.standard))) {
      const order = COMMANDS.filter((e) => e.standard === standard).map((e) => e.opcode);
      expect(order, standard).toEqual([...order].sort((a, b) => a - b));
    }
    for (const e of COMMANDS) {
      // An opcode either has service actions everywhere (names.ts knows where) or nowhere.
      expect(e.serviceAction !== undefined, e.name).toBe(cdb.hasServiceAction(e.opcode, pdtOf(e)));
    }
  });

  it('names agree with the T10 tables, apart from the qualified and LID-suffixed ones', () => {
    for (const e of COMMANDS) {
      if (typeof e.serviceAction !== 'number' && e.serviceAction !== undefined) continue;
      const t10 = opcodeName(e.opcode, e.serviceAction, pdtOf(e));
      if (e.name.endsWith('(LID4)')) expect(t10, e.name).toBe(e.name.replace('(LID4)', ''));
      else expect(t10, e.name).toBe(e.name);
    }
  });

  it('scopes: SPC commands on every device type, the others only on their own', () => {
    const inquiry = cdb.buildInquiry().cdb;
    for (const pdt of [undefined, 0x00, 0x01, 0x05, 0x08, 0x0d, 0x14]) {
      expect(commandForCdb(inquiry, pdt)?.name).toBe('INQUIRY');
    }
    expect(cdb.commandScope(0x01)).toBe('tape');
    expect(cdb.commandScope(0x08)).toBe('changer');
    expect(cdb.commandScope(0x0d)).toBe('enclosure');
    expect(cdb.commandScope(0x05)).toBe('block');
    const read10 = cdb.buildRead10({ lba: 0, blocks: 1 }).cdb;
    expect(commandForCdb(read10)?.name).toBe('READ(10)');
    expect(commandForCdb(read10, 0x05)?.name).toBe('READ(10)');
    // A disk's command is unknown to an enclosure: a non-idempotent write for the read-only guard.
    expect(commandForCdb(read10, 0x0d)).toBeUndefined();
    expect(classifyCdb(read10, 0x0d)).toEqual({ access: 'write', idempotent: false });
    expect(findCommand(0x28, undefined, 0x0d)).toBeUndefined();
    // Names of types outside the registry's still come from the T10 tables: 42h on a CD.
    expect(cdb.commandName(new Uint8Array([0x42, 0, 0, 0, 0, 0, 0, 0, 0, 0]), 0x05)).toBe('READ SUB-CHANNEL');
  });

  it("findCommand: a service action's own entry, else the opcode's 'any' entry, else nothing", () => {
    expect(findCommand(0xa3, 0x0c)?.name).toBe('REPORT SUPPORTED OPERATION CODES');
    expect(findCommand(0xa3, 0x1f)?.name).toBe('MAINTENANCE IN');
    expect(findCommand(0x9e, 0x1f)).toBeUndefined();
    expect(findCommand(0x28, 7)?.name).toBe('READ(10)');
    expect(findCommand(0xc0)).toBeUndefined();
  });

  it('classifyCdb: unknown opcodes and service actions are non-idempotent writes', () => {
    const WRITE_ONCE = { access: 'write', idempotent: false };
    expect(classifyCdb(new Uint8Array([0xc0, 0, 0, 0, 0, 0]))).toEqual(WRITE_ONCE);
    expect(classifyCdb(new Uint8Array(0))).toEqual(WRITE_ONCE);
    expect(classifyCdb(new Uint8Array([0x9e, 0x1f, ...new Uint8Array(14)]))).toEqual(WRITE_ONCE);
    expect(classifyCdb(cdb.buildReadCapacity16().cdb)).toEqual({ access: 'read', idempotent: true });
  });

  it('SYNCHRONIZE CACHE is write-class (SBC-5 and the Linux command filter), and idempotent', () => {
    for (const spec of [cdb.buildSynchronizeCache10(), cdb.buildSynchronizeCache16()]) {
      expect(classifyCdb(spec.cdb)).toEqual({ access: 'write', idempotent: true });
      expect(commandForCdb(spec.cdb)?.reservation).toBe('write');
    }
    // PRE-FETCH stays read-class: it only loads the cache, and SBC lets it run under Write Exclusive.
    expect(classifyCdb(cdb.buildPreFetch10().cdb).access).toBe('read');
  });

  it('ATA PASS-THROUGH: the entry classifies from PROTOCOL and T_DIR', () => {
    expect(classifyCdb(cdb.buildAtaIdentifyDevice().cdb).access).toBe('read');
    expect(classifyCdb(cdb.buildAtaIdentifyDevice({ cdbSize: 12 }).cdb).access).toBe('read');
    const nonData = cdb.buildAtaPassThrough16({ protocol: 'nonData', command: 0xe7 });
    expect(classifyCdb(nonData.cdb)).toEqual({ access: 'write', idempotent: false });
    expect(classifyCdb(cdb.buildAtaIdentifyDevice({ cdbSize: 32 }).cdb).access).toBe('write');
  });

  it('ATA PASS-THROUGH: SMART RETURN STATUS is read-class although non-data (smartctl -H on a read-only fd)', () => {
    const read = { access: 'read', idempotent: true };
    expect(classifyCdb(cdb.buildAtaSmartReturnStatus().cdb)).toEqual(read);
    expect(classifyCdb(cdb.buildAtaSmartReturnStatus({ cdbSize: 12 }).cdb)).toEqual(read);
    expect(classifyCdb(cdb.buildAtaSmartReturnStatus({ ckCond: false }).cdb)).toEqual(read);
    expect(classifyCdb(cdb.buildAtaSmartReadThresholds().cdb)).toEqual(read);
    // The 32-byte form stays write-class, as every ATA PASS-THROUGH(32).
    expect(classifyCdb(cdb.buildAtaSmartReturnStatus({ cdbSize: 32 }).cdb).access).toBe('write');
    // Any other non-data SMART command is a write: EXECUTE OFF-LINE (D4h), ENABLE (D8h), or the
    // same feature without the 4Fh/C2h signature, or with FEATURES(15:8) set.
    const smart = (features: number, lba = 0xc24f00, extend = false) =>
      cdb.buildAtaPassThrough16({ protocol: 'nonData', command: 0xb0, features, lba, extend }).cdb;
    expect(classifyCdb(smart(0xd4)).access).toBe('write');
    expect(classifyCdb(smart(0xd8)).access).toBe('write');
    expect(classifyCdb(smart(0xda, 0)).access).toBe('write');
    expect(classifyCdb(smart(0x01da, 0xc24f00, true)).access).toBe('write');
    expect(classifyCdb(smart(0xda)).access).toBe('read');
    // SECURITY ERASE UNIT (F4h) and FLUSH CACHE (E7h) with FEATURES DAh are still writes.
    const other = cdb.buildAtaPassThrough16({
      protocol: 'nonData',
      command: 0xe7,
      features: 0xda,
      lba: 0xc24f00,
    });
    expect(classifyCdb(other.cdb).access).toBe('write');
  });

  it('decodeCdb takes the name and length from the registry', () => {
    const rmsn = new Uint8Array([0xab, 0x01, 0, 0, 0, 0, 0, 0, 0, 0x40, 0, 0]);
    expect(decodeCdb(rmsn).name).toBe(findCommand(0xab, 0x01)?.name);
    expect(decodeCdb(cdb.buildReceiveCopyResults({ serviceAction: 'copyStatusLid4' }).cdb).name).toBe(
      'RECEIVE COPY STATUS(LID4)',
    );
    // 'any' entries keep the T10 qualifier; other device types keep their own names.
    expect(decodeCdb(cdb.buildPersistentReserveIn({ serviceAction: 'readKeys' }).cdb).name).toBe(
      'PERSISTENT RESERVE IN (READ KEYS)',
    );
    expect(decodeCdb(new Uint8Array([0x1b, 0, 0, 0, 0, 0]), 0x01).name).toBe('LOAD UNLOAD');
  });
});
