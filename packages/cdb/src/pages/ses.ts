/**
 * SCSI Enclosure Services diagnostic pages (SES-4), read with RECEIVE DIAGNOSTIC RESULTS (PCV=1)
 * and written with SEND DIAGNOSTIC (PF=1): Supported Diagnostic Pages (00h), Configuration (01h),
 * Enclosure Status (02h in), Element Descriptor (07h), Additional Element Status (0Ah), and the
 * Enclosure Control page (02h out) builder.
 *
 * Element order: the status, control, descriptor and additional-status pages list, for each type
 * descriptor header of the Configuration page in order, one OVERALL element then one element per
 * possible element. `index` here is the element's position within its type (0-based), as sg_ses'
 * --index=TIA,II names it.
 */
import { checkParams } from '../args.js';
import { asciiTrim, ByteReader, type ByteSource, checkUint, putU16, putU32 } from '../bytes.js';
import { CdbBuildError, DecodeError } from '../errors.js';
import type { Truncation } from '../types.js';

/** Element type names (SES-4 Table 71), by ELEMENT TYPE code. */
export const SES_ELEMENT_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'unspecified',
  1: 'device slot',
  2: 'power supply',
  3: 'cooling',
  4: 'temperature sensor',
  5: 'door',
  6: 'audible alarm',
  7: 'enclosure services controller electronics',
  8: 'SCC controller electronics',
  9: 'nonvolatile cache',
  10: 'invalid operation reason',
  11: 'uninterruptible power supply',
  12: 'display',
  13: 'key pad entry',
  14: 'enclosure',
  15: 'SCSI port/transceiver',
  16: 'language',
  17: 'communication port',
  18: 'voltage sensor',
  19: 'current sensor',
  20: 'SCSI target port',
  21: 'SCSI initiator port',
  22: 'simple subenclosure',
  23: 'array device slot',
  24: 'SAS expander',
  25: 'SAS connector',
};

export function sesElementTypeName(code: number): string {
  return (
    SES_ELEMENT_TYPE_NAMES[code] ??
    (code >= 0x80 ? `vendor specific [0x${code.toString(16)}]` : `reserved [0x${code.toString(16)}]`)
  );
}

/** ELEMENT STATUS CODE names (SES-4 Table 74). */
export const SES_STATUS_NAMES: readonly string[] = [
  'unsupported',
  'OK',
  'critical',
  'noncritical',
  'unrecoverable',
  'not installed',
  'unknown',
  'not available',
  'no access allowed',
];

export function sesStatusName(code: number): string {
  return SES_STATUS_NAMES[code] ?? `reserved [${code}]`;
}

function diagnosticHeader(
  r: ByteReader,
  code: number,
  name: string,
): { end: number; truncated: boolean; required: number } {
  const pageCode = r.u8(0, `${name}.pageCode`);
  if (pageCode !== code)
    throw new DecodeError(
      `${name}.pageCode`,
      `expected ${code.toString(16)}h, got ${pageCode.toString(16)}h`,
      0,
    );
  const required = 4 + r.u16(2, `${name}.pageLength`);
  return { end: Math.min(r.length, required), truncated: r.length < required, required };
}

// ---------------------------------------------------------------------------------------------
// 00h Supported Diagnostic Pages (SPC-6)

export interface SupportedDiagnosticPages extends Truncation {
  readonly pages: number[];
}

export function decodeSupportedDiagnosticPages(source: ByteSource): SupportedDiagnosticPages {
  const r = new ByteReader(source);
  const h = diagnosticHeader(r, 0x00, 'supportedDiagnosticPages');
  return {
    pages: [...r.bytes.subarray(4, h.end)],
    truncated: h.truncated,
    requiredLength: h.required,
    availableLength: h.end,
  };
}

// ---------------------------------------------------------------------------------------------
// 01h Configuration (SES-4 6.1.2)

