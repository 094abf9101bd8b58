/**
 * SPC commands of a Device (identity, VPD, LUNs, opcodes, mode and log pages, START STOP UNIT) as
 * plain functions over the funnel. The cached answers (VPD list, block limits, provisioning,
 * opcodes, the MODE SENSE size) live in the funnel's caches, where the SBC family reads them.
 */
import {
  applyModePageChanges,
  type BlockDeviceCharacteristicsVpd,
  type BlockLimitsVpd,
  buildInquiry,
  buildLogSense,
  buildModeSelect6,
  buildModeSelect10,
  buildModeSelectData,
  buildModeSense6,
  buildModeSense10,
  buildReadMediaSerialNumber,
  buildReportLuns,
  buildReportSupportedOperationCodes,
  buildStartStopUnit,
  buildTestUnitReady,
  type CachingPage,
  CdbBuildError,
  type DeviceIdentificationVpd,
  decodeBlockDeviceCharacteristics,
  decodeBlockLimits,
  decodeCachingPage,
  decodeDeviceIdentification,
  decodeLogicalBlockProvisioning,
  decodeLogPage,
  decodeMediaSerialNumber,
  decodeModeSense6,
  decodeModeSense10,
  decodeReportLuns,
  decodeStandardInquiry,
  decodeSupportedOpcodesAll,
  decodeSupportedVpdPages,
  decodeUnitSerialNumber,
  decodeVpdPage,
  type LogicalBlockProvisioningVpd,
  type LogPage,
  type LogPageControl,
  type MediaSerialNumber,
  type ModePage,
  type ModePageControl,
  type ModeParameters,
  type ReportLunsData,
  type ReportLunsSelect,
  SENSE_KEY,
  type StandardInquiry,
  type StartStopUnitParams,
  type SupportedOpcodesAll,
  type UnitSerialNumberVpd,
  type VpdPage,
} from '@scsikit/cdb';
import { CheckConditionError, InvalidArgumentError } from './errors.js';
import { type CommandOptions, type Funnel, readDecoded } from './funnel.js';

export interface ModeSenseOptions extends CommandOptions {
  readonly subpage?: number;
  /** @default 'current' */
  readonly pageControl?: ModePageControl;
  /** Disable block descriptors. @default true */
  readonly dbd?: boolean;
}

/** `cachingPage()`: the caching mode page (08h) decoded, with the raw pages for MODE SELECT. */
export interface CachingPageState {
  /** The page as the device has it now (PC = current). */
  readonly current: CachingPage;
  /** 1 bits = changeable (PC = changeable values). */
  readonly changeable: CachingPage;
  /** The raw page, for applyModePageChanges/modeSelect. */
  readonly page: ModePage;
  readonly changeablePage: ModePage;
}

type Refresh = CommandOptions & { readonly refresh?: boolean };

export async function testUnitReady(f: Funnel, options?: CommandOptions): Promise<void> {
  await f.run(buildTestUnitReady(), options);
}

export async function inquiry(f: Funnel, options?: CommandOptions): Promise<StandardInquiry> {
  const data = await readDecoded(
    f,
    (allocationLength) => buildInquiry({ allocationLength }),
    decodeStandardInquiry,
    96,
    255,
    options,
  );
  f.caches.inquiry = data;
  return data;
}

export function vpd(f: Funnel, page: number, options?: CommandOptions): Promise<VpdPage> {
  if (!Number.isInteger(page) || page < 0 || page > 0xff) {
    return Promise.reject(
      new InvalidArgumentError(
        'page',
        `Expected \`page\` to be an integer in [0, 255], got \`${String(page)}\``,
      ),
    );
  }
  return vpdTyped(f, page, (b) => decodeVpdPage(b, page), options);
}

function vpdTyped<T>(
  f: Funnel,
  page: number,
  decode: (b: Uint8Array) => T,
  options?: CommandOptions,
): Promise<T> {
  return readDecoded(
    f,
    (allocationLength) => buildInquiry({ evpd: true, pageCode: page, allocationLength }),
    decode as (b: Uint8Array) => T & { truncated?: boolean },
    252,
    0xffff,
    options,
  );
}

