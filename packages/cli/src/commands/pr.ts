/** `pr`: PERSISTENT RESERVE IN/OUT, sg_persist's actions. OUT actions need --write. */
import { PR_TYPE, type PrType } from '@scsikit/cdb';
import type { Device } from '@scsikit/core';
import { Argument } from 'commander';
import { z } from 'zod';
import { type Output, parseU64 } from '../context.js';
import { UsageError } from '../errors.js';
import { hx, labelled } from '../format.js';
import { byte, successSchema, u64, uint } from '../json.js';
import { type Cli, type CommonOpts, gate } from '../registration.js';

export const PR_ACTIONS = [
  'read-keys',
  'read-reservation',
  'report-capabilities',
  'read-full-status',
  'register',
  'register-ignore',
  'reserve',
  'release',
  'clear',
  'preempt',
  'preempt-abort',
] as const;
export type PrAction = (typeof PR_ACTIONS)[number];
export const PR_OUT_ACTIONS: ReadonlySet<PrAction> = new Set([
  'register',
  'register-ignore',
  'reserve',
  'release',
  'clear',
  'preempt',
  'preempt-abort',
]);

/** sg_persist's --prout-type numbers and our names. */
export function parsePrType(text: string): PrType | number {
  if (text in PR_TYPE) return text as PrType;
  const n = Number(text);
  if (Number.isInteger(n) && Object.values(PR_TYPE).includes(n)) return n;
  throw new UsageError(
    `--type: expected 1, 3, 5, 6, 7, 8 or ${Object.keys(PR_TYPE).join(', ')}, got "${text}"`,
  );
}

export const prSchema = successSchema('pr', {
  action: z.enum(PR_ACTIONS),
  prGeneration: uint.optional(),
  /** read-keys: registered reservation keys (decimal strings; `keysHex` has them as sg_persist prints). */
  keys: z.array(u64).optional(),
  keysHex: z.array(z.string()).optional(),
  /** read-reservation: absent when nothing is reserved. */
  reservation: z
    .looseObject({
      reservationKey: u64,
      scope: z.number().int(),
      type: z.number().int(),
      typeName: z.string(),
    })
    .optional(),
  capabilities: z
    .looseObject({
      rlrC: z.boolean(),
      crh: z.boolean(),
      sipC: z.boolean(),
      atpC: z.boolean(),
      ptplC: z.boolean(),
      tmv: z.boolean(),
      ptplA: z.boolean(),
      allowCommands: z.number().int(),
    })
    .optional(),
  descriptors: z.array(z.looseObject({ reservationKey: u64, rHolder: z.boolean(), type: byte })).optional(),
  /** OUT actions: done. */
  done: z.boolean().optional(),
});

export interface PrOptions {
  readonly key?: bigint;
  readonly serviceActionKey?: bigint;
  readonly type?: PrType | number;
  readonly aptpl?: boolean;
}

function need<T>(v: T | undefined, what: string, action: string): T {
  if (v === undefined) throw new UsageError(`pr ${action} needs ${what}`);
  return v;
}

const keyHex = (k: bigint) => hx(k, 0);