export interface SesEnclosureDescriptor {
  readonly relativeEnclosureServicesProcessIdentifier: number;
  readonly numberOfEnclosureServicesProcesses: number;
  readonly subenclosureIdentifier: number;
  readonly numberOfTypeDescriptorHeaders: number;
  /** ENCLOSURE LOGICAL IDENTIFIER (8 bytes) as 16 hex digits. */
  readonly enclosureLogicalIdentifier: string;
  readonly vendor: string;
  readonly product: string;
  readonly revision: string;
}

export interface SesTypeDescriptor {
  readonly elementType: number;
  readonly elementTypeName: string;
  readonly numberOfPossibleElements: number;
  readonly subenclosureIdentifier: number;
  /** TYPE DESCRIPTOR TEXT ('' when the length is 0). */
  readonly text: string;
}

export interface SesConfiguration extends Truncation {
  readonly numberOfSecondarySubenclosures: number;
  readonly generationCode: number;
  readonly enclosures: SesEnclosureDescriptor[];
  readonly types: SesTypeDescriptor[];
}

const hex8 = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

/** Decodes the Configuration page. Needs the whole page (DecodeError when cut: the lists depend on each other). */
export function decodeSesConfiguration(source: ByteSource): SesConfiguration {
  const r = new ByteReader(source);
  const h = diagnosticHeader(r, 0x01, 'configuration');
  const secondary = r.u8(1, 'configuration.numberOfSecondarySubenclosures');
  const generationCode = r.u32(4, 'configuration.generationCode');
  const enclosures: SesEnclosureDescriptor[] = [];
  let off = 8;
  for (let i = 0; i <= secondary; i++) {
    const b0 = r.u8(off, 'enclosureDescriptor.processIdentifiers');
    const length = r.u8(off + 3, 'enclosureDescriptor.length');
    if (length < 36)
      throw new DecodeError('enclosureDescriptor.length', `must be at least 36, got ${length}`, off + 3);
    r.need(off, 4 + length, 'enclosureDescriptor');
    enclosures.push({
      relativeEnclosureServicesProcessIdentifier: (b0 >> 4) & 0x07,
      numberOfEnclosureServicesProcesses: b0 & 0x07,
      subenclosureIdentifier: r.u8(off + 1, 'enclosureDescriptor.subenclosureIdentifier'),
      numberOfTypeDescriptorHeaders: r.u8(off + 2, 'enclosureDescriptor.numberOfTypeDescriptorHeaders'),
      enclosureLogicalIdentifier: hex8(r.slice(off + 4, 8, 'enclosureDescriptor.enclosureLogicalIdentifier')),
      vendor: r.ascii(off + 12, 8, 'enclosureDescriptor.vendor'),
      product: r.ascii(off + 20, 16, 'enclosureDescriptor.product'),
      revision: r.ascii(off + 36, 4, 'enclosureDescriptor.revision'),
    });
    off += 4 + length;
  }
  const count = enclosures.reduce((n, e) => n + e.numberOfTypeDescriptorHeaders, 0);
  const headers: Array<[number, number, number, number]> = [];
  for (let i = 0; i < count; i++, off += 4) {
    headers.push([
      r.u8(off, 'typeDescriptorHeader.elementType'),
      r.u8(off + 1, 'typeDescriptorHeader.numberOfPossibleElements'),
      r.u8(off + 2, 'typeDescriptorHeader.subenclosureIdentifier'),
      r.u8(off + 3, 'typeDescriptorHeader.typeDescriptorTextLength'),
    ]);
  }
  const types = headers.map(([type, possible, sub, textLength]) => {
    const text = textLength === 0 ? '' : r.ascii(off, textLength, 'typeDescriptorText');
    off += textLength;
    return {
      elementType: type,
      elementTypeName: sesElementTypeName(type),
      numberOfPossibleElements: possible,
      subenclosureIdentifier: sub,
      text,
    };
  });
  return {
    numberOfSecondarySubenclosures: secondary,
    generationCode,
    enclosures,
    types,
    truncated: h.truncated,
    requiredLength: h.required,
    availableLength: h.end,
  };
}

