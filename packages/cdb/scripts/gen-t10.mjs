#!/usr/bin/env node
// Generates packages/cdb/src/spec/t10-tables.generated.ts from the T10 TSV tables.
//
// Usage: node scripts/gen-t10.mjs [inputDir] [outputFile]
//   inputDir   defaults to ../../../../shared/data/t10 relative to this script (/work/shared/data/t10
//              when the repo is /work/main)
//   outputFile defaults to ../src/spec/t10-tables.generated.ts relative to this script
//
// The output is deterministic (same input, same bytes) so a test can regenerate it and compare.
// Plain Node ESM, no dependencies.

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const scriptDir = path.dirname(fileURLToPath(import.meta.url));
const inputDir = path.resolve(process.argv[2] ?? path.resolve(scriptDir, '../../../../shared/data/t10'));
const outputFile = path.resolve(
  process.argv[3] ?? path.resolve(scriptDir, '../src/spec/t10-tables.generated.ts'),
);

/** Reads a TSV with a header row; checks the header so a renamed column fails loudly. */
function readTsv(name, expectedHeader) {
  const file = path.join(inputDir, name);
  const lines = readFileSync(file, 'utf8').replace(/\r\n/g, '\n').split('\n');
  const header = lines.shift();
  if (header !== expectedHeader.join('\t')) {
    throw new Error(
      `${file}: expected header ${JSON.stringify(expectedHeader.join('\t'))}, got ${JSON.stringify(header)}`,
    );
  }
  const rows = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const cols = line.split('\t');
    if (cols.length !== expectedHeader.length) {
      throw new Error(`${file}:${i + 2}: expected ${expectedHeader.length} columns, got ${cols.length}`);
    }
    rows.push(cols);
  });
  return rows;
}

function parseHex(text, bits, where) {
  if (!/^[0-9A-Fa-f]+$/.test(text)) throw new Error(`${where}: not hex: ${JSON.stringify(text)}`);
  const value = Number.parseInt(text, 16);
  if (value >= 2 ** bits) throw new Error(`${where}: ${text} does not fit ${bits} bits`);
  return value;
}

function parsePdt(text, where) {
  if (!/^PDT_[A-Z_]+$/.test(text)) throw new Error(`${where}: bad peripheral type ${JSON.stringify(text)}`);
  return text;
}

const hex = (value, digits) => `0x${value.toString(16).toUpperCase().padStart(digits, '0')}`;
const str = (s) => JSON.stringify(s);

const asc = readTsv('asc-ascq.tsv', ['asc', 'ascq', 'description']).map((c, i) => {
  const where = `asc-ascq.tsv row ${i + 1}`;
  return { code: (parseHex(c[0], 8, where) << 8) | parseHex(c[1], 8, where), text: c[2] };
});
asc.sort((a, b) => a.code - b.code);
for (let i = 1; i < asc.length; i++) {
  if (asc[i].code === asc[i - 1].code) throw new Error(`asc-ascq.tsv: duplicate ${hex(asc[i].code, 4)}`);
}

const ranges = readTsv('asc-ascq-ranges.tsv', ['asc', 'ascq_first', 'ascq_last', 'description_template']).map(
  (c, i) => {
    const where = `asc-ascq-ranges.tsv row ${i + 1}`;
    const r = {
      asc: parseHex(c[0], 8, where),
      first: parseHex(c[1], 8, where),
      last: parseHex(c[2], 8, where),
      template: c[3],
    };
    if (r.first > r.last) throw new Error(`${where}: empty range`);
    return r;
  },
);

// Order is kept: for an opcode with several names, the first row is the default (as in sg3_utils).
const opcodes = readTsv('opcodes.tsv', ['opcode', 'peripheral_type', 'name']).map((c, i) => {
  const where = `opcodes.tsv row ${i + 1}`;
  return { opcode: parseHex(c[0], 8, where), pdt: parsePdt(c[1], where), name: c[2] };
});

const serviceActions = readTsv('service-actions.tsv', [
  'opcode',
  'service_action',
  'peripheral_type',
  'name',
]).map((c, i) => {
  const where = `service-actions.tsv row ${i + 1}`;
  return {
    opcode: parseHex(c[0], 8, where),
    sa: parseHex(c[1], 16, where),
    pdt: parsePdt(c[2], where),
    name: c[3],
  };
});

const readme = readFileSync(path.join(inputDir, 'README.md'), 'utf8').replace(/\r\n/g, '\n').trimEnd();
if (readme.includes('*/')) throw new Error('README.md contains "*/", cannot embed it in a block comment');

const pdts = [...new Set([...opcodes, ...serviceActions].map((r) => r.pdt))].sort();

const out = [];
out.push('// GENERATED FILE: do not edit. Regenerate with `pnpm --filter @scsikit/cdb gen:t10`');
out.push('// (packages/cdb/scripts/gen-t10.mjs) from shared/data/t10/*.tsv.');
out.push('');
out.push('/* Provenance note, verbatim from shared/data/t10/README.md:');
out.push('');
out.push(readme);
out.push('*/');
out.push('');
out.push('/** Peripheral device type tags as sg3_utils writes them; PDT_ALL means "any device type". */');
out.push(`export type T10PdtTag = ${pdts.map(str).join(' | ')};`);
out.push('');
out.push(`/** ${asc.length} additional sense codes: [asc << 8 | ascq, description], sorted by code. */`);
out.push('export const T10_ASC_ASCQ: readonly (readonly [code: number, description: string])[] = [');
for (const r of asc) out.push(`  [${hex(r.code, 4)}, ${str(r.text)}],`);
out.push('];');
out.push('');
out.push(
  '/** ASCQ ranges sharing one meaning; `%x` in the template stands for the ASCQ in lowercase hex. */',
);
out.push(
  'export const T10_ASC_ASCQ_RANGES: readonly (readonly [asc: number, ascqFirst: number, ascqLast: number, template: string])[] = [',
);
for (const r of ranges)
  out.push(`  [${hex(r.asc, 2)}, ${hex(r.first, 2)}, ${hex(r.last, 2)}, ${str(r.template)}],`);
out.push('];');
out.push('');
out.push(
  '/** Operation code names in table order; for a code with several rows the first is the default. */',
);
out.push(
  'export const T10_OPCODES: readonly (readonly [opcode: number, pdt: T10PdtTag, name: string])[] = [',
);
for (const r of opcodes) out.push(`  [${hex(r.opcode, 2)}, ${str(r.pdt)}, ${str(r.name)}],`);
out.push('];');
out.push('');
out.push(
  '/** Service action names in table order; for a pair with several rows the first is the default. */',
);
out.push(
  'export const T10_SERVICE_ACTIONS: readonly (readonly [opcode: number, serviceAction: number, pdt: T10PdtTag, name: string])[] = [',
);
for (const r of serviceActions)
  out.push(`  [${hex(r.opcode, 2)}, ${hex(r.sa, 4)}, ${str(r.pdt)}, ${str(r.name)}],`);
out.push('];');
out.push('');

writeFileSync(outputFile, out.join('\n'));
console.log(
  `gen-t10: ${asc.length} asc/ascq, ${ranges.length} ranges, ${opcodes.length} opcodes, ` +
    `${serviceActions.length} service actions -> ${path.relative(process.cwd(), outputFile)}`,
);