export async function supportedVpdPages(f: Funnel, options?: Refresh): Promise<readonly number[]> {
  const cached = f.caches.vpdPages;
  if (cached != null && options?.refresh !== true) return cached;
  const p = await vpdTyped(f, 0x00, decodeSupportedVpdPages, options);
  f.caches.vpdPages = p.supportedPages;
  return p.supportedPages;
}

export function unitSerialNumber(f: Funnel, options?: CommandOptions): Promise<UnitSerialNumberVpd> {
  return vpdTyped(f, 0x80, decodeUnitSerialNumber, options);
}

/** READ MEDIA SERIAL NUMBER, sent again with the whole length when the first answer is cut. */
export function readMediaSerialNumber(f: Funnel, options?: CommandOptions): Promise<MediaSerialNumber> {
  return readDecoded(
    f,
    (allocationLength) => buildReadMediaSerialNumber({ allocationLength }),
    decodeMediaSerialNumber,
    256,
    0xffff_fff0,
    options,
  );
}

export function deviceIdentification(f: Funnel, options?: CommandOptions): Promise<DeviceIdentificationVpd> {
  return vpdTyped(f, 0x83, decodeDeviceIdentification, options);
}

export async function blockLimits(f: Funnel, options?: Refresh): Promise<BlockLimitsVpd> {
  const cached = f.caches.blockLimits;
  if (cached != null && options?.refresh !== true) return cached;
  const p = await vpdTyped(f, 0xb0, decodeBlockLimits, options);
  f.caches.blockLimits = p;
  return p;
}

export function blockDeviceCharacteristics(
  f: Funnel,
  options?: CommandOptions,
): Promise<BlockDeviceCharacteristicsVpd> {
  return vpdTyped(f, 0xb1, decodeBlockDeviceCharacteristics, options);
}

export async function logicalBlockProvisioning(
  f: Funnel,
  options?: Refresh,
): Promise<LogicalBlockProvisioningVpd> {
  const cached = f.caches.lbp;
  if (cached != null && options?.refresh !== true) return cached;
  const p = await vpdTyped(f, 0xb2, decodeLogicalBlockProvisioning, options);
  f.caches.lbp = p;
  return p;
}

export function reportLuns(
  f: Funnel,
  options?: CommandOptions & { readonly select?: ReportLunsSelect },
): Promise<ReportLunsData> {
  const select = options?.select;
  return readDecoded(
    f,
    (allocationLength) =>
      buildReportLuns({ allocationLength, ...(select === undefined ? {} : { selectReport: select }) }),
    decodeReportLuns,
    4096,
    0xffff_fff0,
    options,
  );
}

export async function supportedOperationCodes(f: Funnel, options?: Refresh): Promise<SupportedOpcodesAll> {
  const cached = f.caches.opcodes;
  if (cached != null && options?.refresh !== true) return cached;
  const type = f.caches.inquiry?.peripheralDeviceType ?? f.info?.type;
  const ask = (rctd: boolean) =>
    readDecoded(
      f,
      (allocationLength) => buildReportSupportedOperationCodes({ mode: 'all', rctd, allocationLength }),
      (b) => decodeSupportedOpcodesAll(b, type === undefined ? {} : { peripheralDeviceType: type }),
      8192,
      0xffff_fff0,
      options,
    );
  try {
    let r: SupportedOpcodesAll;
    try {
      r = await ask(true);
    } catch (e) {
      // libata's SAT layer refuses RCTD (05/24/00) but lists its commands without timeouts.
      if (!(e instanceof CheckConditionError && e.is(SENSE_KEY.ILLEGAL_REQUEST, 0x24))) throw e;
      r = await ask(false);
    }
    f.caches.opcodes = r;
    return r;
  } catch (e) {
    if (e instanceof CheckConditionError && e.senseKey === SENSE_KEY.ILLEGAL_REQUEST) f.caches.opcodes = null;
    throw e;
  }
}

export function supportsCommand(f: Funnel, opcode: number, serviceAction?: number): boolean | undefined {
  const caches = f.caches;
  const all = caches.opcodes;
  if (all == null) return undefined;
  // Asked twice per read/write: remembered per opcode list (a new list is a new memo).
  if (caches.supportMemo?.list !== all) caches.supportMemo = { list: all, answers: new Map() };
  const key = serviceAction === undefined ? opcode : opcode + 256 * (serviceAction + 1);
  let answer = caches.supportMemo.answers.get(key);
  if (answer === undefined) {
    answer = all.commands.some(
      (c) =>
        c.operationCode === opcode &&
        (serviceAction === undefined || !c.servactv || c.serviceAction === serviceAction),
    );
    caches.supportMemo.answers.set(key, answer);
  }
  return answer;
}