// ---------------------------------------------------------------------------------------------
// 02h Enclosure Status (SES-4 6.1.4) and the per-type status fields (SES-4 7.3)

/** The per-type fields worth naming; absent for types that do not have them. */
export interface SesElementDetails {
  /** IDENT: the element's locate indicator is on. */
  readonly ident?: boolean;
  /** FAIL (or FAULT SENSED for a device slot): the element's failure indicator is on. */
  readonly fail?: boolean;
  /** Device slot / array device slot: FAULT REQSTD. */
  readonly faultRequested?: boolean;
  /** Device slot / array device slot: SLOT ADDRESS. */
  readonly slotAddress?: number;
  /** Device slot / array device slot: DEVICE OFF. */
  readonly deviceOff?: boolean;
  /** Temperature sensor: °C (TEMPERATURE − 20); absent when the field is 0 (reserved). */
  readonly temperatureCelsius?: number;
  /** Temperature sensor: OT FAILURE, OT WARNING, UT FAILURE, UT WARNING. */
  readonly overTemperatureFailure?: boolean;
  readonly overTemperatureWarning?: boolean;
  /** Cooling: ACTUAL FAN SPEED × 10 rpm, and ACTUAL SPEED CODE (0 stopped … 7 highest). */
  readonly fanSpeedRpm?: number;
  readonly speedCode?: number;
  /** Voltage sensor: VOLTAGE in volts (signed, 10 mV units). */
  readonly voltage?: number;
  /** Current sensor: CURRENT in amperes (10 mA units). */
  readonly current?: number;
  /** Power supply: DC FAIL, AC FAIL. */
  readonly dcFail?: boolean;
  readonly acFail?: boolean;
  /** Door: OPEN, UNLOCKED. */
  readonly open?: boolean;
  readonly unlocked?: boolean;
  /** Audible alarm: MUTED. */
  readonly muted?: boolean;
}

export interface SesStatusElement extends SesElementDetails {
  readonly elementType: number;
  readonly elementTypeName: string;
  /** Position within its type (0-based); absent for the OVERALL element. */
  readonly index?: number;
  readonly overall: boolean;
  readonly prdfail: boolean;
  readonly disabled: boolean;
  readonly swap: boolean;
  readonly status: number;
  readonly statusName: string;
  /** The 4 bytes as sent (copy), for the fields not decoded. */
  readonly raw: Uint8Array;
}

export interface SesEnclosureStatus extends Truncation {
  readonly invop: boolean;
  readonly info: boolean;
  readonly nonCrit: boolean;
  readonly crit: boolean;
  readonly unrecov: boolean;
  readonly generationCode: number;
  /** Per type descriptor header in order: the OVERALL element, then the individual ones. */
  readonly elements: SesStatusElement[];
}

/** The types whose element lists follow the page header: from the Configuration page. */
export type SesTypeList = ReadonlyArray<Pick<SesTypeDescriptor, 'elementType' | 'numberOfPossibleElements'>>;

