/** Every command's --json document schema, and `scsikit schema` which publishes them. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { benchSchema } from './commands/bench.js';
import { changerSchema } from './commands/changer.js';
import { cdbSchema, senseSchema } from './commands/decode.js';
import { fwDownloadSchema } from './commands/firmware.js';
import { healthSchema } from './commands/health.js';
import {
  inquirySchema,
  listSchema,
  lunsSchema,
  mediaSerialSchema,
  opcodesSchema,
  readcapSchema,
  turSchema,
  vpdSchema,
} from './commands/identity.js';
import { rawSchema, readSchema, syncSchema, unmapSchema, verifySchema, writeSchema } from './commands/io.js';
import { formatSchema, sanitizeSchema } from './commands/long-ops.js';
import { logsSchema, modesSchema } from './commands/pages.js';
import { prSchema } from './commands/pr.js';
import { securitySchema } from './commands/security.js';
import { sesSchema } from './commands/ses.js';
import { tapeSchema } from './commands/tape.js';
import { lbaStatusSchema, zonesSchema } from './commands/zoned.js';
import type { Output } from './context.js';
import { UsageError } from './errors.js';
import { documentSchema, toJsonSchema } from './json.js';
import type { Cli, CommonOpts } from './registration.js';

/** The success document of each command (the error document is shared, see json.ts). */
export const COMMAND_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  list: listSchema,
  inquiry: inquirySchema,
  vpd: vpdSchema,
  readcap: readcapSchema,
  luns: lunsSchema,
  tur: turSchema,
  'media-serial': mediaSerialSchema,
  opcodes: opcodesSchema,
  modes: modesSchema,
  logs: logsSchema,
  pr: prSchema,
  zones: zonesSchema,
  'lba-status': lbaStatusSchema,
  read: readSchema,
  write: writeSchema,
  verify: verifySchema,
  unmap: unmapSchema,
  sync: syncSchema,
  raw: rawSchema,
  format: formatSchema,
  sanitize: sanitizeSchema,
  sense: senseSchema,
  cdb: cdbSchema,
  bench: benchSchema,
  health: healthSchema,
  'fw-download': fwDownloadSchema,
  security: securitySchema,
  changer: changerSchema,
  ses: sesSchema,
  tape: tapeSchema,
};

/** The schema a command's document (success or error) must satisfy. */
export function commandDocumentSchema(command: string): z.ZodType {
  const s = COMMAND_SCHEMAS[command];
  if (s === undefined)
    throw new UsageError(`no schema for "${command}"; known: ${Object.keys(COMMAND_SCHEMAS).join(', ')}`);
  return documentSchema(command, s);
}

export function allJsonSchemas(): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.entries(COMMAND_SCHEMAS).map(([c, s]) => [c, toJsonSchema(c, s)]));
}

/** `scsikit schema [command]`: JSON Schema text (always JSON, whatever --json says). */
export function schemaCommand(command: string | undefined): Output {
  if (command === undefined) {
    return { body: {}, text: `${JSON.stringify(allJsonSchemas(), null, 2)}\n` };
  }
  const s = COMMAND_SCHEMAS[command];
  if (s === undefined)
    throw new UsageError(`no schema for "${command}"; known: ${Object.keys(COMMAND_SCHEMAS).join(', ')}`);
  return { body: {}, text: `${JSON.stringify(toJsonSchema(command, s), null, 2)}\n` };
}

/** Writes schemas/<command>.schema.json (the published copies). */
export function writeSchemaFiles(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  return Object.entries(allJsonSchemas()).map(([c, s]) => {
    const path = join(dir, `${c}.schema.json`);
    writeFileSync(path, `${JSON.stringify(s, null, 2)}\n`);
    return path;
  });
}

/** Registers schema. */
export function registerSchemaCommand({ runner, localCommand }: Cli): void {
  localCommand('schema', "print the JSON Schema of a command's --json document")
    .argument('[command]', `one of ${Object.keys(COMMAND_SCHEMAS).join(', ')}; all when absent`)
    .option('--out-dir <dir>', 'write <command>.schema.json files into this directory instead')
    .action((command: string | undefined, opts: CommonOpts & { outDir?: string }) =>
      runner.local('schema', { ...opts, json: false }, () =>
        opts.outDir === undefined
          ? schemaCommand(command)
          : { body: {}, text: `${writeSchemaFiles(opts.outDir).join('\n')}\n` },
      ),
    );
}
