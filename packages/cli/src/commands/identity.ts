/**
 * Identity and capability commands: list (lsscsi -g), inquiry (sg_inq), vpd (sg_vpd), readcap
 * (sg_readcap), luns (sg_luns), tur (sg_turs), media-serial (sg_rmsn), opcodes (sg_opcodes).
 */
import {
  buildReadCapacity10,
  buildReadCapacity16,
  type DesignationDescriptor,
  decodeReadCapacity10,
  decodeReadCapacity16,
  type StandardInquiry,
  type VpdPage,
  vpdPageName,
} from '@scsikit/cdb';
import { type Device, listDevices, type ScsiDeviceInfo } from '@scsikit/core';
import { z } from 'zod';
import type { Output } from '../context.js';
import { UsageError } from '../errors.js';
import { bytesHuman, flags, hexDump, hx, labelled, scalarRows, table } from '../format.js';
import { byte, hexBytes, successSchema, u64, uint } from '../json.js';
import { type Cli, type CommonOpts, int } from '../registration.js';

// ---------------------------------------------------------------------------------------------
// list

export const listSchema = successSchema('list', {
  devices: z.array(
    z.looseObject({
      hctl: z.string(),
      type: z.number().int(),
      typeName: z.string(),
      vendor: z.string(),
      model: z.string(),
      revision: z.string(),
      block: z.string().optional(),
      sg: z.string().optional(),
      bsg: z.string().optional(),
      capacityBytes: u64.optional(),
      wwn: z.string().optional(),
    }),
  ),
});

export function listCommand(devices: readonly ScsiDeviceInfo[]): Output {
  // lsscsi -g: [H:C:T:L] type vendor model rev block-node sg-node
  const text = devices
    .map((d) =>
      [
        `[${d.hctl}]`.padEnd(13),
        d.typeName.padEnd(8),
        d.vendor.padEnd(8),
        d.model.padEnd(16),
        d.revision.padEnd(4),
        ` ${(d.block ?? '-').padEnd(9)}`,
        d.sg ?? '-',
      ].join(' '),
    )
    .join('\n');
  return {
    body: { devices: devices.map(({ sysfsPath: _p, ...d }) => d) },
    text: devices.length === 0 ? 'no SCSI devices found\n' : `${text}\n`,
  };
}

// ---------------------------------------------------------------------------------------------
// inquiry

const standardInquiryBody = {
  peripheralQualifier: z.number().int(),
  peripheralDeviceType: z.number().int(),
  peripheralDeviceTypeName: z.string(),
  rmb: z.boolean(),
  luCong: z.boolean(),
  hotPluggable: z.number().int(),
  version: byte,
  versionName: z.string(),
  normaca: z.boolean(),
  hisup: z.boolean(),
  responseDataFormat: z.number().int(),
  additionalLength: z.number().int(),
  sccs: z.boolean().optional(),
  acc: z.boolean().optional(),
  tpgs: z.number().int().optional(),
  tpc: z.boolean().optional(),
  protect: z.boolean().optional(),
  encserv: z.boolean().optional(),
  multip: z.boolean().optional(),
  cmdque: z.boolean().optional(),
  vendor: z.string().optional(),
  product: z.string().optional(),
  revision: z.string().optional(),
  versionDescriptors: z.array(z.object({ code: z.number().int(), name: z.string().optional() })),
};

const vpdPageSchema = z.looseObject({
  /** Which decoder ran: 'supportedVpdPages', 'deviceIdentification', 'blockLimits' … or 'generic'. */
  kind: z.string(),
  pageCode: byte,
  pageName: z.string(),
  peripheralDeviceType: z.number().int(),
  pageLength: z.number().int(),
  raw: hexBytes,
});

export const inquirySchema = z.union([
  successSchema('inquiry', { ...standardInquiryBody }).loose(),
  successSchema('inquiry', { vpd: vpdPageSchema }),
]);

function bookkeepingFree<T extends object>(o: T): T {
  const {
    truncated: _t,
    requiredLength: _r,
    availableLength: _a,
    ...rest
  } = o as T & {
    truncated?: unknown;
    requiredLength?: unknown;
    availableLength?: unknown;
  };
  return rest as T;
}