function details(type: number, b: Uint8Array): SesElementDetails {
  const [, b1 = 0, b2 = 0, b3 = 0] = b;
  switch (type) {
    case 0x01:
    case 0x17:
      return {
        slotAddress: b1,
        ident: (b2 & 0x02) !== 0,
        fail: (b3 & 0x40) !== 0,
        faultRequested: (b3 & 0x20) !== 0,
        deviceOff: (b3 & 0x10) !== 0,
      };
    case 0x02:
      return {
        ident: (b1 & 0x80) !== 0,
        fail: (b3 & 0x40) !== 0,
        acFail: (b3 & 0x02) !== 0,
        dcFail: (b3 & 0x01) !== 0,
      };
    case 0x03:
      return {
        ident: (b1 & 0x80) !== 0,
        fail: (b3 & 0x40) !== 0,
        fanSpeedRpm: (((b1 & 0x07) << 8) | b2) * 10,
        speedCode: b3 & 0x07,
      };
    case 0x04:
      return {
        ident: (b1 & 0x80) !== 0,
        fail: (b1 & 0x40) !== 0,
        ...(b2 === 0 ? {} : { temperatureCelsius: b2 - 20 }),
        overTemperatureFailure: (b3 & 0x08) !== 0,
        overTemperatureWarning: (b3 & 0x04) !== 0,
      };
    case 0x05:
      return {
        ident: (b1 & 0x80) !== 0,
        fail: (b1 & 0x40) !== 0,
        open: (b3 & 0x02) !== 0,
        unlocked: (b3 & 0x01) !== 0,
      };
    case 0x06:
      return { ident: (b1 & 0x80) !== 0, fail: (b1 & 0x40) !== 0, muted: (b3 & 0x40) !== 0 };
    case 0x12:
    case 0x13: {
      const raw = (((b2 << 8) | b3) << 16) >> 16; // signed 16-bit
      return {
        ident: (b1 & 0x80) !== 0,
        fail: (b1 & 0x40) !== 0,
        ...(type === 0x12 ? { voltage: raw / 100 } : { current: raw / 100 }),
      };
    }
    case 0x07:
    case 0x0e:
      return { ident: (b1 & 0x80) !== 0, ...(type === 0x07 ? { fail: (b1 & 0x40) !== 0 } : {}) };
    default:
      return {};
  }
}

function statusElement(type: number, index: number | undefined, b: Uint8Array): SesStatusElement {
  const b0 = b[0] ?? 0;
  const status = b0 & 0x0f;
  return {
    elementType: type,
    elementTypeName: sesElementTypeName(type),
    ...(index === undefined ? {} : { index }),
    overall: index === undefined,
    prdfail: (b0 & 0x40) !== 0,
    disabled: (b0 & 0x20) !== 0,
    swap: (b0 & 0x10) !== 0,
    status,
    statusName: sesStatusName(status),
    ...details(type, b),
    raw: b,
  };
}

/**
 * Decodes the Enclosure Status page against the Configuration page's type list (the page itself
 * does not say which element is which). Elements cut by the allocation length are left out.
 */
export function decodeSesEnclosureStatus(source: ByteSource, types: SesTypeList): SesEnclosureStatus {
  const r = new ByteReader(source);
  const h = diagnosticHeader(r, 0x02, 'enclosureStatus');
  const b1 = r.u8(1, 'enclosureStatus.flags');
  const generationCode = r.u32(4, 'enclosureStatus.generationCode');
  const elements: SesStatusElement[] = [];
  let off = 8;
  outer: for (const t of types) {
    for (let i = -1; i < t.numberOfPossibleElements; i++, off += 4) {
      if (off + 4 > h.end) break outer;
      elements.push(statusElement(t.elementType, i < 0 ? undefined : i, r.bytes.slice(off, off + 4)));
    }
  }
  return {
    invop: (b1 & 0x10) !== 0,
    info: (b1 & 0x08) !== 0,
    nonCrit: (b1 & 0x04) !== 0,
    crit: (b1 & 0x02) !== 0,
    unrecov: (b1 & 0x01) !== 0,
    generationCode,
    elements,
    truncated: h.truncated,
    requiredLength: h.required,
    availableLength: h.end,
  };
}

// ---------------------------------------------------------------------------------------------
// 07h Element Descriptor (SES-4 6.1.10)

export interface SesElementDescriptorText {
  readonly elementType: number;
  readonly index?: number;
  readonly overall: boolean;
  readonly text: string;
}

export interface SesElementDescriptors extends Truncation {
  readonly generationCode: number;
  readonly descriptors: SesElementDescriptorText[];
}

