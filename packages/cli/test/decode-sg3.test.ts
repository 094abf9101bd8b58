/**
 * `scsikit sense` and `scsikit cdb` against sg_decode_sense on a corpus built here: fixed and
 * descriptor sense for all 16 sense keys, progress indications, INFORMATION, field pointers, retry
 * counts, FRU, deferred errors; CDBs from our builders. The CLI runs in process (--json); the sg3_utils
 * text is parsed with the cdb package's sg3 parsers.
 */
import { spawnSync } from 'node:child_process';
import {
  buildCompareAndWrite,
  buildFormatUnit,
  buildGetLbaStatus,
  buildInquiry,
  buildLogSense,
  buildModeSelect10,
  buildModeSense6,
  buildModeSense10,
  buildPersistentReserveIn,
  buildPrClear,
  buildPrRegister,
  buildPrReserve,
  buildRead,
  buildReadCapacity10,
  buildReadCapacity16,
  buildReportLuns,
  buildReportSupportedOperationCodes,
  buildReportZones,
  buildRequestSense,
  buildSanitize,
  buildStartStopUnit,
  buildSynchronizeCache10,
  buildSynchronizeCache16,
  buildTestUnitReady,
  buildUnmap,
  buildVerify,
  buildWrite,
  buildWriteSame10,
  buildWriteSame16,
  buildZbcOut,
  type CdbSpec,
  T10_ASC_ASCQ,
} from '@scsikit/cdb';
import { describe, expect, it } from 'vitest';
import { classifyOurDescription, classifySgAscLine, parseSgDecodeSense } from '../../cdb/test/sg3/parse.js';
import { cli, cliJson } from './helpers.js';

const SG = '/usr/bin/sg_decode_sense';