export function inquiryText(q: StandardInquiry): string {
  const lines = [
    'standard INQUIRY:',
    `${flags([
      ['PQual', q.peripheralQualifier],
      ['PDT', q.peripheralDeviceType],
      ['RMB', q.rmb],
      ['LU_CONG', q.luCong],
      ['hot_pluggable', q.hotPluggable],
      ['version', hx(q.version)],
    ])}  [${q.versionName}]`,
    flags([
      ['[AERC', q.aerc],
      ['[TrmTsk', q.trmtsk],
      ['NormACA', q.normaca],
      ['HiSUP', q.hisup],
      ['Resp_data_format', q.responseDataFormat],
    ]),
    flags([
      ['SCCS', q.sccs],
      ['ACC', q.acc],
      ['TPGS', q.tpgs],
      ['3PC', q.tpc],
      ['Protect', q.protect],
    ]),
    flags([
      ['EncServ', q.encserv],
      ['MultiP', q.multip],
      ['VS', q.vs],
      ['CmdQue', q.cmdque],
    ]),
    `  length=${q.additionalLength + 5} (${hx(q.additionalLength + 5)})   Peripheral device type: ${q.peripheralDeviceTypeName}`,
    labelled(
      [
        ['Vendor identification', q.vendor ?? ''],
        ['Product identification', q.product ?? ''],
        ['Product revision level', q.revision ?? ''],
      ],
      ' ',
    ),
  ];
  if (q.versionDescriptors.length > 0) {
    lines.push('  Version descriptors:');
    for (const d of q.versionDescriptors) lines.push(`    ${d.name ?? `[${hx(d.code, 4)}]`}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function inquiryCommand(dev: Device, vpdPage?: number): Promise<Output> {
  if (vpdPage !== undefined) {
    const page = await dev.vpd(vpdPage);
    return { body: { vpd: vpdJson(page) }, text: vpdText(page) };
  }
  const q = await dev.inquiry();
  return { body: { ...bookkeepingFree(q) }, text: inquiryText(q) };
}

// ---------------------------------------------------------------------------------------------
// vpd

/** sg_vpd's page abbreviations for the pages cdb decodes. */
export const VPD_ABBREVIATIONS: Readonly<Record<string, number>> = {
  sv: 0x00,
  sn: 0x80,
  di: 0x83,
  ei: 0x86,
  mpp: 0x87,
  sp: 0x88,
  ai: 0x89,
  pc: 0x8a,
  tpc: 0x8f,
  bl: 0xb0,
  bdc: 0xb1,
  lbpv: 0xb2,
  ref: 0xb3,
  zbdc: 0xb6,
  ble: 0xb7,
};

/** `--page` value: a number or an sg_vpd abbreviation. */
export function parseVpdPage(text: string): number {
  const abbr = VPD_ABBREVIATIONS[text.toLowerCase()];
  if (abbr !== undefined) return abbr;
  const t = text.trim();
  const m = /^(?:0x([0-9a-f]+)|([0-9a-f]+)h|([0-9]+))$/iu.exec(t);
  const v =
    m === null ? Number.NaN : Number.parseInt(m[1] ?? m[2] ?? m[3] ?? '', m[3] === undefined ? 16 : 10);
  if (!Number.isInteger(v) || v < 0 || v > 0xff) {
    throw new UsageError(
      `--page: expected a page code 0-255 or one of ${Object.keys(VPD_ABBREVIATIONS).join(', ')}, got "${text}"`,
    );
  }
  return v;
}

export const vpdSchema = successSchema('vpd', { pages: z.array(vpdPageSchema) });

function designatorJson(d: DesignationDescriptor): Record<string, unknown> {
  return { ...d };
}

export function vpdJson(page: VpdPage): Record<string, unknown> {
  const base = { pageName: vpdPageName(page.pageCode), ...bookkeepingFree(page) } as Record<string, unknown>;
  if (page.kind === 'deviceIdentification') base.designators = page.designators.map(designatorJson);
  return base;
}

export function vpdText(page: VpdPage): string {
  const head = `${vpdPageName(page.pageCode)} VPD page (${hx(page.pageCode)}):`;
  const lines: string[] = [head];
  switch (page.kind) {
    case 'supportedVpdPages':
      lines.push('  Supported VPD pages:');
      for (const p of page.supportedPages) lines.push(`    ${hx(p)}  ${vpdPageName(p)}`);
      break;
    case 'unitSerialNumber':
      lines.push(`  Unit serial number: ${page.productSerialNumber}`);
      break;
    case 'deviceIdentification':
      for (const d of [...page.designators].sort((a, b) => a.association - b.association)) {
        lines.push(`  ${d.associationName}:`);
        lines.push(
          `    designator type: ${d.designatorTypeName},  code set: ${d.codeSetName}${d.protocolIdentifierName === undefined ? '' : `,  transport: ${d.protocolIdentifierName}`}`,
        );
        lines.push(`      ${d.canonical}`);
      }
      break;
    case 'generic':
      lines.push(hexDump(page.raw, '   '));
      break;
    default:
      lines.push(
        labelled(
          scalarRows(page, ['peripheralQualifier', 'peripheralDeviceType', 'pageCode', 'pageLength', 'raw']),
        ),
      );
  }
  return `${lines.join('\n')}\n`;
}

export async function vpdCommand(dev: Device, page: number | 'all'): Promise<Output> {
  const codes =
    page === 'all' ? [0x00, ...(await dev.supportedVpdPages()).filter((p) => p !== 0x00)] : [page];
  const pages: VpdPage[] = [];
  for (const code of codes) pages.push(await dev.vpd(code));
  return { body: { pages: pages.map(vpdJson) }, text: pages.map(vpdText).join('\n') };
}

// ---------------------------------------------------------------------------------------------
// readcap

export const readcapSchema = successSchema('readcap', {
  /** 10 or 16: which READ CAPACITY answered. */
  source: z.union([z.literal(10), z.literal(16)]),
  returnedLogicalBlockAddress: u64,
  lastLba: u64,
  logicalBlockLengthInBytes: uint,
  blockLength: uint,
  /** lastLba + 1. */
  numberOfLogicalBlocks: u64,
  capacityBytes: u64,
  protEn: z.boolean().optional(),
  pType: z.number().int().optional(),
  pIExponent: z.number().int().optional(),
  logicalBlocksPerPhysicalBlockExponent: z.number().int().optional(),
  lbpme: z.boolean().optional(),
  lbprz: z.boolean().optional(),
  lowestAlignedLba: z.number().int().optional(),
  physicalBlockLength: uint.optional(),
});

export async function readcapCommand(dev: Device, long: boolean): Promise<Output> {
  // Sent through execute so the answer is the device's own (readCapacity() caches and normalises).
  let body: Record<string, unknown> & { lastLba: bigint; blockLength: number; capacityBytes: bigint };
  let r16: ReturnType<typeof decodeReadCapacity16> | undefined;
  const r10 = long ? undefined : decodeReadCapacity10((await dev.execute(buildReadCapacity10())).data);
  if (r10 !== undefined && !r10.needsReadCapacity16) {
    const { needsReadCapacity16: _n, ...rest } = r10;
    body = { source: 10, ...rest, returnedLogicalBlockAddress: BigInt(r10.returnedLogicalBlockAddress) };
  } else {
    r16 = decodeReadCapacity16((await dev.execute(buildReadCapacity16({ allocationLength: 32 }))).data);
    const {
      reserved: _r,
      protectionType: _p,
      protectionTypeName: _q,
      rcBasis: _b,
      ...rest
    } = bookkeepingFree(r16);
    body = { source: 16, ...rest, protectionType: r16.protectionType, rcBasis: r16.rcBasis };
  }
  const lines = ['Read Capacity results:'];
  if (r16 !== undefined) {
    lines.push(
      `   Protection: prot_en=${Number(r16.protEn)}, p_type=${r16.pType}, p_i_exponent=${r16.pIExponent}${r16.protEn ? ` [type ${r16.pType + 1} protection]` : ''}`,
      `   Logical block provisioning: lbpme=${Number(r16.lbpme)}, lbprz=${Number(r16.lbprz)}`,
    );
  }
  lines.push(
    `   Last LBA=${body.lastLba} (${hx(body.lastLba, 0)}), Number of logical blocks=${body.lastLba + 1n}`,
  );
  lines.push(`   Logical block length=${body.blockLength} bytes`);
  if (r16 !== undefined) {
    lines.push(
      `   Logical blocks per physical block exponent=${r16.logicalBlocksPerPhysicalBlockExponent} [so physical block length=${r16.physicalBlockLength} bytes]`,
      `   Lowest aligned LBA=${r16.lowestAlignedLba}`,
    );
  }
  lines.push('Hence:', `   Device size: ${body.capacityBytes} bytes, ${bytesHuman(body.capacityBytes)}`);
  return {
    body: { ...body, numberOfLogicalBlocks: body.lastLba + 1n },
    text: `${lines.join('\n')}\n`,
  };
}

// ---------------------------------------------------------------------------------------------
// luns

export const lunsSchema = successSchema('luns', {
  lunListLength: uint,
  luns: z.array(
    z.looseObject({
      /** The 8-byte LUN as an integer (big-endian), decimal string. */
      lun: u64,
      /** The LUN's bytes as hex (sg_luns prints these). */
      bytes: hexBytes,
      addressMethod: z.string(),
      linuxLun: u64,
    }),
  ),
});

export async function lunsCommand(dev: Device, select: number): Promise<Output> {
  const r = await dev.reportLuns({ select: select as 0 });
  const lines = [
    `Lun list length = ${r.lunListLength} which implies ${r.lunListLength / 8} lun entr${r.lunListLength === 8 ? 'y' : 'ies'}`,
    `Report luns [select_report=${hx(select)}]:`,
    ...r.luns.map(
      (l) =>
        `    ${Buffer.from(l.bytes).toString('hex')}    [Linux LUN ${l.linuxLun}, ${l.addressMethod} addressing]`,
    ),
  ];
  return {
    body: { lunListLength: r.lunListLength, luns: r.luns.map((l) => ({ ...l })) },
    text: `${lines.join('\n')}\n`,
  };
}

// ---------------------------------------------------------------------------------------------
// tur

export const turSchema = successSchema('tur', { ready: z.literal(true) });

export async function turCommand(dev: Device): Promise<Output> {
  await dev.testUnitReady({ retry: false });
  return { body: { ready: true }, text: 'ready\n' };
}

// ---------------------------------------------------------------------------------------------
// media-serial

export const mediaSerialSchema = successSchema('media-serial', {
  /** MEDIA SERIAL NUMBER LENGTH as the device reported it; 0 when the medium has none. */
  mediaSerialNumberLength: uint,
  /** The serial number bytes (vendor specific). */
  mediaSerialNumber: hexBytes,
  /** The same bytes as printable ASCII, trailing spaces trimmed. */
  text: z.string(),
});

export async function mediaSerialCommand(dev: Device): Promise<Output> {
  const m = await dev.readMediaSerialNumber();
  const body = {
    mediaSerialNumberLength: m.mediaSerialNumberLength,
    mediaSerialNumber: m.mediaSerialNumber,
    text: m.text,
  };
  const lines = [`Reported media serial number length = ${m.mediaSerialNumberLength}`];
  if (m.mediaSerialNumberLength === 0) lines.push('  (the medium has no serial number)');
  else lines.push(`Media serial number: ${m.text}`, hexDump(m.mediaSerialNumber, '  '));
  return { body, text: `${lines.join('\n')}\n` };
}

// ---------------------------------------------------------------------------------------------
// opcodes

export const opcodesSchema = successSchema('opcodes', {
  commands: z.array(
    z.looseObject({
      operationCode: byte,
      serviceAction: z.number().int(),
      servactv: z.boolean(),
      cdbLength: z.number().int(),
      name: z.string(),
      timeouts: z
        .object({
          descriptorLength: z.number().int(),
          commandSpecific: byte,
          nominalCommandProcessingTimeout: uint,
          recommendedCommandTimeout: uint,
        })
        .optional(),
    }),
  ),
});

export async function opcodesCommand(dev: Device): Promise<Output> {
  const r = await dev.supportedOperationCodes({ refresh: true });
  const rows = r.commands.map((c) => [
    c.operationCode.toString(16).padStart(2, '0'),
    c.servactv ? c.serviceAction.toString(16) : '',
    String(c.cdbLength),
    c.timeouts === undefined ? '-' : String(c.timeouts.nominalCommandProcessingTimeout),
    c.timeouts === undefined ? '-' : String(c.timeouts.recommendedCommandTimeout),
    c.name,
  ]);
  const text = `${table(['Opcode', 'Service Action', 'Cdb size', 'Nominal timeout (s)', 'Recommended timeout (s)', 'Name'], rows)}\n`;
  return { body: { commands: r.commands.map((c) => ({ ...c })) }, text };
}

/** Registers list, inquiry, vpd, readcap, luns, tur, media-serial, opcodes. */
export function registerIdentityCommands({ runner, deps, deviceCommand, localCommand }: Cli): void {
  localCommand('list', 'list SCSI devices with their sg/bsg nodes (lsscsi -g)')
    .option('--sysfs <dir>', 'sysfs root to read (default /sys)')
    .action((opts: CommonOpts & { sysfs?: string }) =>
      runner.local('list', opts, () =>
        listCommand(
          (deps.listDevices ?? ((r) => listDevices(r === undefined ? {} : { sysRoot: r })))(opts.sysfs),
        ),
      ),
    );

  deviceCommand('inquiry', 'standard INQUIRY data (sg_inq), or one VPD page with --vpd')
    .option('-p, --vpd <page>', `a VPD page: number or ${Object.keys(VPD_ABBREVIATIONS).join('|')}`)
    .action((device: string, opts: CommonOpts & { vpd?: string }) =>
      runner.device('inquiry', device, opts, false, (dev) =>
        inquiryCommand(dev, opts.vpd === undefined ? undefined : parseVpdPage(opts.vpd)),
      ),
    );

  deviceCommand('vpd', 'VPD pages decoded (sg_vpd): one page, or all the device lists')
    .option('-p, --page <page>', `page code, ${Object.keys(VPD_ABBREVIATIONS).join('|')}, or all`, '0')
    .action((device: string, opts: CommonOpts & { page: string }) =>
      runner.device('vpd', device, opts, false, (dev) =>
        vpdCommand(dev, opts.page.toLowerCase() === 'all' ? 'all' : parseVpdPage(opts.page)),
      ),
    );

  deviceCommand('readcap', 'READ CAPACITY (sg_readcap); (16) with --long or when (10) cannot tell')
    .option('-l, --long', 'use READ CAPACITY(16)')
    .action((device: string, opts: CommonOpts & { long?: boolean }) =>
      runner.device('readcap', device, opts, false, (dev) => readcapCommand(dev, opts.long === true)),
    );

  deviceCommand('luns', 'REPORT LUNS (sg_luns)')
    .option('-s, --select <n>', 'SELECT REPORT field (0, 1, 2, 0x10-0x12)', int('--select', 0, 255), 0)
    .action((device: string, opts: CommonOpts & { select: number }) =>
      runner.device('luns', device, opts, false, (dev) => lunsCommand(dev, opts.select)),
    );

  deviceCommand('tur', 'TEST UNIT READY (sg_turs): exit 0 when ready, 2 when not').action(
    (device: string, opts: CommonOpts) => runner.device('tur', device, opts, false, (dev) => turCommand(dev)),
  );

  deviceCommand('media-serial', 'READ MEDIA SERIAL NUMBER (sg_rmsn): the serial number of the medium').action(
    (device: string, opts: CommonOpts) =>
      runner.device('media-serial', device, opts, false, (dev) => mediaSerialCommand(dev)),
  );

  deviceCommand('opcodes', 'supported operation codes with timeouts (sg_opcodes --rctd)').action(
    (device: string, opts: CommonOpts) =>
      runner.device('opcodes', device, opts, false, (dev) => opcodesCommand(dev)),
  );
}
