/**
 * Lab-side helpers of the sg3_utils differential suites: run a utility at -vv on a manifest device,
 * check every CDB it printed against our builder, and fetch answers as bytes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabDevice } from '@scsikit/lab';
import { expect } from 'vitest';
import {
  buildGetLbaStatus,
  buildInquiry,
  buildLogSense,
  buildModeSense6,
  buildModeSense10,
  buildPersistentReserveIn,
  buildReadCapacity10,
  buildReadCapacity16,
  buildReportLuns,
  buildReportSupportedOperationCodes,
  buildTestUnitReady,
  type CdbSpec,
  LOG_PAGE_CONTROL,
  type LogPageControl,
  MODE_PAGE_CONTROL,
  type ModePageControl,
  type ReportLunsSelect,
} from '../../src/index.js';
import { cdbHex } from './cdb-fixtures.js';
import { type PrintedCdb, parsePrintedCdbs } from './parse.js';
import { runSg, runSgRaw, type Scratch } from './run-sg.js';

const u16 = (c: Uint8Array, o: number): number => ((c[o] ?? 0) << 8) | (c[o + 1] ?? 0);
const u32 = (c: Uint8Array, o: number): number => u16(c, o) * 0x10000 + u16(c, o + 2);
const u64 = (c: Uint8Array, o: number): bigint => (BigInt(u32(c, o)) << 32n) | BigInt(u32(c, o + 4));
const key = <T extends string>(table: Readonly<Record<T, number>>, v: number): T =>
  (Object.entries(table) as Array<[T, number]>).find(([, n]) => n === v)?.[0] ?? (String(v) as T);

/**
 * Our builder call for a CDB the tool printed, by printed name. Only what a tool legitimately varies
 * between calls (allocation length, page code, service action, select report, starting LBA) is
 * read from the printed bytes; every other bit comes from our builder's defaults, so a difference in
 * opcode, flags, reserved bytes or field placement fails the comparison.
 */
const REBUILD: ReadonlyArray<readonly [RegExp, (c: Uint8Array) => CdbSpec]> = [
  [
    /^inquiry$/iu,
    (c) =>
      buildInquiry({
        ...((c[1] ?? 0) & 1 ? { evpd: true, pageCode: c[2] ?? 0 } : {}),
        allocationLength: u16(c, 3),
      }),
  ],
  [/^test unit ready$/iu, () => buildTestUnitReady()],
  [/^read capacity\(10\)$/iu, () => buildReadCapacity10()],
  [/^read capacity\(16\)$/iu, (c) => buildReadCapacity16({ allocationLength: u32(c, 10) })],
  [
    /^report luns$/iu,
    (c) => buildReportLuns({ selectReport: (c[2] ?? 0) as ReportLunsSelect, allocationLength: u32(c, 6) }),
  ],
  [
    /^report supported operation codes$/iu,
    (c) =>
      (c[2] ?? 0) & 7
        ? buildReportSupportedOperationCodes({
            mode: 'one',
            opcode: c[3] ?? 0,
            ...(((c[2] ?? 0) & 7) >= 2 ? { serviceAction: u16(c, 4) } : {}),
            rctd: ((c[2] ?? 0) & 0x80) !== 0,
            allocationLength: u32(c, 6),
          })
        : buildReportSupportedOperationCodes({
            mode: 'all',
            rctd: ((c[2] ?? 0) & 0x80) !== 0,
            allocationLength: u32(c, 6),
          }),
  ],
  [
    /^mode sense ?\(6\)$/iu,
    (c) =>
      buildModeSense6({
        pageCode: (c[2] ?? 0) & 0x3f,
        subpageCode: c[3] ?? 0,
        pageControl: key<ModePageControl>(MODE_PAGE_CONTROL, (c[2] ?? 0) >> 6),
        dbd: ((c[1] ?? 0) & 8) !== 0,
        allocationLength: c[4] ?? 0,
      }),
  ],
  [
    /^mode sense ?\(10\)$/iu,
    (c) =>
      buildModeSense10({
        pageCode: (c[2] ?? 0) & 0x3f,
        subpageCode: c[3] ?? 0,
        pageControl: key<ModePageControl>(MODE_PAGE_CONTROL, (c[2] ?? 0) >> 6),
        dbd: ((c[1] ?? 0) & 8) !== 0,
        llbaa: ((c[1] ?? 0) & 0x10) !== 0,
        allocationLength: u16(c, 7),
      }),
  ],
  [
    /^log sense$/iu,
    (c) =>
      buildLogSense({
        pageCode: (c[2] ?? 0) & 0x3f,
        subpageCode: c[3] ?? 0,
        pageControl: key<LogPageControl>(LOG_PAGE_CONTROL, (c[2] ?? 0) >> 6),
        parameterPointer: u16(c, 5),
        allocationLength: u16(c, 7),
      }),
  ],
  [
    /^get lba status\(16\)$/iu,
    (c) => buildGetLbaStatus({ startingLba: u64(c, 2), allocationLength: u32(c, 10) }),
  ],
  [
    /^persistent reservation in$/iu,
    (c) => buildPersistentReserveIn({ serviceAction: (c[1] ?? 0) & 0x1f, allocationLength: u16(c, 7) }),
  ],
];

