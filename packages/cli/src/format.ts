/** Human output helpers: sg3_utils-style labelled lines and hex dumps. */

/** `0x1f`-style hex, at least `width` digits. */
export function hx(v: number | bigint, width = 2): string {
  return `0x${v.toString(16).padStart(width, '0')}`;
}

/** Bytes as `12 00 00 00 24 00` (lower case, like sg3_utils' -v CDB lines). */
export function hexList(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/**
 * A hex dump in sg3_utils' layout (hex2stdout): offset, 16 bytes split 8+8, then the bytes as ASCII
 * with non-printables as '.'.
 */
export function hexDump(bytes: Uint8Array, indent = ' '): string {
  const lines: string[] = [];
  const width = bytes.length > 0xffff ? 6 : bytes.length > 0xff ? 4 : 2;
  for (let off = 0; off < bytes.length; off += 16) {
    const row = bytes.subarray(off, off + 16);
    let hexPart = '';
    for (let i = 0; i < 16; i++) {
      const b = row[i];
      hexPart += b === undefined ? '   ' : `${b.toString(16).padStart(2, '0')} `;
      if (i === 7) hexPart += ' ';
    }
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${indent}${off.toString(16).padStart(width, '0')}     ${hexPart}   ${ascii}`);
  }
  return lines.join('\n');
}

/** Aligned `label: value` lines. */
export function labelled(rows: ReadonlyArray<readonly [string, unknown]>, indent = '  '): string {
  const width = Math.max(0, ...rows.map(([l]) => l.length));
  return rows.map(([l, v]) => `${indent}${`${l}:`.padEnd(width + 1)} ${show(v)}`).join('\n');
}

/** `NAME=value` flags on one line, sg_inq style. */
export function flags(pairs: ReadonlyArray<readonly [string, unknown]>, indent = '  '): string {
  return `${indent}${pairs
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${show(v)}`)
    .join('  ')}`;
}

/** A value for human output: booleans as 0/1 (as sg3_utils prints bits), bytes as hex. */
export function show(v: unknown): string {
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (v instanceof Uint8Array) return hexList(v);
  if (v === undefined || v === null) return '-';
  return String(v);
}

/** A table with a header row; columns padded to the widest cell, the last left ragged. */
export function table(
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  indent = '  ',
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `${indent}${cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')}`.trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** A byte count with binary units, e.g. `64.0 MiB`. */
export function bytesHuman(n: bigint | number): string {
  const v = Number(n);
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let i = 0;
  let x = v;
  while (x >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return i === 0 ? `${v} bytes` : `${x.toFixed(1)} ${units[i]}`;
}

/** Camel-case field name → readable label ('maximumTransferLength' → 'Maximum transfer length'). */
export function labelOf(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/gu, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The scalar fields of a decoded object as labelled rows (nested objects and arrays are left to the
 * caller). Keys in `skip` and bookkeeping fields (truncated, requiredLength…) are left out.
 */
export function scalarRows(obj: object, skip: readonly string[] = []): Array<[string, unknown]> {
  const bookkeeping = new Set(['truncated', 'requiredLength', 'availableLength', 'kind', ...skip]);
  const rows: Array<[string, unknown]> = [];
  for (const [k, v] of Object.entries(obj)) {
    if (bookkeeping.has(k) || v === undefined) continue;
    if (typeof v === 'object' && v !== null && !(v instanceof Uint8Array)) continue;
    // Single bits are T10 acronyms (GRD_CHK, LBPU…); other fields read better as words.
    const label =
      typeof v === 'boolean' ? k.replace(/([a-z0-9])([A-Z])/gu, '$1_$2').toUpperCase() : labelOf(k);
    rows.push([label, typeof v === 'bigint' ? v.toString() : v]);
  }
  return rows;
}
