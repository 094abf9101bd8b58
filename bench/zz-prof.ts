import { openDevice } from '@scsikit/core';
import { readLabManifest } from '@scsikit/lab';
const disk = readLabManifest().devices[0]!;
const dev = await openDevice(disk.bsg, { transport: 'uring' });
const mode = process.env.MODE ?? 'qd1';
const N = Number(process.env.N ?? 20000);
const buf = new Uint8Array(4096);
for (let i = 0; i < 2000; i++) await dev.read((i * 8) % 500000, 8, { into: buf });
const t0 = performance.now();
if (mode === 'qd1') {
  for (let i = 0; i < N; i++) await dev.read(Math.floor(Math.random() * 60000) * 8, 8, { into: buf });
} else {
  const qd = Number(mode.slice(2));
  let k = 0;
  await Promise.all(Array.from({ length: qd }, async () => {
    const b = new Uint8Array(4096);
    while (k++ < N) await dev.read(Math.floor(Math.random() * 60000) * 8, 8, { into: b });
  }));
}
const s = (performance.now() - t0) / 1000;
console.log(`${mode}: ${(N / s).toFixed(0)} IOPS`);
await dev.close();
