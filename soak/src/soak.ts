/**
 * The reliability soak (issue #7), run inside the lab guest by scripts/soak.sh on the default
 * profile's scsi_debug disk: a chaos run with injected faults, a clean run for memory, device
 * removal mid-run, kill -9 at QD 64, and the leak checks after close. Prints its figures and exits
 * non-zero when a promise never settled, a rejection was untyped, or data came back wrong.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { parseArgs, promisify } from 'node:util';
import { type Device, DeviceGoneError, HostError, openDevice, ScsiError, TimeoutError } from '@scsikit/core';
import { readLabManifest } from '@scsikit/lab';
import { type FaultClass, FaultInjector } from './faults.js';
import { runThreads } from './load.js';
import { ChunkMap, chunkPattern } from './shadow.js';

const { values: args } = parseArgs({
  options: {
    commands: { type: 'string', default: '100000' },
    qd: { type: 'string', default: '32' },
    'fault-every-ms': { type: 'string', default: '100' },
    'timeout-ms': { type: 'string', default: '4000' },
    'clean-commands': { type: 'string', default: '100000' },
    'load-seconds': { type: 'string', default: '10' },
    phases: { type: 'string', default: 'chaos,memory,removal,load,kill,rmmod' },
    child: { type: 'string' },
  },
});
const num = (s: string | undefined, name: string): number => {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`--${name} must be a non-negative integer, got ${s}`);
  return n;
};

const CHUNK_BLOCKS = 8;
const SETTLE_SLACK_MS = 5000;

// ---------------------------------------------------------------------------------------------
// Process resources, for the leak checks.

/** The process's fds and what each points at (a leak report says what was left open), its rings and io-wq workers. */
function resources() {
  const targets = new Map<string, string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      targets.set(fd, readlinkSync(`/proc/self/fd/${fd}`));
    } catch {
      // closed between the listing and the readlink (the listing's own fd among them)
    }
  }
  let rings = 0;
  for (const t of targets.values()) if (t.includes('io_uring')) rings++;
  return { counts: { fds: targets.size, rings, ioWorkers: ioWorkers() }, targets };
}
function ioWorkers(): number {
  let n = 0;
  for (const t of readdirSync('/proc/self/task')) {
    try {
      if (readFileSync(`/proc/self/task/${t}/comm`, 'utf8').startsWith('iou-wrk')) n++;
    } catch {
      // the thread ended
    }
  }
  return n;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `op` with a bound: returns the settle time, or throws when it never settled within `bound`. */
async function bounded<T>(op: Promise<T>, boundMs: number, stuck: { count: number }): Promise<number> {
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<'stuck'>((r) => {
    timer = setTimeout(() => r('stuck'), boundMs);
  });
  try {
    const r = await Promise.race([
      op.then(
        () => 'ok' as const,
        () => 'err' as const,
      ),
      guard,
    ]);
    if (r === 'stuck') stuck.count++;
  } finally {
    clearTimeout(timer);
  }
  return performance.now() - t0;
}

// ---------------------------------------------------------------------------------------------
// Phase 1: chaos.

interface ChaosFigures {
  commands: number;
  byOp: Record<string, number>;
  faultsWritten: Record<string, number>;
  faultsFired: Record<string, number>;
  outcomes: Record<string, number>;
  untyped: number;
  unsettled: number;
  corrupt: number;
  verifiedReads: number;
  /** Chunks no longer verified: a write to them timed out and may still land. */
  taintedChunks: number;
  buffersAbandoned: number;
  maxSettleMs: number;
  /** Highest in-flight count seen at any command start, and the device's queue depth. */
  maxInFlight: number;
  queueDepth: number;
  maxIoWorkers: number;
  deviceStateAfter: string;
  seconds: number;
}

function outcomeName(e: unknown): string {
  if (!(e instanceof ScsiError)) return 'UNTYPED';
  const parts = [e.name];
  const x = e as unknown as { senseKey?: number; asc?: number; ascq?: number; hostStatusName?: string };
  if (x.hostStatusName !== undefined) parts.push(x.hostStatusName);
  if (x.asc !== undefined)
    parts.push(
      `${x.senseKey?.toString(16)}/${x.asc.toString(16).padStart(2, '0')}/${(x.ascq ?? 0).toString(16).padStart(2, '0')}`,
    );
  return parts.join(' ');
}

async function chaos(
  dev: Device,
  hctl: string,
  total: number,
  qd: number,
  everyMs: number,
  timeoutMs: number,
): Promise<ChaosFigures> {
  const cap = await dev.readCapacity();
  const blockLength = cap.blockLength;
  const chunks = Math.min(4096, Math.floor(Number(cap.lastLba + 1n) / CHUNK_BLOCKS));
  const shadow = new ChunkMap(chunks);
  const f: ChaosFigures = {
    commands: 0,
    byOp: {},
    faultsWritten: {},
    faultsFired: {},
    outcomes: {},
    untyped: 0,
    unsettled: 0,
    corrupt: 0,
    verifiedReads: 0,
    taintedChunks: 0,
    /** Read buffers given up after an SDK timeout (the kernel may still write into them). */
    buffersAbandoned: 0,
    maxSettleMs: 0,
    seconds: 0,
    maxInFlight: 0,
    queueDepth: dev.transport.capabilities.queueDepth,
    maxIoWorkers: 0,
    deviceStateAfter: '',
  };
  const bump = (m: Record<string, number>, k: string) => {
    m[k] = (m[k] ?? 0) + 1;
  };
  const injector = new FaultInjector(hctl);
  const stuck = { count: 0 };
  const t0 = performance.now();
  let issued = 0;
  const timer = setInterval(() => {
    const cls: FaultClass = injector.inject();
    bump(f.faultsWritten, cls);
    f.maxIoWorkers = Math.max(f.maxIoWorkers, ioWorkers());
  }, everyMs);
  const opts = { timeoutMs };
  const worker = async (w: number) => {
    let buf = new Uint8Array(CHUNK_BLOCKS * blockLength);
    let generation = w * 1_000_000;
    while (issued < total) {
      issued++;
      const r = Math.random();
      const chunk = shadow.lockRandom();
      const lba = chunk * CHUNK_BLOCKS;
      let op: string;
      let p: Promise<unknown>;
      if (r < 0.4) {
        op = 'read';
        const expected = shadow.expected(chunk);
        p = dev.read(lba, CHUNK_BLOCKS, { ...opts, into: buf }).then(
          (data) => {
            if (expected === undefined) return;
            f.verifiedReads++;
            if (!chunkPattern(expected, data.length).every((b, i) => b === data[i])) f.corrupt++;
          },
          (e: unknown) => {
            // The SDK's watchdog settled it, but the kernel still owns the buffer: a command held
            // behind error handling may still complete and write into it. Never reuse it.
            if (e instanceof TimeoutError) {
              buf = new Uint8Array(buf.length);
              f.buffersAbandoned++;
            }
            throw e;
          },
        );
      } else if (r < 0.65) {
        op = 'write';
        const gen = ++generation;
        const data = chunkPattern(gen, buf.length);
        shadow.set(chunk, undefined); // unknown until the write reports success
        p = dev.write(lba, CHUNK_BLOCKS, data, opts).then(
          () => shadow.set(chunk, gen),
          (e: unknown) => {
            // Timed out (watchdog) or lost in flight: the write may still land after a later one.
            if (e instanceof TimeoutError || (e instanceof HostError && e.hostStatusName === 'DID_TIME_OUT'))
              shadow.taint(chunk);
            throw e;
          },
        );
      } else if (r < 0.75) {
        op = 'verify';
        p = dev.verify(lba, CHUNK_BLOCKS, opts);
      } else if (r < 0.9) {
        op = 'inquiry';
        p = dev.inquiry(opts);
      } else {
        op = 'tur';
        p = dev.testUnitReady(opts);
      }
      bump(f.byOp, op);
      f.maxInFlight = Math.max(f.maxInFlight, dev.transport.stats?.().inFlight ?? 0);
      let error: unknown;
      const settled = p.catch((e: unknown) => {
        error = e;
      });
      const ms = await bounded(settled, timeoutMs + SETTLE_SLACK_MS, stuck);
      shadow.unlock(chunk);
      f.maxSettleMs = Math.max(f.maxSettleMs, ms);
      f.commands++;
      if (error === undefined) bump(f.outcomes, 'ok');
      else {
        const name = outcomeName(error);
        bump(f.outcomes, name);
        if (name === 'UNTYPED') {
          f.untyped++;
          console.error('untyped rejection:', error);
        }
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: qd }, (_, w) => worker(w)));
  } finally {
    clearInterval(timer);
  }
  await sleep(50);
  f.faultsFired = injector.fired();
  injector.clear();
  f.unsettled = stuck.count;
  f.taintedChunks = shadow.tainted;
  f.seconds = (performance.now() - t0) / 1000;
  // Error handling that gives up takes the device offline; bring it back for the next phases.
  const state = `/sys/class/scsi_device/${hctl}/device/state`;
  f.deviceStateAfter = readFileSync(state, 'utf8').trim();
  if (f.deviceStateAfter !== 'running') writeFileSync(state, 'running\n');
  return f;
}

