import { ByteReader, type ByteSource } from '../bytes.js';
import { DecodeError } from '../errors.js';

/**
 * SECURITY PROTOCOL IN with SECURITY PROTOCOL 00h (security protocol information, SPC-6 7.6.2).
 * The SECURITY PROTOCOL SPECIFIC field selects the answer: 0000h supported protocols,
 * 0001h certificate data, 0002h security compliance information.
 */

/** SECURITY PROTOCOL field values (SPC-6 Table 258). */
export function securityProtocolName(code: number): string {
  if (code >= 0x01 && code <= 0x06) return 'Trusted Computing Group (TCG)';
  if (code >= 0xf0 && code <= 0xff) return 'vendor specific';
  switch (code) {
    case 0x00:
      return 'security protocol information';
    case 0x07:
      return 'capability-based command security (CbCS)';
    case 0x20:
      return 'tape data encryption (SSC)';
    case 0x21:
      return 'data encryption configuration (ADC)';
    case 0x40:
      return 'SA creation capabilities';
    case 0x41:
      return 'IKEv2-SCSI';
    case 0xea:
      return 'NVM Express';
    case 0xec:
      return 'JEDEC Universal Flash Storage';
    case 0xed:
      return 'SDcard TrustedFlash security';
    case 0xee:
      return 'IEEE 1667';
    case 0xef:
      return 'ATA device server password security';
    default:
      return 'reserved';
  }
}

export interface SupportedSecurityProtocol {
  readonly securityProtocol: number;
  readonly name: string;
}

/** Lengths every SECURITY PROTOCOL IN 00h answer reports for re-issuing with a larger buffer. */
export interface SecurityProtocolLengths {
  /** Fewer bytes than the length field announces were returned. */
  readonly truncated: boolean;
  readonly requiredLength: number;
  readonly availableLength: number;
}

export interface SupportedSecurityProtocols extends SecurityProtocolLengths {
  readonly supportedSecurityProtocolListLength: number;
  readonly protocols: readonly SupportedSecurityProtocol[];
}

/** SP specific 0000h: Supported security protocols list (SPC-6 Table 260). */
export function decodeSupportedSecurityProtocols(bytes: ByteSource): SupportedSecurityProtocols {
  const r = new ByteReader(bytes);
  const listLength = r.u16(6, 'supportedSecurityProtocolListLength');
  const requiredLength = 8 + listLength;
  const end = Math.min(r.length, requiredLength);
  const protocols: SupportedSecurityProtocol[] = [];
  for (let o = 8; o < end; o++) {
    const securityProtocol = r.u8(o, `protocols[${o - 8}]`);
    protocols.push({ securityProtocol, name: securityProtocolName(securityProtocol) });
  }
  return {
    supportedSecurityProtocolListLength: listLength,
    protocols,
    truncated: r.length < requiredLength,
    requiredLength,
    availableLength: r.length,
  };
}

export interface SecurityCertificateData extends SecurityProtocolLengths {
  readonly certificateLength: number;
  /** The certificate (an X.509 certificate per SPC-6), as far as returned; 0 length: none. */
  readonly certificate: Uint8Array;
}

/** SP specific 0001h: Certificate data (SPC-6 Table 261). */
export function decodeSecurityCertificateData(bytes: ByteSource): SecurityCertificateData {
  const r = new ByteReader(bytes);
  const certificateLength = r.u16(2, 'certificateLength');
  const requiredLength = 4 + certificateLength;
  const end = Math.min(r.length, requiredLength);
  return {
    certificateLength,
    certificate: r.slice(4, end - 4, 'certificate'),
    truncated: r.length < requiredLength,
    requiredLength,
    availableLength: r.length,
  };
}

