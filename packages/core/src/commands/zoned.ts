/** Zoned block commands (ZBC IN/OUT) as plain functions over the funnel, and `device.zones`, which binds them. */
import {
  buildReportZones,
  buildZbcOut,
  decodeReportZones,
  type ReportZonesData,
  type ZbcOutAction,
} from '@scsikit/cdb';
import type { CommandOptions, CommandRunner } from '../funnel.js';

export interface ReportZonesOptions extends CommandOptions {
  /** First zone to report (any LBA inside it). @default 0 */
  readonly startLba?: bigint | number;
  /** REPORTING OPTIONS filter (cdb's REPORT_ZONES_OPTIONS: all, empty, full…). @default 0 (all) */
  readonly reportingOptions?: number;
  /** Bytes to ask for (64 per zone + 64 header). @default 65536 */
  readonly allocationLength?: number;
  /** PARTIAL: ZONE LIST LENGTH covers only what fits. @default false */
  readonly partial?: boolean;
}

/** One zone (its id is its start LBA), or `{ all: true }` for every zone. */
export type ZoneSelector = bigint | number | { readonly all: true };

export async function reportZones(
  runner: CommandRunner,
  options: ReportZonesOptions = {},
): Promise<ReportZonesData> {
  const spec = buildReportZones({
    zoneStartLba: options.startLba ?? 0,
    allocationLength: Math.min(options.allocationLength ?? 65536, runner.maxTransferBytes),
    ...(options.reportingOptions === undefined ? {} : { reportingOptions: options.reportingOptions }),
    ...(options.partial === undefined ? {} : { partial: options.partial }),
  });
  return decodeReportZones((await runner.run(spec, options)).data);
}

/** One ZBC OUT action on a zone, or on every zone. */
export async function zoneAction(
  runner: CommandRunner,
  action: ZbcOutAction,
  zone: ZoneSelector,
  options?: CommandOptions,
): Promise<void> {
  const params = typeof zone === 'object' ? { all: true } : { zoneId: zone };
  await runner.run(buildZbcOut(action, params), options);
}

/**
 * `device.zones`: REPORT ZONES (read) and the ZBC OUT zone actions (write-class: need
 * `{ write: true }`). On a device that is not zoned they reject with CheckConditionError
 * (ILLEGAL REQUEST).
 */
export class ZonedCommands {
  readonly #runner: CommandRunner;

  /** @internal Created by Device. */
  constructor(runner: CommandRunner) {
    this.#runner = runner;
  }

  /** REPORT ZONES: zone descriptors (type, condition, start, length, write pointer) from `startLba`. */
  reportZones(options: ReportZonesOptions = {}): Promise<ReportZonesData> {
    return reportZones(this.#runner, options);
  }

  /** RESET WRITE POINTER: the zone becomes empty. */
  resetWritePointer(zone: ZoneSelector, options?: CommandOptions): Promise<void> {
    return zoneAction(this.#runner, 'resetWritePointer', zone, options);
  }

  /** OPEN ZONE (explicitly open). */
  openZone(zone: ZoneSelector, options?: CommandOptions): Promise<void> {
    return zoneAction(this.#runner, 'openZone', zone, options);
  }

  /** CLOSE ZONE. */
  closeZone(zone: ZoneSelector, options?: CommandOptions): Promise<void> {
    return zoneAction(this.#runner, 'closeZone', zone, options);
  }

  /** FINISH ZONE: the write pointer moves to the end; the zone becomes full. */
  finishZone(zone: ZoneSelector, options?: CommandOptions): Promise<void> {
    return zoneAction(this.#runner, 'finishZone', zone, options);
  }
}
