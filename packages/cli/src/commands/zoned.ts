/** `zones` (sg_rep_zones) and `lba-status` (sg_get_lba_status). */
import type { Device } from '@scsikit/core';
import { z } from 'zod';
import { type Output, parseU64 } from '../context.js';
import { hx, table } from '../format.js';
import { byte, successSchema, u64, uint } from '../json.js';
import { type Cli, type CommonOpts, int } from '../registration.js';

export const zonesSchema = successSchema('zones', {
  zoneListLength: uint,
  same: z.number().int(),
  sameName: z.string(),
  maximumLba: u64,
  zones: z.array(
    z.looseObject({
      zoneType: z.number().int(),
      zoneTypeName: z.string(),
      zoneCondition: z.number().int(),
      zoneConditionName: z.string(),
      nonSeq: z.boolean(),
      reset: z.boolean(),
      zoneLength: u64,
      zoneStartLba: u64,
      writePointerLba: u64,
    }),
  ),
});

export async function zonesCommand(
  dev: Device,
  o: { startLba: bigint; reportingOptions: number; maxZones?: number },
): Promise<Output> {
  const r = await dev.zones.reportZones({
    startLba: o.startLba,
    reportingOptions: o.reportingOptions,
    ...(o.maxZones === undefined ? {} : { allocationLength: 64 + 64 * o.maxZones }),
  });
  const { truncated: _t, requiredLength: _r, availableLength: _a, ...rest } = r;
  const text = [
    `Report zones response:`,
    `  Same=${r.same} [${r.sameName}]`,
    `  Maximum LBA: ${hx(r.maximumLba, 0)}`,
    table(
      ['Start LBA', 'Length', 'Write pointer', 'Type', 'Condition'],
      r.zones.map((zd) => [
        hx(zd.zoneStartLba, 0),
        hx(zd.zoneLength, 0),
        hx(zd.writePointerLba, 0),
        zd.zoneTypeName,
        zd.zoneConditionName,
      ]),
    ),
  ];
  return { body: rest, text: `${text.join('\n')}\n` };
}

export const lbaStatusSchema = successSchema('lba-status', {
  parameterDataLength: uint,
  completionCondition: z.number().int(),
  completionConditionName: z.string(),
  rtp: z.boolean(),
  descriptors: z.array(
    z.looseObject({
      lbaStatusLogicalBlockAddress: u64,
      numberOfLogicalBlocks: uint,
      provisioningStatus: byte,
      provisioningStatusName: z.string(),
      additionalStatus: byte,
    }),
  ),
});

export async function lbaStatusCommand(dev: Device, lba: bigint): Promise<Output> {
  const r = await dev.getLbaStatus(lba);
  const { truncated: _t, requiredLength: _r, availableLength: _a, ...rest } = r;
  const text = [
    `Completion condition=${r.completionCondition} [${r.completionConditionName}], RTP=${Number(r.rtp)}`,
    ...r.descriptors.map(
      (d) =>
        `${hx(d.lbaStatusLogicalBlockAddress, 16)}  ${hx(d.numberOfLogicalBlocks, 8)}  ${d.provisioningStatus}  ${d.additionalStatus}   [${d.provisioningStatusName}]`,
    ),
  ];
  return { body: rest, text: `${text.join('\n')}\n` };
}

/** Registers zones, lba-status. */
export function registerZonedCommands({ runner, deviceCommand }: Cli): void {
  deviceCommand('zones', 'REPORT ZONES (sg_rep_zones)')
    .option('-s, --start <lba>', 'zone start LBA (default 0)', (v) => parseU64(v, '--start'))
    .option(
      '-o, --options <n>',
      'REPORTING OPTIONS (0 all, 1 empty, 2 implicitly open …)',
      int('--options', 0, 0x3f),
      0,
    )
    .option('-m, --max <n>', 'at most this many zones', int('--max', 1, 1_000_000))
    .action((device: string, opts: CommonOpts & { start?: bigint; options: number; max?: number }) =>
      runner.device('zones', device, opts, false, (dev) =>
        zonesCommand(dev, {
          startLba: opts.start ?? 0n,
          reportingOptions: opts.options,
          ...(opts.max === undefined ? {} : { maxZones: opts.max }),
        }),
      ),
    );

  deviceCommand('lba-status', 'GET LBA STATUS (sg_get_lba_status): mapped/deallocated extents')
    .option('-l, --lba <lba>', 'starting LBA (default 0)', (v) => parseU64(v, '--lba'))
    .action((device: string, opts: CommonOpts & { lba?: bigint }) =>
      runner.device('lba-status', device, opts, false, (dev) => lbaStatusCommand(dev, opts.lba ?? 0n)),
    );
}