// ---------------------------------------------------------------------------------------------
// Phase 2: memory on a clean run.

async function clean(
  dev: Device,
  total: number,
  qd: number,
): Promise<{
  commands: number;
  rssStartMiB: number;
  rssEndMiB: number;
  growthPer100kMiB: number;
  heapUsedStartMiB: number;
  heapUsedEndMiB: number;
  externalStartMiB: number;
  externalEndMiB: number;
}> {
  const blockLength = (await dev.readCapacity()).blockLength;
  let issued = 0;
  let start = process.memoryUsage();
  const warm = Math.min(10_000, Math.floor(total / 10));
  const worker = async () => {
    const buf = new Uint8Array(8 * blockLength);
    while (issued < total) {
      issued++;
      if (issued === warm) {
        globalThis.gc?.();
        start = process.memoryUsage();
      }
      await dev.read(Math.floor(Math.random() * 4096) * 8, 8, { into: buf });
    }
  };
  await Promise.all(Array.from({ length: qd }, () => worker()));
  globalThis.gc?.();
  const end = process.memoryUsage();
  const mib = (b: number) => b / 2 ** 20;
  return {
    commands: total,
    rssStartMiB: mib(start.rss),
    rssEndMiB: mib(end.rss),
    growthPer100kMiB: (mib(end.rss - start.rss) * 100_000) / Math.max(1, total - warm),
    heapUsedStartMiB: mib(start.heapUsed),
    heapUsedEndMiB: mib(end.heapUsed),
    externalStartMiB: mib(start.external),
    externalEndMiB: mib(end.external),
  };
}

