/**
 * The CLI's --json against sg3_utils' text on the same live device, field by field (lab guest only;
 * runs under every profile: scsi_debug, qemu-disk, lio …). Where sg3_utils fails (the device lacks
 * the command: QEMU has no REPORT SUPPORTED OPERATION CODES or LOG SENSE, scsi_debug no persistent
 * reservations), the CLI must fail with the same exit status.
 */
import { type LabDevice, readLabManifest } from '@scsikit/lab';
import { describe, expect, it } from 'vitest';
import {
  leadingNumber,
  parseColonLines,
  parseKeyValues,
  parseSgInqStandard,
  parseSgSupportedVpdAcronyms,
  parseSgVpdDeviceId,
  parseSgVpdEnumeration,
  requireKey,
  SG_CODE_SETS,
  SG_DESIGNATOR_TYPES,
} from '../../cdb/test/sg3/parse.js';
import { hasSgTool, runSg, runSgOk, type SgRun } from '../../cdb/test/sg3/run-sg.js';
import { run } from '../src/main.js';
import { commandDocumentSchema } from '../src/schemas.js';

type Doc = Record<string, unknown>;

/** Runs the CLI in process on the real device (core's openDevice) and returns status and document. */
async function scsikit(argv: readonly string[]): Promise<{ code: number; doc: Doc; stderr: string }> {
  let out = '';
  let err = '';
  const code = await run([...argv, '--json'], {
    io: {
      out: (s) => {
        out += s;
      },
      outBytes: () => {},
      err: (s) => {
        err += s;
      },
      confirm: async () => false,
    },
  });
  const doc = JSON.parse(out) as Doc;
  const parsed = commandDocumentSchema(argv[0] ?? '').safeParse(doc);
  expect(parsed.success, `${argv.join(' ')}: ${parsed.error?.message}`).toBe(true);
  return { code, doc, stderr: err };
}

/**
 * Runs the sg3_utils tool and the CLI; when the tool fails, the CLI must fail with the same exit
 * status and `compare` is skipped. Returns whether the fields were compared.
 */
async function both(
  tool: string,
  toolArgs: readonly string[],
  argv: readonly string[],
  compare: (sg: SgRun, doc: Doc) => void,
): Promise<boolean> {
  const sg = runSg(tool, toolArgs);
  const ours = await scsikit(argv);
  if (sg.status !== 0) {
    expect(
      ours.code,
      `${sg.argv.join(' ')} exited ${sg.status} (${sg.stderr.trim()}); scsikit ${argv.join(' ')}: ${ours.stderr}`,
    ).toBe(sg.status);
    return false;
  }
  expect(ours.code, `scsikit ${argv.join(' ')}: ${ours.stderr}`).toBe(0);
  compare(sg, ours.doc);
  return true;
}

const num = (v: unknown): number | undefined =>
  typeof v === 'boolean' ? Number(v) : (v as number | undefined);

/** sg_inq's NAME=value flags → our T10 camelCase fields. */
const INQ_FLAGS: Readonly<Record<string, string>> = {
  PQual: 'peripheralQualifier',
  PDT: 'peripheralDeviceType',
  RMB: 'rmb',
  LU_CONG: 'luCong',
  hot_pluggable: 'hotPluggable',
  version: 'version',
  NormACA: 'normaca',
  HiSUP: 'hisup',
  Resp_data_format: 'responseDataFormat',
  SCCS: 'sccs',
  ACC: 'acc',
  TPGS: 'tpgs',
  '3PC': 'tpc',
  Protect: 'protect',
  EncServ: 'encserv',
  MultiP: 'multip',
  CmdQue: 'cmdque',
};

const B0_LABELS: Readonly<Record<string, string>> = {
  'Maximum compare and write length': 'maximumCompareAndWriteLength',
  'Optimal transfer length granularity': 'optimalTransferLengthGranularity',
  'Maximum transfer length': 'maximumTransferLength',
  'Optimal transfer length': 'optimalTransferLength',
  'Maximum prefetch transfer length': 'maximumPrefetchLength',
  'Maximum unmap LBA count': 'maximumUnmapLbaCount',
  'Maximum unmap block descriptor count': 'maximumUnmapBlockDescriptorCount',
  'Optimal unmap granularity': 'optimalUnmapGranularity',
  'Unmap granularity alignment': 'unmapGranularityAlignment',
  'Maximum write same length': 'maximumWriteSameLength',
};