export function decodeSesElementDescriptors(source: ByteSource, types: SesTypeList): SesElementDescriptors {
  const r = new ByteReader(source);
  const h = diagnosticHeader(r, 0x07, 'elementDescriptor');
  const generationCode = r.u32(4, 'elementDescriptor.generationCode');
  const descriptors: SesElementDescriptorText[] = [];
  let off = 8;
  outer: for (const t of types) {
    for (let i = -1; i < t.numberOfPossibleElements; i++) {
      if (off + 4 > h.end) break outer;
      const length = r.u16(off + 2, 'elementDescriptor.descriptorLength');
      if (off + 4 + length > h.end) break outer;
      descriptors.push({
        elementType: t.elementType,
        ...(i < 0 ? {} : { index: i }),
        overall: i < 0,
        text: asciiTrim(r.bytes.subarray(off + 4, off + 4 + length)),
      });
      off += 4 + length;
    }
  }
  return {
    generationCode,
    descriptors,
    truncated: h.truncated,
    requiredLength: h.required,
    availableLength: h.end,
  };
}

// ---------------------------------------------------------------------------------------------
// 0Ah Additional Element Status (SES-4 6.1.13): SAS device slot addresses

export interface SesSasPhy {
  readonly deviceType: number;
  readonly sasAddress: string;
  readonly attachedSasAddress: string;
  readonly phyIdentifier: number;
}

export interface SesAdditionalElement {
  /** EIIOE-independent: the ELEMENT INDEX field when EIP is set (counting every element, overall excluded). */
  readonly elementIndex?: number;
  readonly invalid: boolean;
  readonly protocolIdentifier: number;
  /** SAS (protocol 6) device slot descriptors (descriptor type 0): one per phy. */
  readonly phys: SesSasPhy[];
  /** The descriptor as sent (copy). */
  readonly raw: Uint8Array;
}

export interface SesAdditionalElementStatus extends Truncation {
  readonly generationCode: number;
  readonly descriptors: SesAdditionalElement[];
}

const hexAt = (r: ByteReader, off: number, field: string): string => hex8(r.slice(off, 8, field));

export function decodeSesAdditionalElementStatus(source: ByteSource): SesAdditionalElementStatus {
  const r = new ByteReader(source);
  const h = diagnosticHeader(r, 0x0a, 'additionalElementStatus');
  const generationCode = r.u32(4, 'additionalElementStatus.generationCode');
  const descriptors: SesAdditionalElement[] = [];
  let off = 8;
  while (off + 2 <= h.end) {
    const b0 = r.u8(off, 'additionalElementStatus.protocolIdentifier');
    const length = r.u8(off + 1, 'additionalElementStatus.descriptorLength');
    if (off + 2 + length > h.end) break;
    const eip = (b0 & 0x10) !== 0;
    const protocolIdentifier = b0 & 0x0f;
    const body = eip ? off + 4 : off + 2;
    const phys: SesSasPhy[] = [];
    // SAS, descriptor type 0 (device slot): NUMBER OF PHYS, then 28-byte phy descriptors.
    if (protocolIdentifier === 6 && body + 4 <= off + 2 + length) {
      const count = r.u8(body, 'sas.numberOfPhys');
      const type = (r.u8(body + 1, 'sas.descriptorType') >> 6) & 0x03;
      if (type === 0) {
        for (let p = 0, d = body + 4; p < count && d + 28 <= off + 2 + length; p++, d += 28) {
          phys.push({
            deviceType: (r.u8(d, 'sasPhy.deviceType') >> 4) & 0x07,
            attachedSasAddress: hexAt(r, d + 4, 'sasPhy.attachedSasAddress'),
            sasAddress: hexAt(r, d + 12, 'sasPhy.sasAddress'),
            phyIdentifier: r.u8(d + 20, 'sasPhy.phyIdentifier'),
          });
        }
      }
    }
    descriptors.push({
      ...(eip ? { elementIndex: r.u8(off + 3, 'additionalElementStatus.elementIndex') } : {}),
      invalid: (b0 & 0x80) !== 0,
      protocolIdentifier,
      phys,
      raw: r.bytes.slice(off, off + 2 + length),
    });
    off += 2 + length;
  }
  return {
    generationCode,
    descriptors,
    truncated: h.truncated,
    requiredLength: h.required,
    availableLength: h.end,
  };
}

