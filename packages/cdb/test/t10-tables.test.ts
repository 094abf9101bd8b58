import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  T10_ASC_ASCQ,
  T10_ASC_ASCQ_RANGES,
  T10_OPCODES,
  T10_SERVICE_ACTIONS,
} from '../src/spec/t10-tables.generated.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const script = path.resolve(here, '../scripts/gen-t10.mjs');
const committed = path.resolve(here, '../src/spec/t10-tables.generated.ts');
/** Same default the generator uses: /work/shared/data/t10 when the repo is /work/main. */
const sharedDir = path.resolve(here, '../../../../shared/data/t10');
const haveShared = existsSync(path.join(sharedDir, 'asc-ascq.tsv'));

function tsvRows(name: string): string[][] {
  return readFileSync(path.join(sharedDir, name), 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split('\t'));
}

describe('generated T10 tables', () => {
  // Skipped (visibly, by vitest) only when the shared data directory is not checked out next to the repo.
  it.runIf(haveShared)('are up to date with shared/data/t10 (re-runs the generator)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gen-t10-'));
    try {
      const out = path.join(dir, 't10-tables.generated.ts');
      execFileSync(process.execPath, [script, sharedDir, out], { stdio: 'pipe' });
      expect(readFileSync(out, 'utf8')).toBe(readFileSync(committed, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.runIf(haveShared)('carry the README provenance note verbatim', () => {
    const readme = readFileSync(path.join(sharedDir, 'README.md'), 'utf8').trimEnd();
    expect(readFileSync(committed, 'utf8')).toContain(readme);
  });

  it.runIf(haveShared)('hold every TSV row', () => {
    expect(T10_ASC_ASCQ).toHaveLength(tsvRows('asc-ascq.tsv').length);
    expect(T10_ASC_ASCQ_RANGES).toHaveLength(tsvRows('asc-ascq-ranges.tsv').length);
    expect(T10_OPCODES).toHaveLength(tsvRows('opcodes.tsv').length);
    expect(T10_SERVICE_ACTIONS).toHaveLength(tsvRows('service-actions.tsv').length);
  });

  it('has the 764 ASC/ASCQ pairs the README announces, sorted and unique', () => {
    expect(T10_ASC_ASCQ).toHaveLength(764);
    expect(T10_ASC_ASCQ_RANGES).toHaveLength(6);
    for (let i = 1; i < T10_ASC_ASCQ.length; i++) {
      expect(T10_ASC_ASCQ[i]![0]).toBeGreaterThan(T10_ASC_ASCQ[i - 1]![0]);
    }
    expect(T10_ASC_ASCQ[0]).toEqual([0x0000, 'No additional sense information']);
  });

  it('has range rules that never shadow an exact entry (so lookup order does not matter)', () => {
    const codes = new Set(T10_ASC_ASCQ.map(([c]) => c));
    for (const [asc, first, last, template] of T10_ASC_ASCQ_RANGES) {
      expect(template).toContain('%x');
      for (let q = first; q <= last; q++) expect(codes.has((asc << 8) | q)).toBe(false);
    }
  });

  it('keeps codes in range', () => {
    for (const [op, pdt, name] of T10_OPCODES) {
      expect(op).toBeGreaterThanOrEqual(0);
      expect(op).toBeLessThanOrEqual(0xff);
      expect(pdt).toMatch(/^PDT_/);
      expect(name.length).toBeGreaterThan(0);
    }
    for (const [op, sa] of T10_SERVICE_ACTIONS) {
      expect(op).toBeLessThanOrEqual(0xff);
      expect(sa).toBeLessThanOrEqual(op === 0x7f ? 0xffff : 0xff);
    }
  });
});