/** FIPS 140 compliance descriptor (SPC-6 Table 264); text fields are NUL-terminated ASCII. */
export interface Fips140Compliance {
  readonly kind: 'fips140';
  /** RELATED STANDARD: ASCII '2' (FIPS 140-2) or '3' (FIPS 140-3). */
  readonly relatedStandard: string;
  /** 'FIPS 140-2', 'FIPS 140-3', or 'reserved'. */
  readonly relatedStandardName: string;
  /** OVERALL SECURITY LEVEL: ASCII digit '1'…'4'. */
  readonly overallSecurityLevel: string;
  /** COMPLIANCE HARDWARE VERSION of the validated module. */
  readonly hardwareVersion: string;
  /** COMPLIANCE VERSION: the firmware/software version of the validated module. */
  readonly version: string;
  readonly moduleName: string;
}

export interface ComplianceDescriptor {
  /** 0001h: Security requirements for cryptographic modules (FIPS 140). */
  readonly complianceDescriptorType: number;
  readonly complianceDescriptorLength: number;
  /** Descriptor-specific bytes (after the 8-byte header), as far as returned. */
  readonly raw: Uint8Array;
  readonly decoded?: Fips140Compliance;
}

export interface SecurityComplianceInformation extends SecurityProtocolLengths {
  readonly complianceDescriptorsLength: number;
  /** Complete descriptors only; a descriptor cut short by the allocation length is left out. */
  readonly descriptors: readonly ComplianceDescriptor[];
}

function asciiz(r: ByteReader, offset: number, size: number, field: string): string {
  const b = r.slice(offset, size, field);
  const end = b.indexOf(0);
  let s = '';
  for (const c of end < 0 ? b : b.subarray(0, end)) s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
  return s.trimEnd();
}

/** FIPS 140 descriptor: 8-byte header plus 0208h bytes. */
const FIPS_140_LENGTH = 0x208;

/** SP specific 0002h: Security compliance information (SPC-6 Table 262). */
export function decodeSecurityComplianceInformation(bytes: ByteSource): SecurityComplianceInformation {
  const all = new ByteReader(bytes);
  const complianceDescriptorsLength = all.u32(0, 'complianceDescriptorsLength');
  const requiredLength = 4 + complianceDescriptorsLength;
  const truncated = all.length < requiredLength;
  const r = new ByteReader(all.bytes.subarray(0, Math.min(all.length, requiredLength)));
  const descriptors: ComplianceDescriptor[] = [];
  let o = 4;
  while (o < r.length) {
    const field = `descriptors[${descriptors.length}]`;
    const length = r.has(o, 8) ? r.u32(o + 4, `${field}.complianceDescriptorLength`) : 0;
    if (!r.has(o, 8) || !r.has(o + 8, length)) {
      if (truncated) break;
      throw new DecodeError(
        `${field}.complianceDescriptorLength`,
        `descriptor runs past the end of the compliance descriptors (${r.length - o} byte(s) left)`,
        o,
      );
    }
    const type = r.u16(o, `${field}.complianceDescriptorType`);
    let decoded: Fips140Compliance | undefined;
    if (type === 0x0001 && length >= FIPS_140_LENGTH) {
      const relatedStandard = String.fromCharCode(r.u8(o + 8, 'relatedStandard'));
      decoded = {
        kind: 'fips140',
        relatedStandard,
        relatedStandardName:
          relatedStandard === '2' ? 'FIPS 140-2' : relatedStandard === '3' ? 'FIPS 140-3' : 'reserved',
        overallSecurityLevel: String.fromCharCode(r.u8(o + 9, 'overallSecurityLevel')),
        hardwareVersion: asciiz(r, o + 16, 128, 'hardwareVersion'),
        version: asciiz(r, o + 144, 128, 'version'),
        moduleName: asciiz(r, o + 272, 256, 'moduleName'),
      };
    }
    descriptors.push({
      complianceDescriptorType: type,
      complianceDescriptorLength: length,
      raw: r.slice(o + 8, length, `${field}.raw`),
      ...(decoded === undefined ? {} : { decoded }),
    });
    o += 8 + length;
  }
  return { complianceDescriptorsLength, descriptors, truncated, requiredLength, availableLength: all.length };
}
