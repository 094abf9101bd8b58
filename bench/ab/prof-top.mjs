// Top frames of a .cpuprofile by self time (and the share of total samples): node prof-top.mjs FILE [N]
import { readFileSync } from 'node:fs';

const [file, nRaw = '20'] = process.argv.slice(2);
const p = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map();
const counts = new Map();
for (const id of p.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
let total = 0;
for (const [id, c] of counts) {
  const n = byId.get(id);
  const f = n.callFrame;
  const where = f.url === '' ? '' : ` ${f.url.split('/').slice(-3).join('/')}:${f.lineNumber + 1}`;
  const key = `${f.functionName || '(anonymous)'}${where}`;
  self.set(key, (self.get(key) ?? 0) + c);
  total += c;
}
const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(nRaw));
console.log(`${total} samples`);
for (const [k, c] of top) console.log(`${((100 * c) / total).toFixed(1).padStart(5)} %  ${k}`);
