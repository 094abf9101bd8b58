/**
 * `health` (smartctl -H): one verdict from what the device reports about itself, device.health().
 * The exit status says the verdict: 0 PASSED, EXIT.HEALTH_FAILED (8, smartctl's bit 3 "disk
 * failing") for FAILED, EXIT.HEALTH_UNKNOWN (4) when no source could say; a command failure that
 * stops the check keeps sg3_utils' statuses.
 */
import type { Device, HealthReport } from '@scsikit/core';
import { Option } from 'commander';
import { z } from 'zod';
import type { Output } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { successSchema } from '../json.js';
import type { Cli, CommonOpts } from '../registration.js';

const SOURCES = [
  'smartReturnStatus',
  'smartAttributes',
  'informationalExceptionsLog',
  'informationalExceptionsMode',
  'requestSense',
  'selfTestLog',
  'backgroundScanLog',
] as const;

const REASON_KINDS = [
  'smartThresholdExceeded',
  'attributeFailingNow',
  'attributeFailedInPast',
  'smartDataChecksum',
  'informationalException',
  'selfTestFailed',
  'backgroundScanHalted',
  'backgroundScanMediumErrors',
] as const;

export const healthSchema = successSchema('health', {
  verdict: z.enum(['PASSED', 'FAILED', 'UNKNOWN']),
  /** 'ata': SMART through SAT ATA PASS-THROUGH; 'scsi': SPC log and mode pages. */
  protocol: z.enum(['ata', 'scsi']),
  /** Typed findings (each kind adds its fields: asc/ascq, attribute id/current/worst/threshold …). */
  reasons: z.array(
    z.looseObject({
      kind: z.enum(REASON_KINDS),
      severity: z.enum(['failure', 'warning']),
      source: z.enum(SOURCES),
      message: z.string(),
    }),
  ),
  sources: z.array(
    z.object({
      source: z.enum(SOURCES),
      status: z.enum(['ok', 'unsupported', 'error']),
      error: z.string().optional(),
    }),
  ),
  temperatureCelsius: z.number().int().optional(),
});

/** The exit status of a verdict. */
export function healthExitStatus(verdict: HealthReport['verdict']): number {
  if (verdict === 'FAILED') return EXIT.HEALTH_FAILED;
  return verdict === 'UNKNOWN' ? EXIT.HEALTH_UNKNOWN : EXIT.OK;
}

/** smartctl's wording: -H for ATA ("self-assessment test result"), the SCSI "SMART Health Status". */
function verdictLines(h: HealthReport): string[] {
  if (h.protocol === 'ata') {
    if (h.verdict === 'PASSED') return ['SMART overall-health self-assessment test result: PASSED'];
    if (h.verdict === 'FAILED') {
      return [
        'SMART overall-health self-assessment test result: FAILED!',
        'Drive failure expected in less than 24 hours. SAVE ALL DATA.',
      ];
    }
    return [
      'SMART overall-health self-assessment test result: UNKNOWN!',
      'SMART Status, Attributes and Thresholds cannot be read.',
    ];
  }
  if (h.verdict === 'PASSED') return ['SMART Health Status: OK'];
  if (h.verdict === 'UNKNOWN')
    return ['SMART Health Status: UNKNOWN (no informational exceptions source answered)'];
  const ie = h.reasons.find((r) => r.kind === 'informationalException');
  return [`SMART Health Status: ${ie === undefined ? 'FAILED' : ie.message}`];
}

export function healthText(h: HealthReport): string {
  const lines = ['=== START OF READ SMART DATA SECTION ===', ...verdictLines(h)];
  if (h.temperatureCelsius !== undefined)
    lines.push(`Current Drive Temperature:     ${h.temperatureCelsius} C`);
  const failures = h.reasons.filter((r) => r.severity === 'failure');
  const warnings = h.reasons.filter((r) => r.severity === 'warning');
  if (failures.length > 0) lines.push('Failures:', ...failures.map((r) => `  ${r.message}`));
  if (warnings.length > 0) lines.push('Warnings:', ...warnings.map((r) => `  ${r.message}`));
  lines.push(
    `Sources: ${h.sources.map((s) => `${s.source} ${s.status}${s.error === undefined ? '' : ` (${s.error})`}`).join(', ')}`,
  );
  return `${lines.join('\n')}\n`;
}

export async function healthCommand(
  dev: Device,
  protocol: 'auto' | 'ata' | 'scsi',
): Promise<Output & { report: HealthReport }> {
  const report = await dev.health({ protocol });
  return { body: { ...report }, text: healthText(report), report };
}

/** Registers health. */
export function registerHealthCommands({ runner, deviceCommand }: Cli): void {
  deviceCommand(
    'health',
    'overall health verdict (smartctl -H): SMART RETURN STATUS and attributes through SAT, or the informational exceptions, self-test and background scan logs; exit 8 FAILED, 4 UNKNOWN',
  )
    .addOption(
      new Option(
        '--protocol <p>',
        "'ata': SMART through SAT; 'scsi': log pages; 'auto': ATA when INQUIRY says vendor ATA",
      )
        .choices(['auto', 'ata', 'scsi'])
        .default('auto'),
    )
    .action(async (device: string, opts: CommonOpts & { protocol: 'auto' | 'ata' | 'scsi' }) => {
      let verdict: HealthReport['verdict'] | undefined;
      await runner.device('health', device, opts, false, async (dev) => {
        const out = await healthCommand(dev, opts.protocol);
        verdict = out.report.verdict;
        return { body: out.body, text: out.text };
      });
      // The document is printed; the verdict picks the status of a run that otherwise succeeded.
      if (runner.status === EXIT.OK && verdict !== undefined) runner.status = healthExitStatus(verdict);
    });
}