// ---------------------------------------------------------------------------------------------
// Phase 3: removal mid-run, then re-adding.

const SDEBUG = '/sys/bus/pseudo/drivers/scsi_debug';
const execFileP = promisify(execFile);

async function addHost(): Promise<string> {
  const before = new Set(readdirSync('/sys/class/scsi_device'));
  writeFileSync(`${SDEBUG}/add_host`, '1\n');
  return newDevice(before);
}

/** The first SCSI device not in `before` whose bsg node exists. */
async function newDevice(before: ReadonlySet<string>): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const h = readdirSync('/sys/class/scsi_device').find(
      (x) => !before.has(x) && existsSync(`/dev/bsg/${x}`),
    );
    if (h !== undefined) return h;
    await sleep(50);
  }
  throw new Error('no new scsi_debug device appeared');
}

async function waitFor(path: string): Promise<void> {
  for (let i = 0; i < 200 && !existsSync(path); i++) await sleep(50);
  if (!existsSync(path)) throw new Error(`${path} did not appear`);
}

/**
 * How the disk goes away mid-run: `delete`, its sysfs delete (the host stays; a rescan brings the
 * disk back at the same address); `remove-host`, scsi_debug's add_host=-1 (the whole host goes;
 * add_host=1 brings a new one, at a new address); `rmmod`, the module unloaded under the profile's
 * own disk (insmod with the same parameters brings a new host). The first two use a host added
 * for them.
 */