// ---------------------------------------------------------------------------------------------
// 02h Enclosure Control (SES-4 6.1.3): the page SEND DIAGNOSTIC sends

/** One element to change: its type descriptor header's position and its index within the type. */
export interface SesControlRequest {
  /** Position of the element's type in the Configuration page's type list (0-based). */
  readonly typeIndex: number;
  /** Index within the type (0-based). */
  readonly index: number;
  /** The 4 control bytes; SELECT (byte 0 bit 7) is set by the builder. */
  readonly control: Uint8Array;
}

export interface EnclosureControlPageParams {
  /** EXPECTED GENERATION CODE: the Configuration page's generation code. */
  readonly expectedGenerationCode: number;
  readonly types: SesTypeList;
  readonly requests: readonly SesControlRequest[];
}

/**
 * The Enclosure Control page: every element present with SELECT clear except the requested ones, so
 * the enclosure changes nothing else. Throws CdbBuildError for an index outside the configuration.
 */
export function buildEnclosureControlPage(params: EnclosureControlPageParams): Uint8Array {
  checkParams(params, 'params');
  checkUint(params.expectedGenerationCode, 32, 'expectedGenerationCode');
  if (!Array.isArray(params.types)) throw new CdbBuildError('types', 'must be an array');
  if (!Array.isArray(params.requests)) throw new CdbBuildError('requests', 'must be an array');
  for (const [n, t] of params.types.entries()) {
    if (typeof t !== 'object' || t === null) throw new CdbBuildError(`types[${n}]`, 'must be an object');
    checkUint(t.numberOfPossibleElements, 8, `types[${n}].numberOfPossibleElements`);
  }
  const starts: number[] = [];
  let count = 0;
  for (const t of params.types) {
    starts.push(count);
    count += 1 + t.numberOfPossibleElements;
  }
  const out = new Uint8Array(8 + 4 * count);
  out[0] = 0x02;
  checkUint(out.length - 4, 16, 'page length');
  putU16(out, 2, out.length - 4);
  putU32(out, 4, params.expectedGenerationCode);
  for (const [n, q] of params.requests.entries()) {
    if (typeof q !== 'object' || q === null) throw new CdbBuildError(`requests[${n}]`, 'must be an object');
    const t = params.types[q.typeIndex];
    const start = starts[q.typeIndex];
    if (t === undefined || start === undefined)
      throw new CdbBuildError(
        `requests[${n}].typeIndex`,
        `must be below ${params.types.length}, got ${q.typeIndex}`,
      );
    if (!Number.isInteger(q.index) || q.index < 0 || q.index >= t.numberOfPossibleElements)
      throw new CdbBuildError(
        `requests[${n}].index`,
        `must be below ${t.numberOfPossibleElements}, got ${q.index}`,
      );
    if (!(q.control instanceof Uint8Array) || q.control.length !== 4)
      throw new CdbBuildError(`requests[${n}].control`, 'must be 4 bytes');
    const at = 8 + 4 * (start + 1 + q.index);
    out.set(q.control, at);
    out[at] = (out[at] ?? 0) | 0x80; // SELECT
  }
  return out;
}

/**
 * Control bytes for a device slot or array device slot that keep its state but set or clear
 * RQST IDENT (byte 2 bit 1) or RQST FAULT (byte 3 bit 5), from its current status element.
 */
export function slotControl(
  status: Pick<SesStatusElement, 'ident' | 'faultRequested'>,
  change: { ident?: boolean; fault?: boolean },
): Uint8Array {
  const ident = change.ident ?? status.ident ?? false;
  const fault = change.fault ?? status.faultRequested ?? false;
  return Uint8Array.of(0, 0, ident ? 0x02 : 0, fault ? 0x20 : 0);
}
