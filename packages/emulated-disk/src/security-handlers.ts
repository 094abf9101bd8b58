/**
 * SECURITY PROTOCOL IN, for a disk created with the `securityProtocols` option: protocol 00h
 * (security protocol information) only — the supported protocols list (SPSP 0000h), the
 * certificate (0001h) and an empty compliance list (0002h). The payloads of the protocols it lists
 * (TCG, IEEE 1667…) are not emulated: any other protocol is INVALID FIELD IN CDB (byte 1).
 */
import { putU16, putU32 } from '@scsikit/cdb';
import { z } from 'zod';
import {
  type CommandContext,
  type CommandDef,
  type LogicalUnit,
  registered,
  respond,
  u16,
  u32,
} from './commands.js';
import { invalidCdbField } from './sense.js';

/** The `securityProtocols` option: what SECURITY PROTOCOL IN 00h answers. */
export interface SecurityProtocolsOption {
  /** Protocol codes listed besides 00h (which is always listed), e.g. [0x01, 0xee]. */
  readonly protocols: readonly number[];
  /** SPSP 0001h certificate bytes (an X.509 certificate per SPC-6). @default none (length 0) */
  readonly certificate?: Uint8Array;
}

export const SecurityProtocolsOptionSchema = z.strictObject(
  {
    protocols: z.array(z.number().int().min(0).max(255)).max(255),
    certificate: z
      .instanceof(Uint8Array)
      .refine((b) => b.length <= 0xffff, { error: 'at most 65535 bytes' })
      .optional(),
  },
  { error: '{ protocols: number[] (0–255), certificate?: Uint8Array }' },
);

/** The `securityProtocols` option with its defaults applied. */
export interface ResolvedSecurityProtocols {
  /** Ascending, 00h first, no duplicates. */
  readonly protocols: readonly number[];
  readonly certificate: Uint8Array;
}

export function resolveSecurityProtocols(
  o: z.output<typeof SecurityProtocolsOptionSchema> | undefined,
): ResolvedSecurityProtocols | undefined {
  if (o === undefined) return undefined;
  return {
    protocols: [...new Set([0, ...o.protocols])].sort((a, b) => a - b),
    certificate: Uint8Array.from(o.certificate ?? []),
  };
}

function securityProtocolIn(sp: ResolvedSecurityProtocols, _lu: LogicalUnit, ctx: CommandContext): number {
  const cdb = ctx.cdb;
  if (cdb[1] !== 0) throw invalidCdbField(1);
  const specific = u16(cdb, 2);
  // INC_512: the allocation length counts 512-byte units.
  const alloc = ((cdb[4] ?? 0) & 0x80) !== 0 ? u32(cdb, 6) * 512 : u32(cdb, 6);
  let out: Uint8Array;
  if (specific === 0x0000) {
    out = new Uint8Array(8 + sp.protocols.length);
    putU16(out, 6, sp.protocols.length);
    out.set(sp.protocols, 8);
  } else if (specific === 0x0001) {
    out = new Uint8Array(4 + sp.certificate.length);
    putU16(out, 2, sp.certificate.length);
    out.set(sp.certificate, 4);
  } else if (specific === 0x0002) {
    out = new Uint8Array(4);
    putU32(out, 0, 0);
  } else {
    throw invalidCdbField(2);
  }
  return respond(ctx, out, alloc);
}

/** SECURITY PROTOCOL IN (A2h). Byte 4 bits 6-0, byte 5 and byte 10 reserved. */
export function securityCommands(sp: ResolvedSecurityProtocols): CommandDef[] {
  return [
    {
      ...registered(0xa2),
      medium: false,
      reserved: { 4: 0x7f, 5: 0xff, 10: 0xff },
      run: (lu, ctx) => securityProtocolIn(sp, lu, ctx),
    },
  ];
}