type RemovalKind = 'delete' | 'remove-host' | 'rmmod';

/** scsi_debug's .ko in the initramfs, reachable from the job's root through init's. */
const SDEBUG_KO = '/proc/1/root/lib/modules/scsi_debug.ko';
/** The load-time parameters the lab's profiles set, read back before an rmmod. */
const SDEBUG_PARAMS = ['dev_size_mb', 'delay', 'submit_queues', 'max_queue', 'sector_size'];

async function removal(timeoutMs: number, kind: RemovalKind, own?: string) {
  const hctl = kind === 'rmmod' && own !== undefined ? own : await addHost();
  const host = hctl.split(':')[0];
  const params = SDEBUG_PARAMS.map(
    (p) => `${p}=${readFileSync(`/sys/module/scsi_debug/parameters/${p}`, 'utf8').trim()}`,
  );
  const dev = await openDevice(`/dev/bsg/${hctl}`, { transport: 'uring' });
  const outcomes: Record<string, number> = {};
  let goneAt: number | undefined;
  let submittedAtGone = 0;
  let maxSettleMs = 0;
  const stuck = { count: 0 };
  let stop = false;
  const worker = async () => {
    const buf = new Uint8Array(4096);
    while (!stop) {
      let name = 'ok';
      const ms = await bounded(
        dev.read(Math.floor(Math.random() * 1000) * 8, 8, { into: buf, timeoutMs }).catch((e: unknown) => {
          name = outcomeName(e);
          if (e instanceof DeviceGoneError && goneAt === undefined) {
            goneAt = performance.now();
            submittedAtGone = dev.transport.stats?.().submitted ?? 0;
          }
          if (e instanceof DeviceGoneError) stop = true;
        }),
        2 * timeoutMs,
        stuck,
      );
      maxSettleMs = Math.max(maxSettleMs, ms);
      outcomes[name] = (outcomes[name] ?? 0) + 1;
    }
  };
  const running = Promise.all(Array.from({ length: 32 }, () => worker()));
  await sleep(1000);
  const removedAt = performance.now();
  // add_host=-1 removes the host added last: ours (nothing else adds hosts meanwhile).
  try {
    if (kind === 'delete') writeFileSync(`/sys/class/scsi_device/${hctl}/device/delete`, '1\n');
    else if (kind === 'remove-host') writeFileSync(`${SDEBUG}/add_host`, '-1\n');
    else await execFileP('rmmod', ['scsi_debug']); // asynchronous: the readers keep running meanwhile
  } catch (e) {
    stop = true;
    await running;
    await dev.close();
    throw e;
  }
  await running;
  const submittedAfterGone = (dev.transport.stats?.().submitted ?? 0) - submittedAtGone;
  await dev.close();
  let back = hctl;
  if (kind === 'delete') {
    // A rescan of the host brings the LUN back under the same H:C:T:L.
    writeFileSync(`/sys/class/scsi_host/host${host}/scan`, '- - -\n');
    await waitFor(`/dev/bsg/${hctl}`);
  } else if (kind === 'remove-host') back = await addHost();
  else {
    const before = new Set(readdirSync('/sys/class/scsi_device'));
    await execFileP('insmod', [SDEBUG_KO, ...params]);
    back = await newDevice(before);
  }
  const again = await openDevice(`/dev/bsg/${back}`, { transport: 'uring' });
  const reopened = (await again.inquiry()).product?.trim() ?? '';
  await again.close();
  if (kind === 'delete') writeFileSync(`/sys/class/scsi_device/${hctl}/device/delete`, '1\n');
  else if (kind === 'remove-host') writeFileSync(`${SDEBUG}/add_host`, '-1\n');
  return {
    kind,
    reopenedAt: `/dev/bsg/${back}`,
    outcomes,
    unsettled: stuck.count,
    maxSettleMs,
    firstGoneAfterRemovalMs: goneAt === undefined ? undefined : goneAt - removedAt,
    submittedAfterGone,
    reopened,
  };
}

