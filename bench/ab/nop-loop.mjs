// Host NOP path for profiling (issue #20): NopQueue.nop() in batches through the public API.
// node [--cpu-prof | --perf-basic-prof] bench/ab/nop-loop.mjs [TREE] [BATCH] [SECONDS] [each|batch]
//   each: NopQueue.nop() BATCH times and Promise.all; batch: NopQueue.nops(BATCH), one promise.
const [tree = process.cwd(), batchRaw = '64', secondsRaw = '5', how = 'each'] = process.argv.slice(2);
const { NopQueue } = await import(`${tree}/packages/transport-uring/dist/index.js`);
const batch = Number(batchRaw);
const q = new NopQueue(256);
const pending = new Array(batch);
let cpuNsPerOp = 0;
const run = async (secs) => {
  const c0 = process.cpuUsage();
  const end = performance.now() + secs * 1000;
  const t0 = performance.now();
  let n = 0;
  while (performance.now() < end) {
    if (how === 'batch') await q.nops(batch);
    else {
      for (let i = 0; i < batch; i++) pending[i] = q.nop();
      await Promise.all(pending);
    }
    n += batch;
  }
  const c = process.cpuUsage(c0);
  // CPU time per NOP (user + system): steadier than wall time on a host other jobs load.
  cpuNsPerOp = ((c.user + c.system) * 1000) / n;
  return n / ((performance.now() - t0) / 1000);
};
await run(0.5);
const ops = await run(Number(secondsRaw));
console.log(
  JSON.stringify({ tree, batch, how, opsPerSec: Math.round(ops), cpuNsPerOp: Math.round(cpuNsPerOp) }),
);
q.close();
