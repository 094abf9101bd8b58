/**
 * Differential tests against sg3_utils (host, no device):
 * - builders: the CDBs sg3_utils' utilities print at -vv (fixtures/sg3/cdbs.json, re-observed here
 *   with a regular file standing in for the device) must equal our builders' bytes;
 * - names: sg_decode_sense --cdb names our builders' CDBs like decodeCdb does;
 * - decoders: each answer in fixtures/sg3/*.hex is decoded by sg3_utils (--inhex / --in) and by us,
 *   and every field sg3_utils prints must agree;
 * - sense data: fixed and descriptor cases plus a fast-check property against sg_decode_sense.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeCdb, decodeVpdPage, hex, T10_ASC_ASCQ } from '../src/index.js';
import { buildFromEntry, cdbHex, readCdbFixtures } from './sg3/cdb-fixtures.js';
import {
  compareLbaStatus,
  compareLogPage,
  compareLun,
  compareSense,
  compareStandardInquiry,
  compareVpdPage,
} from './sg3/compare.js';
import { parsePrintedCdbs, parseSgLunTest, parseSgVpdEnumeration } from './sg3/parse.js';
import { fixturePath, hasSgTool, readHexFixture, runSg, runSgOk, Scratch } from './sg3/run-sg.js';

const SG3 = hasSgTool('sg_inq');
const suite = SG3 ? describe : describe.skip;
const title = SG3
  ? 'sg3_utils differential'
  : 'sg3_utils differential (SKIPPED: sg_inq not on PATH; install sg3-utils, scripts/bootstrap.sh does)';

const scratch = new Scratch();
afterAll(() => scratch.dispose());

suite(title, () => {
  describe('builders reproduce the CDBs sg3_utils prints at -vv (fixtures/sg3/cdbs.json)', () => {
    const fixtures = readCdbFixtures();
    const hostEntries = fixtures.entries.filter((e) => e.observed === 'host');

    it('records enough commands, each with its tool version', () => {
      expect(hostEntries.length).toBeGreaterThanOrEqual(40);
      for (const e of fixtures.entries) expect(e.toolVersion, e.id).toMatch(/^\d+\.\d+[a-z]? \d{8}$/u);
    });

    it.each(fixtures.entries.map((e) => [e.id, e] as const))(
      '%s: our builder gives the recorded bytes',
      (_, e) => {
        expect(cdbHex(buildFromEntry(e).cdb)).toBe(e.cdb);
      },
    );

    it.each(hostEntries.map((e) => [e.id, e] as const))(
      '%s: the installed tool still prints them',
      (_, e) => {
        const [tool = '', ...args] = e.command.map((a) => (a === 'DEVICE' ? scratch.fakeDevice() : a));
        const r = runSg(tool, args);
        const printed = parsePrintedCdbs(`${r.stdout}\n${r.stderr}`);
        expect(printed.length, `${e.command.join(' ')} printed no CDB:\n${r.stderr}`).toBeGreaterThan(0);
        const match = printed.find((p) => p.name === e.printedName);
        expect(match, `no "${e.printedName} cdb:" line in:\n${r.stderr}`).toBeDefined();
        expect(cdbHex(match?.cdb ?? new Uint8Array())).toBe(e.cdb);
      },
    );

    it('sg_decode_sense --cdb names each builder CDB as decodeCdb does', () => {
      const norm = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/gu, '');
      const seen = new Set<string>();
      const mismatches: string[] = [];
      for (const e of fixtures.entries) {
        const cdb = buildFromEntry(e).cdb;
        if (seen.has(hex(cdb))) continue;
        seen.add(hex(cdb));
        const sg = runSgOk('sg_decode_sense', ['--cdb', ...cdbHex(cdb).split(' ')]).stdout.trim();
        if (norm(sg) !== norm(decodeCdb(cdb).name))
          mismatches.push(`${cdbHex(cdb)}: sg "${sg}" ours "${decodeCdb(cdb).name}"`);
      }
      expect(seen.size).toBeGreaterThanOrEqual(30);
      expect(mismatches).toEqual([]);
    });
  });

  describe('INQUIRY and VPD decoders agree with sg_inq / sg_vpd --inhex', () => {
    it.each(['inquiry-scsi-debug', 'inquiry-lio', 'inquiry-qemu', 'inquiry-odd'])(
      'standard INQUIRY %s',
      (name) => {
        const text = runSgOk('sg_inq', ['--descriptors', `--inhex=${fixturePath(`${name}.hex`)}`]).stdout;
        compareStandardInquiry(readHexFixture(name), text);
      },
    );

    const acronyms = SG3 ? parseSgVpdEnumeration(runSgOk('sg_vpd', ['--enumerate']).stdout) : new Map();
    const pages = [
      'vpd-00-scsi-debug',
      'vpd-80-scsi-debug',
      'vpd-80-lio',
      'vpd-83-scsi-debug',
      'vpd-83-lio',
      'vpd-83-mixed',
      'vpd-86-scsi-debug',
      'vpd-86-synthetic',
      'vpd-b0-scsi-debug',
      'vpd-b0-synthetic',
      'vpd-b1-scsi-debug',
      'vpd-b1-synthetic',
      'vpd-b2-scsi-debug',
      'vpd-b2-thin',
    ];
    it.each(pages)('%s', (name) => {
      const bytes = readHexFixture(name);
      const text = runSgOk('sg_vpd', [`--inhex=${fixturePath(`${name}.hex`)}`]).stdout;
      expect(compareVpdPage(bytes, text, acronyms)).toBe(bytes[1]);
    });

    it('sg_inq --page reads the same VPD answers as sg_vpd (both decoders in sg3_utils agree with ours)', () => {
      const bytes = readHexFixture('vpd-83-scsi-debug');
      const text = runSgOk('sg_inq', [
        '--page=0x83',
        `--inhex=${fixturePath('vpd-83-scsi-debug.hex')}`,
      ]).stdout;
      const page = decodeVpdPage(bytes);
      if (page.kind !== 'deviceIdentification') throw new Error(page.kind);
      for (const d of page.designators) {
        if (d.designatorType === 3) expect(text).toContain(`0x${hex(d.designator)}`);
      }
    });
  });

  describe('LUN decoding agrees with sg_luns --test', () => {
    const luns = [
      '0000000000000000',
      '0001000000000000',
      '00ff000000000000',
      '4000000000000000',
      '4123000000000000',
      '7fff000000000000',
      '0105000000000000',
      '8123000000000000',
      'c101000000000000',
      'c103000000000000',
      'd212345600000000',
      'e2123456789abc00',
    ];
    it.each(luns)('%s', (lun) => {
      const lines = parseSgLunTest(runSgOk('sg_luns', [`--test=${lun}`]).stdout);
      const bytes = Uint8Array.from(lun.match(/../gu) ?? [], (b) => Number.parseInt(b, 16));
      compareLun(bytes, lines);
    });
  });

  describe('GET LBA STATUS and log pages agree with sg_get_lba_status / sg_logs', () => {
    it.each(['get-lba-status-thin', 'get-lba-status-cc'])('%s', (name) => {
      const text = runSgOk('sg_get_lba_status', [
        '--brief',
        '--maxlen=4096',
        `--inhex=${fixturePath(`${name}.hex`)}`,
      ]).stdout;
      compareLbaStatus(readHexFixture(name), text);
    });

    it.each([
      'log-00-scsi-debug',
      'log-0d-scsi-debug',
      'log-2f-scsi-debug',
      'log-02-synthetic',
      'log-03-synthetic',
    ])('%s', (name) => {
      const bytes = readHexFixture(name);
      const text = runSgOk('sg_logs', [`--in=${fixturePath(`${name}.hex`)}`]).stdout;
      expect(compareLogPage(bytes, text)).toBe(bytes[0]! & 0x3f);
    });
  });

  describe('sense data agrees with sg_decode_sense', () => {
    const cases: Array<[string, string]> = [
      ['fixed ILLEGAL REQUEST invalid field in cdb', '70 00 05 00 00 00 00 0a 00 00 00 00 24 00 00 00 00 00'],
      ['fixed MEDIUM ERROR with INFORMATION', 'f0 00 03 00 00 12 34 0a 00 00 00 00 11 00 00 80 00 10'],
      ['fixed with ILI and FRU', 'f0 00 25 00 00 00 10 0a 00 00 00 00 24 00 07 cf 00 02'],
      ['fixed UNIT ATTENTION power on', '70 00 06 00 00 00 00 0a 00 00 00 00 29 00 00 00 00 00'],
      ['fixed NOT READY format in progress', '70 00 02 00 00 00 00 0a 00 00 00 00 04 04 00 80 40 00'],
      ['fixed deferred MISCOMPARE vendor ASC', '71 00 0e 00 00 00 00 0a 00 00 00 00 80 99 00 00 00 00'],
      ['fixed reserved ASC/ASCQ', '70 00 05 00 00 00 00 0a 00 00 00 00 7e 05 00 00 00 00'],
      ['fixed vendor qualifier', '70 00 05 00 00 00 00 0a 00 00 00 00 2c 99 00 00 00 00'],
      ['fixed ASCQ range rule (40h/NNh)', '70 00 04 00 00 00 00 0a 00 00 00 00 40 99 00 00 00 00'],
      ['descriptor with information', '72 05 24 00 00 00 00 0c 00 0a 80 00 00 00 00 00 12 34 56 78'],
      [
        'descriptor deferred, information + command specific',
        '73 0b 47 01 00 00 00 18 00 0a 80 00 00 00 00 00 00 00 00 10 01 0a 00 00 00 00 00 00 00 00 00 22',
      ],
      ['descriptor with sense key specific', '72 05 20 00 00 00 00 08 02 06 00 00 cf 00 02 00'],
    ];
    it.each(cases)('%s', (_, s) => {
      const bytes = Uint8Array.from(s.split(' '), (b) => Number.parseInt(b, 16));
      compareSense(bytes, runSgOk('sg_decode_sense', s.split(' ')).stdout);
    });

    it('random fixed and descriptor sense: same key, ASC/ASCQ text, information, FRU (property)', () => {
      const known = T10_ASC_ASCQ.map(([code]) => [code >> 8, code & 0xff] as const);
      const ascAscq = fc.oneof(
        fc.constantFrom(...known),
        fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })),
      );
      const u64 = fc.bigInt({ min: 0n, max: 0xffffffffffffffffn });
      const be = (v: bigint, n: number): number[] =>
        Array.from({ length: n }, (_, i) => Number((v >> BigInt(8 * (n - 1 - i))) & 0xffn));
      const fixed = fc
        .record({
          deferred: fc.boolean(),
          valid: fc.boolean(),
          key: fc.integer({ min: 0, max: 15 }),
          aa: ascAscq,
          info: fc.bigInt({ min: 0n, max: 0xffffffffn }),
          fru: fc.integer({ min: 0, max: 255 }),
        })
        .map(({ deferred, valid, key, aa, info, fru }) => [
          (valid ? 0x80 : 0) | (deferred ? 0x71 : 0x70),
          0,
          key,
          ...be(info, 4),
          10,
          0,
          0,
          0,
          0,
          aa[0],
          aa[1],
          fru,
          0,
          0,
          0,
        ]);
      const descriptor = fc
        .record({
          deferred: fc.boolean(),
          key: fc.integer({ min: 0, max: 15 }),
          aa: ascAscq,
          info: fc.option(fc.tuple(fc.boolean(), u64), { nil: undefined }),
          csi: fc.option(u64, { nil: undefined }),
          fru: fc.option(fc.integer({ min: 1, max: 255 }), { nil: undefined }),
        })
        .map(({ deferred, key, aa, info, csi, fru }) => {
          const descs: number[] = [];
          if (info !== undefined) descs.push(0x00, 0x0a, info[0] ? 0x80 : 0, 0, ...be(info[1], 8));
          if (csi !== undefined) descs.push(0x01, 0x0a, 0, 0, ...be(csi, 8));
          if (fru !== undefined) descs.push(0x03, 0x02, 0, fru);
          return [deferred ? 0x73 : 0x72, key, aa[0], aa[1], 0, 0, 0, descs.length, ...descs];
        });
      let runs = 0;
      fc.assert(
        fc.property(fc.oneof(fixed, descriptor), (arr) => {
          const bytes = Uint8Array.from(arr);
          const text = runSgOk('sg_decode_sense', cdbHex(bytes).split(' ')).stdout;
          compareSense(bytes, text);
          runs++;
        }),
        { numRuns: 40 },
      );
      expect(runs).toBeGreaterThanOrEqual(40);
    });
  });
});
