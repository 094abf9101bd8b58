// docs/targets.md is generated from the catalog and the deviations table; this fails when it is stale.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CASES, DEVIATIONS, REAL_TARGETS, renderTargetsTable } from '../src/index.js';

const docs = fileURLToPath(new URL('../../../docs/targets.md', import.meta.url));

describe('docs/targets.md', () => {
  it('is up to date (regenerate: pnpm exec tsx packages/disk-behaviour/scripts/targets-table.ts > docs/targets.md)', () => {
    expect(readFileSync(docs, 'utf8')).toBe(renderTargetsTable());
  });

  it('has one row per case and every recorded answer in it', () => {
    const text = renderTargetsTable();
    for (const id of Object.keys(CASES)) expect(text).toContain(`| \`${id}\``);
    for (const entries of Object.values(DEVIATIONS))
      for (const r of Object.values(entries ?? {})) expect(text).toContain(r.note.replaceAll('|', '\\|'));
  });
});

describe('the deviations table', () => {
  it('names real targets only (the emulator follows the standard), with a note and a basis', () => {
    for (const [id, entries] of Object.entries(DEVIATIONS)) {
      expect(Object.keys(CASES), id).toContain(id);
      for (const [kind, r] of Object.entries(entries ?? {})) {
        expect(REAL_TARGETS, `${id}: ${kind}`).toContain(kind);
        expect(r.note.length, `${id}/${kind} note`).toBeGreaterThan(10);
        expect(['observed', 'predicted']).toContain(r.basis);
      }
    }
  });
});
