// Top frames of a .cpuprofile by self time: node prof-top.mjs FILE [N] [AFTER]
// AFTER (optional): count only samples taken after the first sample whose stack holds a frame
// matching this text (e.g. the measured loop), leaving start-up and module loading out.
import { readFileSync } from 'node:fs';

const [file, nRaw = '20', after = ''] = process.argv.slice(2);
const p = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n) => {
  const f = n.callFrame;
  const where = f.url === '' ? '' : ` ${f.url.split('/').slice(-3).join('/')}:${f.lineNumber + 1}`;
  return `${f.functionName || '(anonymous)'}${where}`;
};
const holds = (id, text) => {
  for (let x = id; x !== undefined; x = parent.get(x)) if (label(byId.get(x)).includes(text)) return true;
  return false;
};
const self = new Map();
let total = 0;
let started = after === '';
for (const id of p.samples) {
  if (!started && holds(id, after)) started = true;
  if (!started) continue;
  const key = label(byId.get(id));
  self.set(key, (self.get(key) ?? 0) + 1);
  total++;
}
const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(nRaw));
console.log(`${total} samples${after === '' ? '' : ` after the first in ${after}`}`);
for (const [k, c] of top) console.log(`${((100 * c) / total).toFixed(1).padStart(5)} %  ${k}`);
