/**
 * The body shared by the sg3-utils.<profile>.lab.test.ts suites: live CDBs printed by the utilities
 * vs our builders, and live answers decoded by the utilities vs our decoders.
 */
import { type LabDevice, readLabManifest } from '@scsikit/lab';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildPersistentReserveIn,
  decodeSupportedVpdPages,
  decodeVpdPage,
  PR_IN_SERVICE_ACTION,
} from '../../src/index.js';
import {
  compareLbaStatus,
  compareLogPage,
  comparePrCapabilities,
  comparePrReadKeys,
  compareReadCapacity16,
  compareReportLuns,
  compareStandardInquiry,
  compareSupportedOpcodes,
  compareVpdPage,
} from './compare.js';
import { expectToolCdbsMatchBuilders, liveText, rawAnswer, sendWithSgRaw } from './lab.js';
import { parseSgVpdEnumeration } from './parse.js';
import { hasSgTool, runSgOk, Scratch } from './run-sg.js';

export interface Sg3LabOptions {
  readonly kind: LabDevice['kind'];
  /** VPD pages the device must list (and that we then compare). */
  readonly vpdPages: readonly number[];
  /** The device implements REPORT SUPPORTED OPERATION CODES (QEMU's scsi-hd does not). */
  readonly rsoc: boolean;
  /** Log pages to compare (the device must support them). */
  readonly logPages: readonly number[];
  /** The device answers GET LBA STATUS (logical block provisioning enabled). */
  readonly getLbaStatus: boolean;
  /** Compare PERSISTENT RESERVE IN answers (LIO). */
  readonly persistentReservations: boolean;
}

/** Pages compareVpdPage knows; others the device lists are only decoded (must not throw). */
const COMPARED_VPD = new Set([0x00, 0x80, 0x83, 0x86, 0xb0, 0xb1, 0xb2]);

