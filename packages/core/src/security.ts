/**
 * SECURITY PROTOCOL IN / OUT (SPC-6 6.40, 6.41) as plain functions over the funnel: the raw
 * transfers for any protocol (TCG, IEEE 1667, tape encryption… whose payloads belong to their own
 * specifications), and protocol 00h (security protocol information) decoded.
 */
import {
  buildSecurityProtocolIn,
  buildSecurityProtocolOut,
  decodeSecurityCertificateData,
  decodeSupportedSecurityProtocols,
  type SecurityCertificateData,
  type SupportedSecurityProtocols,
} from '@scsikit/cdb';
import { InvalidArgumentError } from './errors.js';
import { type CommandOptions, type Funnel, readDecoded } from './funnel.js';

export interface SecurityProtocolInOptions extends CommandOptions {
  /** Bytes to ask for (32 bits). @default 512 */
  readonly allocationLength?: number;
}

function checkField(value: unknown, bits: number, field: string): number {
  const max = 2 ** bits - 1;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new InvalidArgumentError(
      field,
      `Expected \`${field}\` to be an integer in [0, ${max}], got \`${String(value)}\``,
    );
  }
  return value;
}

/** SECURITY PROTOCOL IN: the bytes the device returned (as many as it had, up to the allocation length). */
export async function securityProtocolIn(
  f: Funnel,
  protocol: number,
  specific: number,
  options: SecurityProtocolInOptions = {},
): Promise<Uint8Array> {
  const { allocationLength = 512, ...rest } = options;
  checkField(protocol, 8, 'protocol');
  checkField(specific, 16, 'specific');
  checkField(allocationLength, 32, 'allocationLength');
  const r = await f.run(
    buildSecurityProtocolIn({
      securityProtocol: protocol,
      securityProtocolSpecific: specific,
      allocationLength,
    }),
    rest,
  );
  return r.data;
}

/** SECURITY PROTOCOL OUT: sends `data` (write-class: refused on a read-only device before sending). */
export async function securityProtocolOut(
  f: Funnel,
  protocol: number,
  specific: number,
  data: Uint8Array,
  options: CommandOptions = {},
): Promise<void> {
  f.guardWrite('SECURITY PROTOCOL OUT');
  checkField(protocol, 8, 'protocol');
  checkField(specific, 16, 'specific');
  if (!(data instanceof Uint8Array))
    throw new InvalidArgumentError('data', 'Expected `data` to be a Uint8Array');
  checkField(data.length, 32, 'data.length');
  await f.run(
    buildSecurityProtocolOut({
      securityProtocol: protocol,
      securityProtocolSpecific: specific,
      transferLength: data.length,
    }),
    { ...options, data },
  );
}

/** Protocol 00h, SPSP 0000h: the supported security protocols, sent again with the whole length if cut. */
export function supportedSecurityProtocols(
  f: Funnel,
  options?: CommandOptions,
): Promise<SupportedSecurityProtocols> {
  return readDecoded(
    f,
    (allocationLength) =>
      buildSecurityProtocolIn({ securityProtocol: 0, securityProtocolSpecific: 0, allocationLength }),
    decodeSupportedSecurityProtocols,
    512,
    8 + 0xffff,
    options,
  );
}

/** Protocol 00h, SPSP 0001h: the certificate (length 0 when the device has none). */
export function securityCertificates(f: Funnel, options?: CommandOptions): Promise<SecurityCertificateData> {
  return readDecoded(
    f,
    (allocationLength) =>
      buildSecurityProtocolIn({ securityProtocol: 0, securityProtocolSpecific: 1, allocationLength }),
    decodeSecurityCertificateData,
    512,
    4 + 0xffff,
    options,
  );
}