const B2_LABELS: Readonly<Record<string, string>> = {
  'Unmap command supported (LBPU)': 'lbpu',
  'Write same (16) with unmap bit supported (LBPWS)': 'lbpws',
  'Write same (10) with unmap bit supported (LBPWS10)': 'lbpws10',
  'Logical block provisioning read zeros (LBPRZ)': 'lbprz',
  'Anchored LBAs supported (ANC_SUP)': 'ancSup',
  'Threshold exponent': 'thresholdExponent',
  'Descriptor present (DP)': 'dp',
  'Provisioning type': 'provisioningType',
};

const B1_KEYS: Readonly<Record<string, string>> = {
  WABEREQ: 'wabereq',
  WACEREQ: 'wacereq',
  FUAB: 'fuab',
  VBULS: 'vbuls',
  ZONED: 'zoned',
};

/** sg_modes' per-page hex dumps: page code → bytes (the `>> name, page_code=0x..` sections), in order. */
function parseSgModesPages(text: string): Map<number, Uint8Array> {
  // Each page starts with a ">> Name, page_control: …" line (names vary); its hex dump's first
  // byte carries the page code.
  const pages: number[][] = [];
  let current: number[] | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('>> ')) {
      current = [];
      pages.push(current);
      continue;
    }
    const dump = /^\s+[0-9a-f]{2,4}\s{2,}((?:[0-9a-f]{2}(?: {1,2}|$)){1,16})/u.exec(line);
    if (dump !== null && current !== undefined) {
      for (const b of (dump[1] ?? '').trim().split(/\s+/u)) current.push(Number.parseInt(b, 16));
    }
  }
  return new Map(pages.filter((p) => p.length > 0).map((p) => [(p[0] ?? 0) & 0x3f, Uint8Array.from(p)]));
}

const manifest = readLabManifest();
const device: LabDevice | undefined = manifest.devices.find((d) => d.type === 0 || d.type === 0x14);