function sgDecode(args: readonly string[]): string {
  const r = spawnSync(SG, [...args], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  if (r.error !== undefined) throw r.error;
  expect(r.status, `${SG} ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

const hexArgs = (b: readonly number[]) => b.map((x) => x.toString(16).padStart(2, '0'));

// ---------------------------------------------------------------------------------------------
// The sense corpus

function fixed(o: {
  key: number;
  asc: number;
  ascq: number;
  deferred?: boolean;
  info?: number;
  fru?: number;
  sks?: readonly [number, number, number];
  ili?: boolean;
}): number[] {
  const b = new Array<number>(18).fill(0);
  b[0] = (o.info === undefined ? 0 : 0x80) | (o.deferred === true ? 0x71 : 0x70);
  b[2] = (o.ili === true ? 0x20 : 0) | o.key;
  if (o.info !== undefined) {
    b[3] = (o.info >>> 24) & 0xff;
    b[4] = (o.info >>> 16) & 0xff;
    b[5] = (o.info >>> 8) & 0xff;
    b[6] = o.info & 0xff;
  }
  b[7] = 10;
  b[12] = o.asc;
  b[13] = o.ascq;
  b[14] = o.fru ?? 0;
  if (o.sks !== undefined) [b[15], b[16], b[17]] = o.sks;
  return b;
}

const be = (v: bigint, n: number): number[] =>
  Array.from({ length: n }, (_, i) => Number((v >> BigInt(8 * (n - 1 - i))) & 0xffn));

function descriptor(o: {
  key: number;
  asc: number;
  ascq: number;
  deferred?: boolean;
  info?: bigint;
  csi?: bigint;
  sks?: readonly [number, number, number];
  fru?: number;
  anotherProgress?: readonly [key: number, asc: number, ascq: number, progress: number];
}): number[] {
  const d: number[] = [];
  if (o.info !== undefined) d.push(0x00, 0x0a, 0x80, 0, ...be(o.info, 8));
  if (o.csi !== undefined) d.push(0x01, 0x0a, 0, 0, ...be(o.csi, 8));
  if (o.sks !== undefined) d.push(0x02, 0x06, 0, 0, ...o.sks, 0);
  if (o.fru !== undefined) d.push(0x03, 0x02, 0, o.fru);
  if (o.anotherProgress !== undefined) {
    const [k, a, q, p] = o.anotherProgress;
    d.push(0x0a, 0x06, k, a, q, 0, (p >> 8) & 0xff, p & 0xff);
  }
  return [o.deferred === true ? 0x73 : 0x72, o.key, o.asc, o.ascq, 0, 0, 0, d.length, ...d];
}

/** An ASC/ASCQ T10 defines for (nearly) every key, so each key gets a realistic pair. */
const KEY_ASC: ReadonlyArray<readonly [number, number]> = [
  [0x00, 0x00], // NO SENSE
  [0x17, 0x01], // RECOVERED ERROR: recovered data with retries
  [0x04, 0x01], // NOT READY: becoming ready
  [0x11, 0x00], // MEDIUM ERROR: unrecovered read error
  [0x44, 0x00], // HARDWARE ERROR: internal target failure
  [0x24, 0x00], // ILLEGAL REQUEST: invalid field in cdb
  [0x29, 0x00], // UNIT ATTENTION: power on
  [0x27, 0x00], // DATA PROTECT: write protected
  [0x00, 0x05], // BLANK CHECK: end of data detected
  [0x80, 0x01], // VENDOR SPECIFIC: vendor ASC
  [0x0d, 0x00], // COPY ABORTED: third party device failure
  [0x47, 0x00], // ABORTED COMMAND: SCSI parity error
  [0x00, 0x00], // 0Ch (EQUAL/obsolete)
  [0x00, 0x02], // VOLUME OVERFLOW: end of partition/medium
  [0x1d, 0x00], // MISCOMPARE
  [0x00, 0x00], // COMPLETED
];

const CORPUS: Array<[string, number[]]> = [
  ...KEY_ASC.map(([asc, ascq], key): [string, number[]] => [
    `fixed, sense key ${key}`,
    fixed({ key, asc, ascq }),
  ]),
  ...KEY_ASC.map(([asc, ascq], key): [string, number[]] => [
    `descriptor, sense key ${key}`,
    descriptor({ key, asc, ascq }),
  ]),
  ['fixed NOT READY format in progress 25%', fixed({ key: 2, asc: 4, ascq: 4, sks: [0x80, 0x40, 0x00] })],
  ['fixed NO SENSE sanitize progress 50%', fixed({ key: 0, asc: 4, ascq: 0x1b, sks: [0x80, 0x80, 0x00] })],
  ['descriptor NOT READY progress 75%', descriptor({ key: 2, asc: 4, ascq: 4, sks: [0x80, 0xc0, 0x00] })],
  ['fixed MEDIUM ERROR with INFORMATION', fixed({ key: 3, asc: 0x11, ascq: 0, info: 0x12345678 })],
  [
    'fixed ILLEGAL REQUEST LBA out of range with INFORMATION',
    fixed({ key: 5, asc: 0x21, ascq: 0, info: 4096 }),
  ],
  ['descriptor 64-bit INFORMATION', descriptor({ key: 3, asc: 0x11, ascq: 0, info: 0xfedcba9876543210n })],
  [
    'descriptor INFORMATION + command specific',
    descriptor({ key: 0xe, asc: 0x1d, ascq: 0, info: 17n, csi: 0x22n }),
  ],
  ['fixed field pointer in the CDB, bit 7', fixed({ key: 5, asc: 0x24, ascq: 0, sks: [0xcf, 0x00, 0x02] })],
  [
    'fixed field pointer in the parameter data, no bit',
    fixed({ key: 5, asc: 0x26, ascq: 0, sks: [0x80, 0x00, 0x10] }),
  ],
  ['descriptor field pointer', descriptor({ key: 5, asc: 0x24, ascq: 0, sks: [0xcb, 0x00, 0x03] })],
  ['fixed actual retry count', fixed({ key: 1, asc: 0x17, ascq: 1, sks: [0x80, 0x00, 0x05] })],
  ['fixed deferred with FRU', fixed({ key: 4, asc: 0x44, ascq: 0, deferred: true, fru: 7 })],
  ['descriptor deferred with FRU', descriptor({ key: 3, asc: 0x11, ascq: 0, deferred: true, fru: 9 })],
  ['fixed with ILI', fixed({ key: 5, asc: 0x24, ascq: 0, ili: true, info: 0x10 })],
];

/** Cosmetic sense key name differences (see cdb/test/sg3/compare.ts). */
const KEY_NAME_DIFFERENCES: Readonly<Record<number, readonly [string, string]>> = {
  9: ['VENDOR SPECIFIC(9)', 'VENDOR SPECIFIC'],
  12: ['EQUAL', 'OBSOLETE'],
};
const T10_CODES = new Set(T10_ASC_ASCQ.map(([c]) => c));

describe('scsikit sense agrees with sg_decode_sense', () => {
  it('the corpus covers every sense key in both formats', () => {
    const keys = (fmt: number) =>
      new Set(
        CORPUS.filter(([, b]) => (b[0]! & 0x7e) === fmt).map(([, b]) =>
          fmt === 0x70 ? b[2]! & 0xf : b[1]! & 0xf,
        ),
      );
    expect(keys(0x70).size).toBe(16);
    expect(keys(0x72).size).toBe(16);
  });

  it.each(CORPUS)('%s', async (_name, bytes) => {
    const hex = hexArgs(bytes);
    const doc = await cliJson('sense', hex);
    const text = sgDecode(hex);
    const sg = parseSgDecodeSense(text);
    expect(doc.format).toBe(sg.format);
    expect(doc.deferred).toBe(sg.deferred);
    const key = doc.senseKey as number;
    const diff = KEY_NAME_DIFFERENCES[key];
    if (diff !== undefined) expect([sg.senseKeyName.toUpperCase(), doc.senseKeyName]).toEqual([...diff]);
    else expect(doc.senseKeyName).toBe(sg.senseKeyName.toUpperCase());
    const theirs = classifySgAscLine(sg.ascLine);
    const ours = classifyOurDescription(doc.description as string);
    const code = ((doc.asc as number) << 8) | (doc.ascq as number);
    if (theirs.kind === 'reserved' && ours.kind === 'known' && T10_CODES.has(code)) {
      // Our table is newer than the installed sg3_utils (pairs T10 added since).
      expect(theirs).toMatchObject({ asc: doc.asc, ascq: doc.ascq });
    } else {
      expect(ours).toEqual(theirs);
    }
    // INFORMATION: a decimal string in our document, hex in sg_decode_sense's.
    if (sg.informationValid) expect(doc.information).toBe(sg.information?.toString());
    else expect(doc.valid).toBe(false);
    if (sg.commandSpecific !== undefined)
      expect(doc.commandSpecificInformation).toBe(sg.commandSpecific.toString());
    expect(doc.fru).toBe(sg.fru);
    // Progress indication: "Progress indication: 25.00%".
    const progress = /Progress indication: (\d+\.\d\d)%/u.exec(text);
    expect((doc.progress as { percent: number } | undefined)?.percent.toFixed(2)).toBe(progress?.[1]);
    // Field pointer: "Error in Command: byte 2 bit 7".
    const fp = /Error in (Command|Data parameters): byte (\d+)(?: bit (\d))?/u.exec(text);
    const sks = doc.senseKeySpecific as Record<string, unknown> | undefined;
    if (fp === null) expect(sks?.kind).not.toBe('fieldPointer');
    else {
      expect(sks).toMatchObject({
        kind: 'fieldPointer',
        commandData: fp[1] === 'Command',
        fieldPointer: Number(fp[2]),
        bitPointerValid: fp[3] !== undefined,
      });
      if (fp[3] !== undefined) expect(sks?.bitPointer).toBe(Number(fp[3]));
    }
    const retries = /Actual retry count: 0x([0-9a-f]+)/u.exec(text);
    if (retries !== null)
      expect(sks).toMatchObject({ actualRetryCount: Number.parseInt(retries[1] ?? '', 16) });
    // The human output says the same.
    const human = await cli(['sense', ...hex]);
    expect(human.code).toBe(0);
    expect(human.stdout.split('\n')[0]?.toUpperCase()).toBe(
      text.split('\n')[0]?.toUpperCase().replace('(9)', '').replace('EQUAL', 'OBSOLETE'),
    );
  });

  it('a 64-bit INFORMATION keeps every digit', async () => {
    const doc = await cliJson(
      'sense',
      hexArgs(descriptor({ key: 3, asc: 0x11, ascq: 0, info: 0xffffffffffffffffn })),
    );
    expect(doc.information).toBe('18446744073709551615');
  });

  it('bad input is a syntax error (exit 1)', async () => {
    expect((await cli(['sense', '00', '00'])).code).toBe(1);
    expect((await cli(['sense', 'xyz'])).code).toBe(1);
    expect((await cli(['cdb', '28', '00'])).code).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------------
// CDBs

const CDBS: CdbSpec[] = [
  buildTestUnitReady(),
  buildRequestSense({ allocationLength: 252 }),
  buildInquiry({ allocationLength: 36 }),
  buildInquiry({ evpd: true, pageCode: 0x83, allocationLength: 252 }),
  buildModeSense6({ pageCode: 8, allocationLength: 252 }),
  buildModeSense10({ pageCode: 0x3f, allocationLength: 4096 }),
  buildModeSelect10({ pf: true, parameterListLength: 28 }),
  buildLogSense({ pageCode: 0x0d, allocationLength: 512 }),
  buildStartStopUnit({ start: true }),
  buildReadCapacity10(),
  buildReadCapacity16({ allocationLength: 32 }),
  buildReportLuns({ allocationLength: 4096 }),
  buildReportSupportedOperationCodes({ mode: 'all', rctd: true, allocationLength: 8192 }),
  buildRead({ lba: 0x1000, blocks: 8, blockLength: 512 }, { size: 6 }),
  buildRead({ lba: 0x1000, blocks: 8, blockLength: 512 }, { size: 10 }),
  buildRead({ lba: 0x1000, blocks: 8, blockLength: 512 }, { size: 12 }),
  buildRead({ lba: 0x1_0000_0000n, blocks: 8, blockLength: 512 }, { size: 16 }),
  buildWrite({ lba: 7, blocks: 1, blockLength: 512 }, { size: 10 }),
  buildWrite({ lba: 7, blocks: 1, blockLength: 512, fua: true }, { size: 16 }),
  buildVerify({ lba: 0, blocks: 16, blockLength: 512 }, { size: 10 }),
  buildVerify({ lba: 0, blocks: 16, blockLength: 512 }, { size: 16 }),
  buildWriteSame10({ lba: 0, blocks: 8, blockLength: 512 }),
  buildWriteSame16({ lba: 0, blocks: 8, blockLength: 512, unmap: true }),
  buildCompareAndWrite({ lba: 0, blocks: 1, blockLength: 512 }),
  buildSynchronizeCache10({ lba: 0, blocks: 0 }),
  buildSynchronizeCache16({ lba: 0, blocks: 0 }),
  buildUnmap({ parameterListLength: 24 }),
  buildGetLbaStatus({ startingLba: 0, allocationLength: 4096 }),
  buildFormatUnit({ fmtdata: true, parameterListLength: 4 }),
  buildSanitize({ serviceAction: 'blockErase', immed: true }),
  buildPersistentReserveIn({ serviceAction: 'readKeys' }),
  buildPersistentReserveIn({ serviceAction: 'readReservation' }),
  buildPersistentReserveIn({ serviceAction: 'reportCapabilities' }),
  buildPrRegister({ newKey: 1n }).spec,
  buildPrReserve({ key: 1n, type: 'writeExclusive' }).spec,
  buildPrClear({ key: 1n }).spec,
  buildReportZones({ zoneStartLba: 0, allocationLength: 4096 }),
  buildZbcOut('resetWritePointer', { all: true }),
  buildZbcOut('openZone', { zoneId: 0x8000 }),
];

describe('scsikit cdb names CDBs as sg_decode_sense --cdb does', () => {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/gu, '');
  it.each(CDBS.map((s) => [s.name, s] as const))('%s', async (_name, spec) => {
    const hex = hexArgs([...spec.cdb]);
    const doc = await cliJson('cdb', hex);
    const sg = sgDecode(['--cdb', ...hex]).trim();
    expect(norm(doc.name as string)).toBe(norm(sg));
    expect(doc.opcode).toBe(spec.cdb[0]);
    expect(doc.length).toBe(spec.cdb.length);
    const human = await cli(['cdb', ...hex]);
    expect(human.stdout.split('\n')[0]).toBe(doc.name);
  });

  it('fields are decoded with T10 names; 64-bit LBAs as decimal strings', async () => {
    const doc = await cliJson('cdb', ['88 00 ff ff ff ff ff ff ff fe 00 00 00 08 00 00']);
    expect(doc.fields).toMatchObject({ lba: '18446744073709551614', transferLength: 8, control: 0 });
    expect((await cli(['cdb', '28000000100000000800'])).stdout).toMatch(/Lba: +4096/u);
  });
});