// ---------------------------------------------------------------------------------------------
// Phase 4: load across devices and threads.

/** Commands the kernel lets each load device hold (sysfs queue_depth), shared by the threads. */
const LOAD_DEVICE_DEPTH = 8;
const LOAD_THREADS = 2;
/**
 * scsi_debug's per-command service time during the load phase: the device, not the guest's CPU,
 * bounds throughput, as with a real disk (at delay=0 both runs only measure TCG's CPU).
 */
const LOAD_NDELAY_NS = 5_000_000;

async function load(first: string, seconds: number) {
  const extra = [await addHost(), await addHost()];
  const hctls = [first.replace('/dev/bsg/', ''), ...extra];
  const devices = hctls.map((h) => `/dev/bsg/${h}`);
  const depthFile = (h: string) => `/sys/class/scsi_device/${h}/device/queue_depth`;
  const depths = hctls.map((h) => readFileSync(depthFile(h), 'utf8').trim());
  const delay = readFileSync(`${SDEBUG}/delay`, 'utf8').trim();
  try {
    for (const h of hctls) writeFileSync(depthFile(h), `${LOAD_DEVICE_DEPTH}\n`);
    writeFileSync(`${SDEBUG}/ndelay`, `${LOAD_NDELAY_NS}\n`);
    const job = { devices, seconds, loops: 32, priorities: true };
    // The same 32 loops per device and thread, 64 per device: first the SDK passes them all to
    // the kernel, which holds what the device's 8 tags cannot take; then each thread's SDK, at its
    // default depth (the device's queue_depth), keeps 8 per device in the kernel and the rest in
    // its waiting room.
    const direct = await runThreads(LOAD_THREADS, { ...job, queueDepth: job.loops });
    const queued = await runThreads(LOAD_THREADS, { ...job, queueDepth: undefined });
    const loops = LOAD_THREADS * devices.length * job.loops;
    return {
      deviceQueueDepth: LOAD_DEVICE_DEPTH,
      serviceTimeMs: LOAD_NDELAY_NS / 1e6,
      ceilingIops: (devices.length * LOAD_DEVICE_DEPTH * 1e9) / LOAD_NDELAY_NS,
      direct,
      queued,
      throughputRatio: queued.iops / direct.iops,
      meanPerLoop: queued.commands / loops,
    };
  } finally {
    // delay (in jiffies) also resets ndelay; it is refused while commands are queued, so last.
    writeFileSync(`${SDEBUG}/delay`, `${delay}\n`);
    hctls.forEach((h, i) => {
      if (existsSync(depthFile(h))) writeFileSync(depthFile(h), `${depths[i]}\n`);
    });
    for (const h of extra) writeFileSync(`/sys/class/scsi_device/${h}/device/delete`, '1\n');
  }
}

// ---------------------------------------------------------------------------------------------
// Phase 5: kill -9 at QD 64, then another process.

async function childLoad(bsg: string): Promise<void> {
  const dev = await openDevice(bsg, { transport: 'uring' });
  const buf = Array.from({ length: 64 }, () => new Uint8Array(4096));
  let n = 0;
  await Promise.all(
    buf.map(async (b) => {
      for (;;) {
        await dev.read(Math.floor(Math.random() * 1000) * 8, 8, { into: b });
        if (++n === 2000) process.stdout.write('running\n');
      }
    }),
  );
}

/** Starts the QD-64 child and waits until it runs; rejects with how it ended if it died first. */
async function startLoad(bsg: string) {
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1] as string, '--child', bsg], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('running')) resolve();
    });
    child.on('exit', (code, signal) =>
      reject(new Error(`the load child ended before running (${signal ?? code})`)),
    );
  });
  return child;
}