describe(`scsikit CLI vs sg3_utils on the ${manifest.profile} profile`, () => {
  it('has sg3_utils and a disk', () => {
    expect(hasSgTool('sg_inq')).toBe(true);
    expect(device, JSON.stringify(manifest.devices)).toBeDefined();
  });
  if (device === undefined) return;
  const dev = device.sg;

  it('identity: inquiry vs sg_inq --descriptors', async () => {
    await both('sg_inq', ['--descriptors', dev], ['inquiry', dev], (sg, doc) => {
      const s = parseSgInqStandard(sg.stdout);
      let compared = 0;
      for (const [k, field] of Object.entries(INQ_FLAGS)) {
        const v = s.flags.get(k);
        if (v === undefined) continue;
        expect(num(doc[field]), `${k} vs ${field}`).toBe(v);
        compared++;
      }
      expect(compared).toBeGreaterThanOrEqual(14);
      expect(doc.vendor ?? '').toBe(s.vendor.trim());
      expect(doc.product ?? '').toBe(s.product.trim());
      expect(doc.revision ?? '').toBe(s.revision.trim());
      expect((doc.versionDescriptors as Array<{ name?: string }>).map((d) => d.name)).toEqual(
        s.versionDescriptors,
      );
      // QEMU's scsi-hd sets ADDITIONAL LENGTH from each command's allocation length (docs/targets.md).
      if (device.kind !== 'qemu-hd') {
        expect(requireKey(s.flags, 'length', sg.stdout)).toBe((doc.additionalLength as number) + 5);
      }
    });
  });

  it('VPD 0x00 0x80 0x83 0xB0 0xB1 0xB2 vs sg_vpd', async () => {
    const acronyms = parseSgVpdEnumeration(runSgOk('sg_vpd', ['--enumerate']).stdout);
    const all = await scsikit(['vpd', dev, '--page', '0']);
    expect(all.code, all.stderr).toBe(0);
    const supported = ((all.doc.pages as Doc[])[0]?.supportedPages ?? []) as number[];
    const compared: number[] = [];
    for (const page of [0x00, 0x80, 0x83, 0xb0, 0xb1, 0xb2].filter((p) => supported.includes(p))) {
      const arg = `0x${page.toString(16)}`;
      const did = await both('sg_vpd', [`--page=${arg}`, dev], ['vpd', dev, '--page', arg], (sg, doc) => {
        const p = (doc.pages as Doc[])[0] ?? {};
        const text = sg.stdout;
        switch (page) {
          case 0x00:
            expect(parseSgSupportedVpdAcronyms(text).map((a) => acronyms.get(a))).toEqual(p.supportedPages);
            break;
          case 0x80:
            expect(requireKey(parseColonLines(text), 'Unit serial number', text).trim()).toBe(
              p.productSerialNumber,
            );
            break;
          case 0x83: {
            const theirs = parseSgVpdDeviceId(text);
            const ours = [...(p.designators as Doc[])].sort(
              (a, b) => (a.association as number) - (b.association as number),
            );
            expect(theirs.length).toBe(ours.length);
            ours.forEach((d, i) => {
              const t = theirs[i];
              expect(SG_DESIGNATOR_TYPES[t?.typeName ?? ''], `designator ${i} type`).toBe(d.designatorType);
              expect(SG_CODE_SETS[t?.codeSetName ?? ''], `designator ${i} code set`).toBe(d.codeSet);
              expect(t?.association, `designator ${i} association`).toBe(d.association);
              if (d.designatorType === 3 || d.designatorType === 2)
                expect(t?.lines[0]?.replace(/^0x/u, '')).toBe(String(d.hex).replace(/^0x/u, ''));
            });
            break;
          }
          case 0xb0: {
            const lines = parseColonLines(text);
            let n = 0;
            for (const [label, field] of Object.entries(B0_LABELS)) {
              const v = lines.get(label);
              if (v === undefined) continue;
              const theirs = leadingNumber(v);
              const mine = BigInt(num(p[field]) ?? -1);
              if (theirs === -1n) expect([0xffffffffn, 0xffffffffffffffffn], label).toContain(mine);
              else expect(mine, label).toBe(theirs);
              n++;
            }
            expect(n).toBeGreaterThanOrEqual(8);
            break;
          }
          case 0xb1: {
            const rpm = /Nominal rotation rate: (\d+) rpm/u.exec(text);
            expect(p.mediumRotationRate).toBe(
              rpm !== null ? Number(rpm[1]) : text.includes('Non-rotating medium') ? 1 : 0,
            );
            const kv = parseKeyValues(text);
            for (const [k, field] of Object.entries(B1_KEYS)) {
              const v = kv.get(k);
              if (v !== undefined) expect(num(p[field]), k).toBe(v);
            }
            break;
          }
          case 0xb2: {
            const lines = parseColonLines(text);
            for (const [label, field] of Object.entries(B2_LABELS)) {
              const v = lines.get(label);
              if (v !== undefined) expect(BigInt(num(p[field]) ?? -1), label).toBe(leadingNumber(v));
            }
            break;
          }
        }
      });
      if (did) compared.push(page);
    }
    expect(compared).toContain(0x00);
    expect(compared).toContain(0x83);
  });

  it('capacity: readcap --long vs sg_readcap --long', async () => {
    await both('sg_readcap', ['--long', dev], ['readcap', dev, '--long'], (sg, doc) => {
      const t = sg.stdout;
      const kv = parseKeyValues(t);
      expect(num(doc.protEn)).toBe(requireKey(kv, 'prot_en', t));
      expect(doc.pType).toBe(requireKey(kv, 'p_type', t));
      expect(doc.pIExponent).toBe(requireKey(kv, 'p_i_exponent', t));
      expect(num(doc.lbpme)).toBe(requireKey(kv, 'lbpme', t));
      expect(num(doc.lbprz)).toBe(requireKey(kv, 'lbprz', t));
      expect(doc.lastLba).toBe(/Last LBA=(\d+)/u.exec(t)?.[1]);
      expect(doc.logicalBlockLengthInBytes).toBe(Number(/Logical block length=(\d+)/u.exec(t)?.[1]));
      expect(doc.logicalBlocksPerPhysicalBlockExponent).toBe(
        Number(/Logical blocks per physical block exponent=(\d+)/u.exec(t)?.[1]),
      );
      expect(doc.lowestAlignedLba).toBe(Number(/Lowest aligned LBA=(\d+)/u.exec(t)?.[1]));
      expect(doc.capacityBytes).toBe(/Device size: (\d+) bytes/u.exec(t)?.[1]);
    });
    await both('sg_readcap', [dev], ['readcap', dev], (sg, doc) => {
      expect(doc.lastLba).toBe(/Last LBA=(\d+)/u.exec(sg.stdout)?.[1]);
    });
  });

  it('LUNs: luns vs sg_luns', async () => {
    await both('sg_luns', [dev], ['luns', dev], (sg, doc) => {
      const theirs = [...sg.stdout.matchAll(/^\s{4}([0-9a-f]{16})\b/gmu)].map((m) => m[1]);
      expect(theirs.length).toBeGreaterThan(0);
      expect((doc.luns as Doc[]).map((l) => l.bytes)).toEqual(theirs);
      expect(doc.lunListLength).toBe(Number(/Lun list length = (\d+)/u.exec(sg.stdout)?.[1]));
    });
  });

  it('opcodes vs sg_opcodes (or the same exit status where the device lacks RSOC)', async () => {
    await both('sg_opcodes', [dev], ['opcodes', dev], (sg, doc) => {
      const rows = [...sg.stdout.matchAll(/^\s+([0-9a-f]{2})\s+(?:([0-9a-f]{1,4})\s+)?(\d+)\s+\S/gmu)].map(
        (m) =>
          `${Number.parseInt(m[1] ?? '', 16)}/${m[2] === undefined ? '-' : Number.parseInt(m[2], 16)}/${m[3]}`,
      );
      expect(rows.length).toBeGreaterThan(0);
      const ours = (doc.commands as Doc[]).map(
        (c) =>
          `${c.operationCode as number}/${c.servactv === true ? (c.serviceAction as number) : '-'}/${c.cdbLength as number}`,
      );
      expect(ours.sort()).toEqual(rows.sort());
    });
  });

  it('mode pages: modes --page 0x3f vs sg_modes --dbd --page=0x3f', async () => {
    // --dbd: our MODE SENSE disables block descriptors (DBD=1); sg_modes asks for them unless told.
    await both('sg_modes', ['--dbd', '--page=0x3f', dev], ['modes', dev, '--page', '0x3f'], (sg, doc) => {
      const t = sg.stdout;
      const header = doc.header as Doc;
      // sg_modes prints the whole response length: the field plus its own 2 (or 1) bytes.
      const fieldBytes = (doc.headerSize as number) === 10 ? 2 : 1;
      expect((header.modeDataLength as number) + fieldBytes).toBe(
        Number(/Mode data length=(\d+)/u.exec(t)?.[1]),
      );
      expect(header.mediumType).toBe(Number(/medium type=(0x[0-9a-f]+)/u.exec(t)?.[1]));
      expect(num(header.wp)).toBe(Number(/WP=(\d)/u.exec(t)?.[1]));
      expect(num(header.dpofua)).toBe(Number(/DpoFua=(\d)/u.exec(t)?.[1]));
      expect(header.blockDescriptorLength).toBe(Number(/Block descriptor length=(\d+)/u.exec(t)?.[1]));
      const theirs = parseSgModesPages(t);
      const ours = doc.pages as Doc[];
      expect(ours.map((p) => p.pageCode)).toEqual([...theirs.keys()]);
      for (const p of ours) {
        const bytes = theirs.get(p.pageCode as number);
        if (bytes !== undefined && bytes.length > 0) {
          expect(p.raw, `page ${p.pageCode as number}`).toBe(Buffer.from(bytes).toString('hex'));
        }
      }
    });
  });

  it('log pages: logs vs sg_logs (supported pages; temperature where listed)', async () => {
    let supported: number[] = [];
    await both('sg_logs', ['--page=0x0', dev], ['logs', dev, '--page', '0'], (sg, doc) => {
      const theirs = [...sg.stdout.matchAll(/^\s+0x([0-9a-f]{2})\s/gmu)].map((m) =>
        Number.parseInt(m[1] ?? '', 16),
      );
      supported = (doc.fields as { supportedPages: number[] }).supportedPages;
      expect(supported).toEqual(theirs);
    });
    if (supported.includes(0x0d)) {
      await both('sg_logs', ['--page=0xd', dev], ['logs', dev, '--page', '0xd'], (sg, doc) => {
        const f = doc.fields as { temperature: number; referenceTemperature: number };
        expect(sg.stdout).toContain(`Current temperature = ${f.temperature} C`);
      });
    }
  });

  it('PR keys: pr read-keys vs sg_persist --read-keys', async () => {
    await both('sg_persist', ['--read-keys', dev], ['pr', dev, 'read-keys'], (sg, doc) => {
      const gen = /PR generation=0x([0-9a-f]+)/u.exec(sg.stdout);
      expect(gen).not.toBeNull();
      expect(doc.prGeneration).toBe(Number.parseInt(gen?.[1] ?? '', 16));
      const keys = [...sg.stdout.matchAll(/^\s+0x([0-9a-f]+)\s*$/gmu)].map((m) =>
        BigInt(`0x${m[1]}`).toString(),
      );
      expect(doc.keys).toEqual(keys);
    });
  });
});