export async function modeSense(
  f: Funnel,
  page: number,
  options: ModeSenseOptions = {},
): Promise<ModeParameters> {
  const base = {
    pageCode: page,
    ...(options.subpage === undefined ? {} : { subpageCode: options.subpage }),
    pageControl: options.pageControl ?? 'current',
    dbd: options.dbd ?? true,
  };
  if (!f.caches.modeSense6) {
    try {
      return await readDecoded(
        f,
        (allocationLength) => buildModeSense10({ ...base, allocationLength }),
        decodeModeSense10,
        4096,
        0xffff,
        options,
      );
    } catch (e) {
      if (!(e instanceof CheckConditionError && e.is(SENSE_KEY.ILLEGAL_REQUEST, 0x20, 0x00))) throw e;
      f.caches.modeSense6 = true;
    }
  }
  return readDecoded(
    f,
    (allocationLength) => buildModeSense6({ ...base, allocationLength }),
    decodeModeSense6,
    252,
    255,
    options,
  );
}

export async function modeSelect(
  f: Funnel,
  pages: readonly ModePage[],
  options: CommandOptions & { readonly save?: boolean } = {},
): Promise<void> {
  const headerSize = f.caches.modeSense6 ? 6 : 10;
  const data = buildModeSelectData({ headerSize, pages: pages.map((p) => p.raw) });
  const params = { pf: true, sp: options.save === true, parameterListLength: data.length };
  const spec = headerSize === 6 ? buildModeSelect6(params) : buildModeSelect10(params);
  await f.run(spec, { ...options, data });
}

export async function cachingPage(f: Funnel, options?: CommandOptions): Promise<CachingPageState> {
  const current = await modeSense(f, 0x08, { ...options, pageControl: 'current' });
  const changeable = await modeSense(f, 0x08, { ...options, pageControl: 'changeable' });
  const page = current.pages.find((p) => p.pageCode === 0x08);
  const changeablePage = changeable.pages.find((p) => p.pageCode === 0x08);
  if (page === undefined || changeablePage === undefined) {
    throw new InvalidArgumentError('page', 'the device returned no caching mode page (08h)');
  }
  return {
    current: decodeCachingPage(page.raw),
    changeable: decodeCachingPage(changeablePage.raw),
    page,
    changeablePage,
  };
}

export async function setWriteCache(
  f: Funnel,
  enabled: boolean,
  options: CommandOptions & { readonly save?: boolean } = {},
): Promise<void> {
  f.guardWrite('MODE SELECT');
  const state = await cachingPage(f, options);
  if (state.current.wce === enabled) return;
  let page: ModePage;
  try {
    page = applyModePageChanges(state.page, state.changeablePage, { wce: enabled });
  } catch (e) {
    if (e instanceof CdbBuildError) {
      throw new InvalidArgumentError(
        'enabled',
        `the device does not allow changing the write cache: ${e.message}`,
        {
          cause: e,
        },
      );
    }
    throw e;
  }
  f.caches.cacheMode = undefined;
  await modeSelect(f, [page], options);
}

export function logSense(
  f: Funnel,
  page: number,
  options: CommandOptions & { readonly subpage?: number; readonly pageControl?: LogPageControl } = {},
): Promise<LogPage> {
  return readDecoded(
    f,
    (allocationLength) =>
      buildLogSense({
        pageCode: page,
        ...(options.subpage === undefined ? {} : { subpageCode: options.subpage }),
        pageControl: options.pageControl ?? 'cumulative',
        allocationLength,
      }),
    decodeLogPage as (b: Uint8Array) => LogPage & { truncated?: boolean },
    4096,
    0xffff,
    options,
  );
}

export async function startStopUnit(
  f: Funnel,
  params: StartStopUnitParams = { start: true },
  options?: CommandOptions,
): Promise<void> {
  await f.run(buildStartStopUnit(params), options);
}
