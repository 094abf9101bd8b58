/**
 * SECURITY PROTOCOL IN / OUT builders (SPC-6). The payloads (TCG, IEEE 1667,
 * tape encryption …) belong to their protocols; these builders only frame the transfer.
 */
import { z } from 'zod';
import { checkParams } from '../args.js';
import { checkUint, putU16, putU32 } from '../bytes.js';
import type { CdbSpec } from '../types.js';
import { flag, specIn, specOut, zUint } from './cdb-spec.js';

/** Well-known SECURITY PROTOCOL values (SPC-6). */
export const SECURITY_PROTOCOL = {
  /** Protocol 00h: SECURITY PROTOCOL SPECIFIC 0000h lists supported protocols, 0001h certificates, 0002h compliance. */
  information: 0x00,
  tcg1: 0x01,
  tcg2: 0x02,
  tcg3: 0x03,
  tcg4: 0x04,
  tcg5: 0x05,
  tcg6: 0x06,
  tapeDataEncryption: 0x20,
  dataEncryptionConfiguration: 0x21,
  saCreationCapabilities: 0x40,
  ikev2Scsi: 0x41,
  ufs: 0xec,
  sdTrustedFlash: 0xed,
  ieee1667: 0xee,
  ataDeviceServerPassword: 0xef,
} as const;

export interface SecurityProtocolInParams {
  /** 8 bits, see SECURITY_PROTOCOL. */
  readonly securityProtocol: number;
  /** 16 bits, defined by the protocol. @default 0 */
  readonly securityProtocolSpecific?: number;
  /** INC_512: allocationLength counts 512-byte units instead of bytes. @default false */
  readonly inc512?: boolean;
  /** 32 bits, in bytes (or 512-byte units with inc512). */
  readonly allocationLength: number;
}

export interface SecurityProtocolOutParams {
  /** 8 bits, see SECURITY_PROTOCOL. */
  readonly securityProtocol: number;
  /** 16 bits, defined by the protocol. @default 0 */
  readonly securityProtocolSpecific?: number;
  /** INC_512: transferLength counts 512-byte units instead of bytes. @default false */
  readonly inc512?: boolean;
  /** 32 bits, in bytes (or 512-byte units with inc512). */
  readonly transferLength: number;
}

export const SecurityProtocolInParamsSchema: z.ZodType<SecurityProtocolInParams> = z.strictObject({
  securityProtocol: zUint(8),
  securityProtocolSpecific: zUint(16).exactOptional(),
  inc512: z.boolean().exactOptional(),
  allocationLength: zUint(32),
});

export const SecurityProtocolOutParamsSchema: z.ZodType<SecurityProtocolOutParams> = z.strictObject({
  securityProtocol: zUint(8),
  securityProtocolSpecific: zUint(16).exactOptional(),
  inc512: z.boolean().exactOptional(),
  transferLength: zUint(32),
});

function securityCdb(
  opcode: number,
  protocol: number,
  specific: number | undefined,
  inc512: number,
  length: number,
): Uint8Array {
  const cdb = new Uint8Array(12);
  cdb[0] = opcode;
  cdb[1] = checkUint(protocol, 8, 'securityProtocol');
  putU16(cdb, 2, checkUint(specific ?? 0, 16, 'securityProtocolSpecific'));
  cdb[4] = inc512;
  putU32(cdb, 6, length);
  return cdb;
}

/** SECURITY PROTOCOL IN: with INC_512 the CdbSpec transferLength is allocationLength × 512 bytes. */
export function buildSecurityProtocolIn(params: SecurityProtocolInParams): CdbSpec {
  checkParams(params, 'params');
  const inc512 = flag(params.inc512, 7, 'inc512');
  const length = checkUint(params.allocationLength, 32, 'allocationLength');
  const cdb = securityCdb(0xa2, params.securityProtocol, params.securityProtocolSpecific, inc512, length);
  return specIn(cdb, inc512 ? length * 512 : length, 'SECURITY PROTOCOL IN');
}

/** SECURITY PROTOCOL OUT: with INC_512 the CdbSpec transferLength is transferLength × 512 bytes. */
export function buildSecurityProtocolOut(params: SecurityProtocolOutParams): CdbSpec {
  checkParams(params, 'params');
  const inc512 = flag(params.inc512, 7, 'inc512');
  const length = checkUint(params.transferLength, 32, 'transferLength');
  const cdb = securityCdb(0xb5, params.securityProtocol, params.securityProtocolSpecific, inc512, length);
  return specOut(cdb, inc512 ? length * 512 : length, 'SECURITY PROTOCOL OUT');
}
