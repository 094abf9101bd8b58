/** Brand shared by every scsikit error so `instanceof` survives duplicate installs. */
const kBrand = Symbol.for('scsikit.cdb.error');

/**
 * A builder parameter is out of range or inconsistent. Thrown before any byte is written.
 * `field` names the offending parameter, `limit` describes what would have fitted.
 */
export class CdbBuildError extends RangeError {
  override readonly name = 'CdbBuildError';
  readonly code = 'SCSIKIT_CDB_BUILD';
  readonly field: string;
  readonly limit: string | undefined;
  readonly [kBrand] = true;

  constructor(field: string, message: string, limit?: string) {
    super(`${field}: ${message}${limit === undefined ? '' : ` (limit: ${limit})`}`);
    this.field = field;
    this.limit = limit;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as { code?: unknown }).code === 'SCSIKIT_CDB_BUILD'
    );
  }
}

/**
 * Bytes returned by a device could not be decoded: too short, wrong page code, inconsistent lengths.
 * `field` names the field whose bytes were missing or wrong; `offset` is where it would start.
 */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  readonly code = 'SCSIKIT_DECODE';
  readonly field: string;
  readonly offset: number | undefined;
  readonly [kBrand] = true;

  constructor(field: string, message: string, offset?: number) {
    super(`${field}: ${message}${offset === undefined ? '' : ` (at byte ${offset})`}`);
    this.field = field;
    this.offset = offset;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return (
      typeof value === 'object' && value !== null && (value as { code?: unknown }).code === 'SCSIKIT_DECODE'
    );
  }
}