export function defineSg3LabSuite(profile: string, options: Sg3LabOptions): void {
  const manifest = readLabManifest();
  const device = manifest.devices.find((d) => d.kind === options.kind);
  const scratch = new Scratch();
  afterAll(() => scratch.dispose());

  describe(`sg3_utils vs scsikit on the ${profile} profile (${options.kind})`, () => {
    it('has sg3_utils and the device', () => {
      expect(hasSgTool('sg_inq'), 'sg3-utils must be installed on the host (scripts/bootstrap.sh)').toBe(
        true,
      );
      expect(device, `no ${options.kind} device in ${JSON.stringify(manifest.devices)}`).toBeDefined();
    });
    if (device === undefined) return;

    describe('every CDB the utilities print at -vv equals our builder with the same parameters', () => {
      it('sg_inq (standard INQUIRY: 36 bytes, then more if the device has more)', () => {
        const printed = expectToolCdbsMatchBuilders(device, 'sg_inq', []);
        expect(printed[0]?.cdb[4]).toBe(36);
      });
      it('sg_inq --page=0x83 (checks page 00h first)', () => {
        const pages = expectToolCdbsMatchBuilders(device, 'sg_inq', ['--page=0x83']).map((p) => p.cdb[2]);
        expect(pages).toContain(0x83);
      });
      it('sg_vpd --page=bl', () => {
        const pages = expectToolCdbsMatchBuilders(device, 'sg_vpd', ['--page=bl']).map((p) => p.cdb[2]);
        expect(pages).toContain(0xb0);
      });
      it('sg_readcap --long', () => {
        expectToolCdbsMatchBuilders(device, 'sg_readcap', ['--long']);
      });
      it('sg_readcap', () => {
        expectToolCdbsMatchBuilders(device, 'sg_readcap', []);
      });
      it('sg_luns', () => {
        expectToolCdbsMatchBuilders(device, 'sg_luns', []);
      });
      it('sg_turs', () => {
        expectToolCdbsMatchBuilders(device, 'sg_turs', []);
      });
      it('sg_opcodes (INQUIRY, then REPORT SUPPORTED OPERATION CODES)', () => {
        const names = expectToolCdbsMatchBuilders(device, 'sg_opcodes', []).map((p) => p.name.toLowerCase());
        expect(names).toContain('report supported operation codes');
      });
      it('sg_opcodes --rctd', () => {
        expectToolCdbsMatchBuilders(device, 'sg_opcodes', ['--rctd']);
      });
      it('sg_modes --page=8 (MODE SENSE(10))', () => {
        const printed = expectToolCdbsMatchBuilders(device, 'sg_modes', ['--page=8']);
        expect(printed.some((p) => p.cdb[0] === 0x5a && p.cdb[2] === 0x08)).toBe(true);
      });
      it('sg_modes --six --page=8 (MODE SENSE(6))', () => {
        const printed = expectToolCdbsMatchBuilders(device, 'sg_modes', ['--six', '--page=8']);
        expect(printed.some((p) => p.cdb[0] === 0x1a && p.cdb[2] === 0x08)).toBe(true);
      });
      it('sg_logs --page=0xd', () => {
        const printed = expectToolCdbsMatchBuilders(device, 'sg_logs', ['--page=0xd']);
        expect(printed.some((p) => p.cdb[0] === 0x4d && p.cdb[2] === 0x4d)).toBe(true);
      });
      it('sg_get_lba_status', () => {
        expectToolCdbsMatchBuilders(device, 'sg_get_lba_status', []);
      });
      it.runIf(options.persistentReservations)(
        'sg_persist --read-keys / --read-reservation / --report-capabilities',
        () => {
          for (const a of ['--read-keys', '--read-reservation', '--report-capabilities']) {
            const printed = expectToolCdbsMatchBuilders(device, 'sg_persist', [a]);
            expect(printed.some((p) => p.cdb[0] === 0x5e)).toBe(true);
          }
        },
      );
    });

    describe("the utilities' decoding of the live answers equals ours", () => {
      it('standard INQUIRY (sg_inq --descriptors)', () => {
        const bytes = rawAnswer('sg_inq', ['--maxlen=96'], device);
        compareStandardInquiry(bytes, liveText('sg_inq', ['--descriptors', '--maxlen=96'], device));
      });

      it('VPD pages (sg_vpd)', () => {
        const supported = decodeSupportedVpdPages(rawAnswer('sg_vpd', ['--page=0x0'], device)).supportedPages;
        for (const p of options.vpdPages) expect(supported, `page ${p.toString(16)}h listed`).toContain(p);
        const acronyms = parseSgVpdEnumeration(runSgOk('sg_vpd', ['--enumerate']).stdout);
        const compared: number[] = [];
        for (const page of supported) {
          const bytes = rawAnswer('sg_vpd', [`--page=0x${page.toString(16)}`], device);
          if (!COMPARED_VPD.has(page)) {
            expect(decodeVpdPage(bytes).pageCode).toBe(page);
            continue;
          }
          const text = liveText('sg_vpd', [`--page=0x${page.toString(16)}`], device);
          compared.push(compareVpdPage(bytes, text, acronyms));
        }
        expect(compared).toEqual(expect.arrayContaining(options.vpdPages.filter((p) => COMPARED_VPD.has(p))));
      });

      it('READ CAPACITY(16) (sg_readcap --long)', () => {
        compareReadCapacity16(
          rawAnswer('sg_readcap', ['--long'], device),
          liveText('sg_readcap', ['--long'], device),
        );
      });

      it('REPORT LUNS (sg_luns)', () => {
        compareReportLuns(rawAnswer('sg_luns', [], device), liveText('sg_luns', [], device));
      });

      it.runIf(options.rsoc)('REPORT SUPPORTED OPERATION CODES (sg_opcodes)', () => {
        compareSupportedOpcodes(rawAnswer('sg_opcodes', [], device), liveText('sg_opcodes', [], device));
      });

      it.runIf(options.logPages.length > 0)('log pages (sg_logs)', () => {
        for (const page of options.logPages) {
          const arg = `--page=0x${page.toString(16)}`;
          expect(
            compareLogPage(rawAnswer('sg_logs', [arg], device), liveText('sg_logs', [arg], device)),
          ).toBe(page);
        }
      });

      it.runIf(options.getLbaStatus)('GET LBA STATUS (sg_get_lba_status --brief)', () => {
        compareLbaStatus(
          rawAnswer('sg_get_lba_status', [], device),
          liveText('sg_get_lba_status', ['--brief'], device),
        );
      });

      it.runIf(options.persistentReservations)(
        'PERSISTENT RESERVE IN read keys and capabilities (sg_persist)',
        () => {
          const keys = sendWithSgRaw(
            device,
            buildPersistentReserveIn({ serviceAction: PR_IN_SERVICE_ACTION.readKeys }),
            scratch,
          );
          comparePrReadKeys(keys, liveText('sg_persist', ['--read-keys'], device));
          const caps = sendWithSgRaw(
            device,
            buildPersistentReserveIn({ serviceAction: PR_IN_SERVICE_ACTION.reportCapabilities }),
            scratch,
          );
          comparePrCapabilities(caps, liveText('sg_persist', ['--report-capabilities'], device));
        },
      );
    });
  });
}
