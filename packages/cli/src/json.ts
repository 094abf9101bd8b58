/**
 * The `--json` interface: one document per run, `{ schemaVersion, command, …body }`, field names as
 * T10 writes them in camelCase (sg3_utils 1.48's --json names in snake_case). 64-bit quantities are
 * decimal strings so nothing loses precision; byte strings are lower-case hex without separators.
 * Each command's document is described by a zod schema (published as JSON Schema by
 * `scsikit schema`); a run that fails prints the shared error document instead.
 */
import { z } from 'zod';

/** Bumped on any incompatible change of any command's document. */
export const SCHEMA_VERSION = 1;

/** Unsigned integer that may exceed 2^53: a decimal string. */
export const u64 = z
  .string()
  .regex(/^(0|[1-9][0-9]*)$/u)
  .describe('unsigned integer up to 64 bits as a decimal string (no precision loss)');

/** Bytes as lower-case hex, two digits per byte, no separators. */
export const hexBytes = z
  .string()
  .regex(/^([0-9a-f]{2})*$/u)
  .describe('bytes as lower-case hex, two digits per byte');

export const byte = z.number().int().min(0).max(255);
export const uint = z.number().int().min(0);

/** Any decoded value as it appears in the document (after toJsonValue). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** bigint → decimal string, Uint8Array → hex, undefined members dropped, everything else as is. */
export function toJsonValue(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value.toString(10);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.length).toString('hex');
  if (Array.isArray(value)) return value.map((v) => toJsonValue(v));
  if (value instanceof Map)
    return Object.fromEntries([...value].map(([k, v]) => [String(k), toJsonValue(v)]));
  if (typeof value === 'object') {
    const out: { [key: string]: JsonValue } = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined || typeof v === 'function') continue;
      out[k] = toJsonValue(v);
    }
    return out;
  }
  return String(value);
}

/** The document of a successful run of `command`. */
export function successSchema<S extends z.ZodRawShape>(command: string, body: S) {
  return z.object({
    schemaVersion: z.literal(SCHEMA_VERSION),
    command: z.literal(command),
    ...body,
  });
}

/** Sense key, additional sense and INFORMATION: the decoded sense and the error documents both carry them. */
export const senseSummary = {
  senseKey: byte.optional(),
  senseKeyName: z.string().optional(),
  asc: byte.optional(),
  ascq: byte.optional(),
  description: z.string().optional(),
  information: u64.optional(),
};

/** The document of a failed run (any command). */
export const errorBodySchema = z.object({
  /** Error class: CheckConditionError, ScsiStatusError, UsageError … */
  name: z.string(),
  /** core's stable error code (ERR_SCSIKIT_…), when core raised it. */
  code: z.string().optional(),
  message: z.string(),
  /** The process exit status (sg3_utils convention). */
  exitStatus: z.number().int(),
  /** T10 name of the command that failed. */
  scsiCommand: z.string().optional(),
  status: byte.optional(),
  statusName: z.string().optional(),
  ...senseSummary,
  progressPercent: z.number().optional(),
  sense: hexBytes.optional(),
  hostStatus: byte.optional(),
  hostStatusName: z.string().optional(),
});

export function errorSchema(command: string) {
  return z.object({
    schemaVersion: z.literal(SCHEMA_VERSION),
    command: z.literal(command),
    error: errorBodySchema,
  });
}

export type ErrorBody = z.infer<typeof errorBodySchema>;

/** What `scsikit schema <command>` prints: success or error document. */
export function documentSchema(command: string, success: z.ZodType): z.ZodType {
  return z.union([success, errorSchema(command)]);
}

/** JSON Schema (draft 2020-12) of a command's document. */
export function toJsonSchema(command: string, success: z.ZodType): Record<string, unknown> {
  const schema = z.toJSONSchema(documentSchema(command, success), { io: 'output', unrepresentable: 'any' });
  return {
    ...schema,
    $id: `https://scsikit.dev/schemas/cli/v${SCHEMA_VERSION}/${command}.json`,
    title: `scsikit ${command} --json`,
  };
}

/** Stringifies a document: one JSON text, two-space indented, newline-terminated. */
export function stringifyDocument(command: string, body: Record<string, unknown>): string {
  const doc = { schemaVersion: SCHEMA_VERSION, command, ...(toJsonValue(body) as Record<string, JsonValue>) };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