export async function prCommand(dev: Device, action: PrAction, o: PrOptions): Promise<Output> {
  switch (action) {
    case 'read-keys': {
      const r = await dev.pr.readKeys();
      const text = [
        `  PR generation=${hx(r.prGeneration, 0)}, ${r.keys.length === 0 ? 'there are NO registered reservation keys' : `${r.keys.length} registered reservation key${r.keys.length === 1 ? '' : 's'} follow${r.keys.length === 1 ? 's' : ''}:`}`,
        ...r.keys.map((k) => `    ${keyHex(k)}`),
      ];
      return {
        body: { action, prGeneration: r.prGeneration, keys: r.keys, keysHex: r.keys.map(keyHex) },
        text: `${text.join('\n')}\n`,
      };
    }
    case 'read-reservation': {
      const r = await dev.pr.readReservation();
      const res = r.reservation;
      const text =
        res === undefined
          ? `  PR generation=${hx(r.prGeneration, 0)}, there is NO reservation held`
          : `  PR generation=${hx(r.prGeneration, 0)}, Reservation follows:\n    Key=${keyHex(res.reservationKey)}\n    scope: ${res.scopeName},  type: ${res.typeName}`;
      return {
        body: { action, prGeneration: r.prGeneration, ...(res === undefined ? {} : { reservation: res }) },
        text: `${text}\n`,
      };
    }
    case 'report-capabilities': {
      const r = await dev.pr.reportCapabilities();
      const {
        truncated: _t,
        requiredLength: _r,
        availableLength: _a,
        ...caps
      } = r as typeof r & {
        truncated?: boolean;
        requiredLength?: number;
        availableLength?: number;
      };
      const rows: Array<[string, unknown]> = [
        ['Replace Lost Reservation Capable(RLR_C)', r.rlrC],
        ['Compatible Reservation Handling(CRH)', r.crh],
        ['Specify Initiator Ports Capable(SIP_C)', r.sipC],
        ['All Target Ports Capable(ATP_C)', r.atpC],
        ['Persist Through Power Loss Capable(PTPL_C)', r.ptplC],
        ['Type Mask Valid(TMV)', r.tmv],
        ['Allow Commands', r.allowCommands],
        ['Persist Through Power Loss Active(PTPL_A)', r.ptplA],
      ];
      return {
        body: { action, capabilities: caps },
        text: `Report capabilities response:\n${labelled(rows)}\n`,
      };
    }
    case 'read-full-status': {
      const r = await dev.pr.readFullStatus();
      const text = [
        `  PR generation=${hx(r.prGeneration, 0)}`,
        ...r.descriptors.map(
          (d) =>
            `    Key=${keyHex(d.reservationKey)}${d.rHolder ? `\n      * Reservation holder *  scope: ${d.scopeName}, type: ${d.typeName}` : ''}\n      Relative port address: ${hx(d.relativeTargetPortIdentifier, 0)}`,
        ),
      ];
      return {
        body: { action, prGeneration: r.prGeneration, descriptors: r.descriptors },
        text: `${text.join('\n')}\n`,
      };
    }
    case 'register':
    case 'register-ignore':
      await dev.pr.register({
        ...(o.key === undefined ? {} : { key: o.key }),
        newKey: need(o.serviceActionKey, '--sa-key (the new key; 0 unregisters)', action),
        ...(action === 'register-ignore' ? { ignoreExisting: true } : {}),
        ...(o.aptpl === true ? { aptpl: true } : {}),
      });
      break;
    case 'reserve':
      await dev.pr.reserve({ key: need(o.key, '--key', action), type: need(o.type, '--type', action) });
      break;
    case 'release':
      await dev.pr.release({ key: need(o.key, '--key', action), type: need(o.type, '--type', action) });
      break;
    case 'clear':
      await dev.pr.clear({ key: need(o.key, '--key', action) });
      break;
    case 'preempt':
    case 'preempt-abort': {
      const params = {
        key: need(o.key, '--key', action),
        preemptKey: need(o.serviceActionKey, '--sa-key (the key to preempt)', action),
        type: need(o.type, '--type', action),
      };
      if (action === 'preempt') await dev.pr.preempt(params);
      else await dev.pr.preemptAndAbort(params);
      break;
    }
  }
  return { body: { action, done: true }, text: `PR out: ${action} done\n` };
}

/** Registers pr. */
export function registerPrCommands({ runner, deviceCommand }: Cli): void {
  deviceCommand('pr', 'persistent reservations (sg_persist); OUT actions need --write')
    .addArgument(new Argument('<action>', `one of ${PR_ACTIONS.join(', ')}`).choices(PR_ACTIONS))
    .option('-k, --key <key>', 'RESERVATION KEY (ours, registered)', (v) => parseU64(v, '--key'))
    .option('-s, --sa-key <key>', 'SERVICE ACTION RESERVATION KEY (new key; key to preempt)', (v) =>
      parseU64(v, '--sa-key'),
    )
    .option(
      '-T, --type <type>',
      'reservation type: 1 3 5 6 7 8 or writeExclusive, exclusiveAccess, …',
      parsePrType,
    )
    .option('--aptpl', 'activate persist through power loss (register)')
    .option('-w, --write', 'allow OUT actions (they change the device)')
    .action(
      (
        device: string,
        action: PrAction,
        opts: CommonOpts & {
          key?: bigint;
          saKey?: bigint;
          type?: number | string;
          aptpl?: boolean;
          write?: boolean;
        },
      ) =>
        gate(
          runner,
          'pr',
          { ...opts, write: PR_OUT_ACTIONS.has(action) ? opts.write === true : true },
          () =>
            runner.device('pr', device, opts, PR_OUT_ACTIONS.has(action), (dev) =>
              prCommand(dev, action, {
                ...(opts.key === undefined ? {} : { key: opts.key }),
                ...(opts.saKey === undefined ? {} : { serviceActionKey: opts.saKey }),
                ...(opts.type === undefined ? {} : { type: opts.type as number }),
                ...(opts.aptpl === true ? { aptpl: true } : {}),
              }),
            ),
          `pr ${action}`,
        ),
    );
}