/**
 * Runs `tool -vv args… DEVICE` on the device's sg node and checks every CDB it printed against our
 * builder. Returns the printed CDBs (at least one) for further checks (page codes, order …).
 */
export function expectToolCdbsMatchBuilders(
  device: LabDevice,
  tool: string,
  args: readonly string[],
): PrintedCdb[] {
  const r = runSg(tool, ['-vv', ...args, device.sg]);
  const printed = parsePrintedCdbs(`${r.stdout}\n${r.stderr}`);
  expect(printed.length, `${tool} ${args.join(' ')} printed no CDB:\n${r.stderr}`).toBeGreaterThan(0);
  for (const p of printed) {
    const rebuild = REBUILD.find(([re]) => re.test(p.name))?.[1];
    expect(rebuild, `no builder for "${p.name}" (${cdbHex(p.cdb)}) from ${tool}`).toBeDefined();
    if (rebuild !== undefined) {
      expect(cdbHex(rebuild(p.cdb).cdb), `${tool} ${args.join(' ')}: ${p.name}`).toBe(cdbHex(p.cdb));
    }
  }
  return printed;
}

/** The binary answer a tool writes with --raw (exit status must be 0). */
export function rawAnswer(tool: string, args: readonly string[], device: LabDevice): Uint8Array {
  const r = runSgRaw(tool, [...args, '--raw', device.sg]);
  if (r.status !== 0) throw new Error(`${r.argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  expect(r.stdout.length, `${r.argv.join(' ')} wrote no bytes`).toBeGreaterThan(0);
  return r.stdout;
}

/** The tool's text decoding of the live device (exit status must be 0). */
export function liveText(tool: string, args: readonly string[], device: LabDevice): string {
  const r = runSg(tool, [...args, device.sg]);
  if (r.status !== 0) throw new Error(`${r.argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** Sends our builder's CDB with sg_raw and returns the data-in bytes (for tools without --raw). */
export function sendWithSgRaw(device: LabDevice, spec: CdbSpec, scratch: Scratch): Uint8Array {
  const out = join(scratch.dir, `sg-raw-${Date.now()}.bin`);
  const r = runSg('sg_raw', [
    '-r',
    String(spec.transferLength),
    '-o',
    out,
    device.sg,
    ...cdbHex(spec.cdb).split(' '),
  ]);
  if (r.status !== 0) throw new Error(`sg_raw ${cdbHex(spec.cdb)} exited ${r.status}: ${r.stderr}`);
  return new Uint8Array(readFileSync(out));
}