async function kill9(bsg: string) {
  // A node start-up in the TCG guest has been seen to die of SIGSEGV before running any scsikit
  // code (closing note, #7): one retry, reported.
  const startFailures: string[] = [];
  let child: Awaited<ReturnType<typeof startLoad>> | undefined;
  for (let i = 0; i < 2 && child === undefined; i++) {
    try {
      child = await startLoad(bsg);
    } catch (e) {
      startFailures.push((e as Error).message);
    }
  }
  if (child === undefined) throw new Error(startFailures.join('; '));
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGKILL');
  const killedAt = performance.now();
  await exited;
  const dev = await openDevice(bsg, { transport: 'uring' });
  await dev.inquiry();
  const readyMs = performance.now() - killedAt;
  await dev.close();
  return { queueDepth: 64, newProcessReadyMs: readyMs, startFailures };
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  if (args.child !== undefined) {
    await childLoad(args.child);
    return 0;
  }
  const manifest = readLabManifest();
  const disk = manifest.devices.find((d) => d.kind === 'scsi_debug');
  if (disk === undefined) throw new Error(`the ${manifest.profile} profile has no scsi_debug disk`);
  const timeoutMs = num(args['timeout-ms'], 'timeout-ms');
  const qd = num(args.qd, 'qd');
  const start = resources();
  const baseline = start.counts;
  const report: Record<string, unknown> = { kernel: manifest.kernel, device: disk.bsg, baseline };
  const log = (s: string) => console.error(`soak: ${s}`);

  const failures: string[] = [];
  // Each phase reports on its own: one that throws is a failure, and the others still run.
  const selected = new Set((args.phases ?? '').split(','));
  async function phase<T>(name: string, run: () => Promise<T>): Promise<T | undefined> {
    if (!selected.has(name)) {
      report[name] = { skipped: true };
      return undefined;
    }
    try {
      const r = await run();
      report[name] = r;
      return r;
    } catch (e) {
      report[name] = { error: e instanceof Error ? e.message : String(e) };
      failures.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  log(`chaos: ${args.commands} commands at QD ${qd}, a fault every ${args['fault-every-ms']} ms`);
  const c = await phase('chaos', async () => {
    const dev = await openDevice(disk.bsg, { transport: 'uring', write: true });
    try {
      return await chaos(
        dev,
        disk.hctl,
        num(args.commands, 'commands'),
        qd,
        num(args['fault-every-ms'], 'fault-every-ms'),
        timeoutMs,
      );
    } finally {
      await dev.close();
    }
  });
  if (c !== undefined) {
    if (c.unsettled > 0) failures.push(`${c.unsettled} chaos command(s) never settled within timeout + 5 s`);
    if (c.untyped > 0) failures.push(`${c.untyped} untyped rejection(s)`);
    if (c.corrupt > 0) failures.push(`${c.corrupt} read(s) returned wrong data without an error`);
    if (c.maxInFlight > c.queueDepth)
      failures.push(`in flight ${c.maxInFlight} above the queue depth ${c.queueDepth}`);
  }

  log(`clean run: ${args['clean-commands']} reads at QD ${qd} (RSS)`);
  const mem = await phase('memory', async () => {
    const dev = await openDevice(disk.bsg, { transport: 'uring', fixedBuffers: { count: 4, size: 65536 } });
    try {
      return await clean(dev, num(args['clean-commands'], 'clean-commands'), qd);
    } finally {
      await dev.close();
    }
  });

  // Issue #7: under 1 MiB per 100,000 commands (V8's young generation is pinned by scripts/soak.sh).
  if (mem !== undefined && mem.growthPer100kMiB >= 1)
    failures.push(`RSS grew ${mem.growthPer100kMiB.toFixed(2)} MiB per 100,000 reads`);

  log(
    'removal mid-run: a second scsi_debug host’s disk deleted through sysfs (then a rescan), then a host removed with add_host=-1 (then a new one)',
  );
  const rm = await phase('removal', async () => ({
    delete: await removal(timeoutMs, 'delete'),
    removeHost: await removal(timeoutMs, 'remove-host'),
  }));
  for (const r of rm === undefined ? [] : [rm.delete, rm.removeHost]) {
    if (r.unsettled > 0)
      failures.push(`${r.kind}: ${r.unsettled} command(s) did not settle within 2 × timeout after removal`);
    if (r.submittedAfterGone > 0)
      failures.push(`${r.kind}: ${r.submittedAfterGone} command(s) submitted after the device was gone`);
    if (r.reopened === '') failures.push(`${r.kind}: the re-added disk did not answer INQUIRY`);
  }

  log(
    `load: ${LOAD_THREADS} worker threads × 3 devices (queue depth ${LOAD_DEVICE_DEPTH}, ${LOAD_NDELAY_NS / 1e6} ms per command), 32 loops each, kernel-queued vs SDK-queued (${args['load-seconds']} s each)`,
  );
  const ld = await phase('load', () => load(disk.bsg, num(args['load-seconds'], 'load-seconds')));
  if (ld !== undefined) {
    if (ld.throughputRatio < 0.9)
      failures.push(
        `SDK-queued load at ${(ld.throughputRatio * 100).toFixed(0)} % of the kernel-queued load`,
      );
    if (ld.queued.maxInFlight > ld.queued.queueDepth)
      failures.push('in flight above the queue depth under load');
    if (ld.queued.errors + ld.direct.errors > 0) failures.push('errors under load');
    const hi = ld.queued.byPriority.high?.meanMs ?? 0;
    const lo = ld.queued.byPriority.low?.meanMs ?? 0;
    if (!(hi < lo)) failures.push(`high priority not ahead of low (${hi.toFixed(1)} vs ${lo.toFixed(1)} ms)`);
    // Starved: a loop that completed under 5 % of the mean loop's commands.
    for (const [p, f] of Object.entries(ld.queued.byPriority))
      if (f.minLoopCount < 0.05 * ld.meanPerLoop)
        failures.push(
          `a ${p}-priority loop starved (${f.minLoopCount} commands, mean ${ld.meanPerLoop.toFixed(0)})`,
        );
  }

  log('kill -9 of a process at QD 64');
  const k = await phase('kill', () => kill9(disk.bsg));
  if (k !== undefined && k.newProcessReadyMs > 1000) failures.push('the device took over 1 s after kill -9');

  log('rmmod scsi_debug under the profile’s own disk, then insmod with the same parameters');
  const rmm = await phase('rmmod', () => removal(timeoutMs, 'rmmod', disk.hctl));
  if (rmm !== undefined) {
    if (rmm.unsettled > 0)
      failures.push(`rmmod: ${rmm.unsettled} command(s) did not settle within 2 × timeout`);
    if (rmm.submittedAfterGone > 0)
      failures.push(`rmmod: ${rmm.submittedAfterGone} command(s) submitted after the device was gone`);
    if (rmm.reopened === '') failures.push('rmmod: the re-added disk did not answer INQUIRY');
  }

  await sleep(5000); // io-wq workers exit a few seconds after their last work
  const end = resources();
  const after = end.counts;
  const newFds = [...end.targets]
    .filter(([fd, target]) => start.targets.get(fd) !== target)
    .map(([fd, target]) => `${fd} -> ${target}`);
  report.leaks = {
    after,
    fdsLeaked: after.fds - baseline.fds,
    newFds,
    ringsLeft: after.rings,
    ioWorkersLeft: after.ioWorkers,
  };
  if (after.fds > baseline.fds || after.rings > 0 || after.ioWorkers > 0)
    failures.push('resources left after close');
  report.failures = failures;
  console.log(JSON.stringify(report, null, 2));
  console.log(failures.length === 0 ? 'soak: PASSED' : `soak: FAILED\n- ${failures.join('\n- ')}`);
  return failures.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(2);
  },
);
