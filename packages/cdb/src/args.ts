import { CdbBuildError } from './errors.js';

/**
 * A value in an error message, whatever it is. `String(v)` itself throws on a symbol inside a
 * template, on an object without a prototype and on one whose toString is not a function, and a
 * builder must never fail untyped while reporting a bad argument. Internal: not re-exported.
 */
export function show(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    case 'function':
      return 'a function';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) return `an array of ${value.length}`;
      if (ArrayBuffer.isView(value))
        return `a ${value.constructor?.name ?? 'typed array'} of ${value.byteLength} bytes`;
      const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor
        ?.name;
      return typeof name === 'string' && name !== 'Object' ? `a ${name}` : 'an object';
    }
    default:
      return String(value);
  }
}

/**
 * A builder's parameter object (or options) as JavaScript may pass it: null, a number or a
 * string would fail as a TypeError on the first property read, so it is refused typed here.
 */
export function checkParams(value: unknown, field: string): void {
  if (value === null || typeof value !== 'object') {
    throw new CdbBuildError(field, `must be an object, got ${show(value)}`);
  }
}

/**
 * `table[key]` for a key the caller named, or undefined: only own entries count, so neither
 * 'constructor' nor an array (whose key conversion may throw) picks anything up.
 */
export function lookup<V>(table: Readonly<Record<string, V>>, key: unknown): V | undefined {
  return typeof key === 'string' && Object.hasOwn(table, key) ? table[key] : undefined;
}
