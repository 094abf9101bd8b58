/**
 * The conformance suite, written once: the io_uring BSG transport, the SG_IO fallback and the
 * emulated disk all run it, on the host and in the QEMU lab. A test whose hook is missing is
 * registered as skipped with the reason in its title — a visible SKIP, never a silent pass.
 *
 * Each check is also exported on its own (`conformanceChecks`) so the suite itself can be tested:
 * run a check against a deliberately broken transport and it must fail.
 *
 * CDBs are built by hand: the transport layer knows nothing of command builders.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FixedBufferLease, ScsiCommand, ScsiResult, Transport, TransportKind } from './contract.js';
import {
  InvalidCommandError,
  TransportAbortedError,
  TransportClosedError,
  TransportTimeoutError,
} from './errors.js';

/**
 * Timeout for commands the device never completes, in checks that settle them by other means (abort,
 * close): long enough to outlast the check, short enough that the kernel's error handling (which
 * stalls every command on the SCSI host) is over before the next check needs the device.
 */
const STUCK_KERNEL_TIMEOUT_MS = 8_000;

export interface ConformanceSetup {
  /** Opens a fresh transport to a disk answering INQUIRY, TEST UNIT READY, READ CAPACITY(10) and READ(10). */
  open(): Promise<Transport>;
  /** When given, READ CAPACITY(10) must report exactly this logical block length. */
  readonly blockLength?: number;
  /** A command the device never completes (fault injection, e.g. a scsi_debug drop rule). */
  stuckCommand?(): ScsiCommand;
  /** A command the device completes with GOOD after about `ms` milliseconds. */
  slowCommand?(ms: number): ScsiCommand;
  /**
   * Multiplies every time tolerance (not the timeouts under test): the QEMU TCG lab runs JavaScript
   * 10–16× slower than the host.
   * @default 1
   */
  readonly timeScale?: number;
}

export interface ConformanceContext {
  readonly transport: Transport;
  readonly setup: ConformanceSetup;
  readonly timeScale: number;
}

// ---------------------------------------------------------------------------------------------
// Helpers (exported and tested: they are what makes a check fail instead of hang).

export type Settlement<T> =
  | { readonly status: 'fulfilled'; readonly value: T; readonly ms: number }
  | { readonly status: 'rejected'; readonly reason: unknown; readonly ms: number }
  | { readonly status: 'pending'; readonly ms: number };

/**
 * Waits at most `ms` for `promise` and reports how it settled, without throwing. A promise that never
 * settles becomes `pending` — an assertion failure — instead of a hung test that only the runner's
 * timeout would end, with no word about which command hung.
 */
export async function settlesWithin<T>(promise: Promise<T>, ms: number): Promise<Settlement<T>> {
  const start = performance.now();
  const elapsed = () => performance.now() - start;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<Settlement<T>>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'pending', ms: elapsed() }), ms);
  });
  const outcome = promise.then(
    (value): Settlement<T> => ({ status: 'fulfilled', value, ms: elapsed() }),
    (reason: unknown): Settlement<T> => ({ status: 'rejected', reason, ms: elapsed() }),
  );
  try {
    return await Promise.race([outcome, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function fail(message: string): never {
  throw new Error(message);
}

/**
 * The shape every `ScsiResult` must have for the command that produced it, whatever the device
 * answered. Throws an Error saying which promise of the contract is broken.
 */
export function assertResultInvariants(cmd: ScsiCommand, result: ScsiResult): void {
  for (const key of ['status', 'hostStatus', 'driverStatus'] as const) {
    const v = result[key];
    if (!Number.isInteger(v) || v < 0 || v > 0xff) fail(`${key} must be a byte, got ${v}`);
  }
  if (!(result.sense instanceof Uint8Array)) fail('sense must be a Uint8Array');
  const senseBytes = cmd.senseBytes ?? 96;
  if (result.sense.length > senseBytes) {
    fail(`sense holds ${result.sense.length} bytes, more than the ${senseBytes} requested`);
  }
  if (!(result.data instanceof Uint8Array)) fail('data must be a Uint8Array');
  if (!Number.isFinite(result.latencyNs) || result.latencyNs < 0) fail(`latencyNs is ${result.latencyNs}`);
  const buffer = cmd.data ?? cmd.fixedBuffer?.buffer;
  const transfer = cmd.direction === 'none' ? 0 : (cmd.transferLength ?? buffer?.length ?? 0);
  if (!Number.isInteger(result.residual) || result.residual < 0 || result.residual > transfer) {
    fail(`residual ${result.residual} is outside [0, ${transfer}] (the transfer length)`);
  }
  if (cmd.direction !== 'in') {
    if (result.data.length !== 0) fail(`data must be empty for direction '${cmd.direction}'`);
    return;
  }
  if (result.data.length !== transfer - result.residual) {
    fail(
      `data holds ${result.data.length} bytes; transfer ${transfer} − residual ${result.residual} ` +
        `= ${transfer - result.residual} were received`,
    );
  }
  // Written in place: a view of the caller's (or the lease's) memory, not a copy.
  if (
    buffer !== undefined &&
    (result.data.buffer !== buffer.buffer || result.data.byteOffset !== buffer.byteOffset)
  ) {
    fail('data must be a view of the buffer the caller passed (received in place), not a copy');
  }
}

// ---------------------------------------------------------------------------------------------
// Hand-built CDBs. Only commands every SBC disk implements.

const cdb = {
  /** INQUIRY(6): EVPD 0, page 0, allocation length in bytes 3–4 (16 bits since SPC-3). */
  inquiry: (allocation: number) => new Uint8Array([0x12, 0, 0, allocation >> 8, allocation & 0xff, 0]),
  /** TEST UNIT READY: six zero bytes. */
  testUnitReady: () => new Uint8Array(6),
  /** READ CAPACITY(10): 10 bytes, LBA and PMI zero → returns last LBA and block length (8 bytes). */
  readCapacity10: () => new Uint8Array([0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
  /** READ(10): LBA in bytes 2–5, transfer length in blocks in bytes 7–8, both big-endian. */
  read10(lba: number, blocks: number): Uint8Array {
    const b = new Uint8Array(10);
    b[0] = 0x28;
    new DataView(b.buffer).setUint32(2, lba);
    new DataView(b.buffer).setUint16(7, blocks);
    return b;
  },
  /** READ(16): LBA in bytes 2–9, transfer length in blocks in bytes 10–13. */
  read16(lba: bigint, blocks: number): Uint8Array {
    const b = new Uint8Array(16);
    b[0] = 0x88;
    new DataView(b.buffer).setBigUint64(2, lba);
    new DataView(b.buffer).setUint32(10, blocks);
    return b;
  },
};

const KINDS: readonly TransportKind[] = ['uring', 'sgio', 'emulated'];
const GOOD = 0x00;
const CHECK_CONDITION = 0x02;
const UNIT_ATTENTION = 0x6;
const ILLEGAL_REQUEST = 0x5;
/** LOGICAL BLOCK ADDRESS OUT OF RANGE. */
const ASC_LBA_OUT_OF_RANGE = 0x21;

/** Sense key and ASC from fixed (0x70/0x71) or descriptor (0x72/0x73) sense. */
function decodeSense(sense: Uint8Array): { responseCode: number; key: number; asc: number } {
  const responseCode = (sense[0] ?? 0) & 0x7f;
  const descriptor = responseCode === 0x72 || responseCode === 0x73;
  return {
    responseCode,
    key: (descriptor ? (sense[1] ?? 0) : (sense[2] ?? 0)) & 0x0f,
    asc: (descriptor ? sense[2] : sense[12]) ?? -1,
  };
}

/**
 * Executes a command that must succeed. A device reports UNIT ATTENTION once after power-on or reset
 * (a fresh scsi_debug or LIO LUN does), so that one answer is retried, never anything else.
 */
async function good(t: Transport, cmd: ScsiCommand): Promise<ScsiResult> {
  for (let attempt = 0; ; attempt++) {
    const r = await t.execute(cmd);
    if (r.status === CHECK_CONDITION && decodeSense(r.sense).key === UNIT_ATTENTION && attempt < 3) continue;
    assertResultInvariants(cmd, r);
    expect(r.status, `status of opcode 0x${cmd.cdb[0]?.toString(16)}`).toBe(GOOD);
    expect(r.hostStatus, 'hostStatus').toBe(0);
    return r;
  }
}

async function readCapacity(ctx: ConformanceContext): Promise<{ lastLba: number; blockLength: number }> {
  const r = await good(ctx.transport, { cdb: cdb.readCapacity10(), direction: 'in', transferLength: 8 });
  expect(r.data.length).toBe(8);
  const v = new DataView(r.data.buffer, r.data.byteOffset, 8);
  const capacity = { lastLba: v.getUint32(0), blockLength: v.getUint32(4) };
  if (ctx.setup.blockLength !== undefined) expect(capacity.blockLength).toBe(ctx.setup.blockLength);
  expect(capacity.blockLength).toBeGreaterThanOrEqual(512);
  return capacity;
}

/** Calls `execute` and fails if it throws synchronously: the contract says rejections only. */
function executeNoThrow(t: Transport, cmd: ScsiCommand): Promise<ScsiResult> {
  try {
    return t.execute(cmd);
  } catch (e) {
    return fail(`execute() threw synchronously (${String(e)}); it must return a rejected promise`);
  }
}

const submitted = (t: Transport) => t.stats?.().submitted;

/** A lease object for validation tests; never handed to the kernel (validation must stop it). */
const fakeLease = (bytes: number): FixedBufferLease => ({
  buffer: new Uint8Array(bytes),
  index: 0,
  release() {},
});

// ---------------------------------------------------------------------------------------------
// The checks. Each asserts real behaviour and throws on the first broken promise.

export const conformanceChecks = {
  async capabilities({ transport: t }: ConformanceContext): Promise<void> {
    const c = t.capabilities;
    expect(KINDS).toContain(c.kind);
    expect(t.kind).toBe(c.kind);
    expect(Number.isInteger(c.queueDepth) && c.queueDepth >= 1, `queueDepth ${c.queueDepth}`).toBe(true);
    expect(Number.isInteger(c.maxTransferBytes) && c.maxTransferBytes >= 4096).toBe(true);
    expect(typeof c.fixedBuffers).toBe('boolean');
    expect(t.pool !== undefined, 'pool is present exactly when capabilities.fixedBuffers').toBe(
      c.fixedBuffers,
    );
    expect(t.closed).toBe(false);
    const s = t.stats?.();
    if (s !== undefined) {
      for (const n of [s.submitted, s.completed, s.failed, s.inFlight, s.queued]) {
        expect(Number.isInteger(n) && n >= 0).toBe(true);
      }
    }
  },

  async inquiry({ transport: t }: ConformanceContext): Promise<void> {
    // 255 is more than most disks return, so the residual path is exercised, not just a full transfer.
    const owned = new Uint8Array(255);
    const inPlace = await good(t, { cdb: cdb.inquiry(255), direction: 'in', data: owned });
    const allocated = await good(t, { cdb: cdb.inquiry(255), direction: 'in', transferLength: 255 });
    for (const r of [inPlace, allocated]) {
      expect(r.data.length).toBeGreaterThanOrEqual(36);
      expect(r.data.length + r.residual).toBe(255);
      expect(r.sense.length, 'no sense on GOOD').toBe(0);
      // Peripheral device type: a disk (0x00) or a host-managed zoned disk (0x14).
      expect([0x00, 0x14]).toContain((r.data[0] ?? 0xff) & 0x1f);
      expect((r.data[3] ?? 0) & 0x0f, 'response data format').toBe(2);
    }
    expect(inPlace.data.buffer).toBe(owned.buffer);
    expect([...allocated.data]).toEqual([...inPlace.data]);
  },

  async testUnitReady({ transport: t }: ConformanceContext): Promise<void> {
    const r = await good(t, { cdb: cdb.testUnitReady(), direction: 'none' });
    expect(r.data.length).toBe(0);
    expect(r.residual).toBe(0);
  },

  async checkCondition(ctx: ConformanceContext): Promise<void> {
    const { blockLength } = await readCapacity(ctx);
    // LBA 2^63 is past the end of every disk (2^64−1 is not safe: scsi_debug wraps it to GOOD).
    const cmd: ScsiCommand = { cdb: cdb.read16(1n << 63n, 1), direction: 'in', transferLength: blockLength };
    const s = await settlesWithin(executeNoThrow(ctx.transport, cmd), 30_000 * ctx.timeScale);
    if (s.status !== 'fulfilled') {
      fail(
        `a CHECK CONDITION must resolve as a result, but the promise was ${s.status}: ${String('reason' in s ? s.reason : '')}`,
      );
    }
    const r = s.value;
    assertResultInvariants(cmd, r);
    expect(r.status).toBe(CHECK_CONDITION);
    expect(r.sense.length).toBeGreaterThanOrEqual(8);
    const sense = decodeSense(r.sense);
    expect(sense.responseCode).toBeGreaterThanOrEqual(0x70);
    expect(sense.responseCode).toBeLessThanOrEqual(0x73);
    expect(sense.key, 'sense key ILLEGAL REQUEST').toBe(ILLEGAL_REQUEST);
    expect(sense.asc, 'ASC LOGICAL BLOCK ADDRESS OUT OF RANGE').toBe(ASC_LBA_OUT_OF_RANGE);
  },

  async concurrent(ctx: ConformanceContext): Promise<void> {
    const t = ctx.transport;
    const { blockLength } = await readCapacity(ctx);
    // Baselines, one at a time; then the same answers must come back under concurrency, whatever the order.
    const inquiry = [...(await good(t, { cdb: cdb.inquiry(96), direction: 'in', transferLength: 96 })).data];
    const capacity = [
      ...(await good(t, { cdb: cdb.readCapacity10(), direction: 'in', transferLength: 8 })).data,
    ];
    const block0 = [
      ...(await good(t, { cdb: cdb.read10(0, 1), direction: 'in', transferLength: blockLength })).data,
    ];
    const cmds: Array<{ cmd: ScsiCommand; expected: number[] }> = [];
    for (let i = 0; i < 64; i++) {
      // Half caller-owned buffers, half transport-allocated: both paths must keep answers apart.
      const own = i % 8 < 4;
      const pick = (n: number) => (own ? { data: new Uint8Array(n) } : { transferLength: n });
      switch (i % 4) {
        case 0:
          cmds.push({ cmd: { cdb: cdb.inquiry(96), direction: 'in', ...pick(96) }, expected: inquiry });
          break;
        case 1:
          cmds.push({ cmd: { cdb: cdb.readCapacity10(), direction: 'in', ...pick(8) }, expected: capacity });
          break;
        case 2:
          cmds.push({
            cmd: { cdb: cdb.read10(0, 1), direction: 'in', ...pick(blockLength) },
            expected: block0,
          });
          break;
        default:
          cmds.push({ cmd: { cdb: cdb.testUnitReady(), direction: 'none' }, expected: [] });
      }
    }
    const all = Promise.allSettled(cmds.map(({ cmd }) => executeNoThrow(t, cmd)));
    const s = await settlesWithin(all, 30_000 * ctx.timeScale);
    if (s.status !== 'fulfilled') fail('64 concurrent commands did not all settle within 30 s');
    s.value.forEach((outcome, i) => {
      const { cmd, expected } = cmds[i]!;
      if (outcome.status === 'rejected') fail(`command ${i} rejected: ${String(outcome.reason)}`);
      const r = outcome.value;
      assertResultInvariants(cmd, r);
      expect(r.status, `command ${i} status`).toBe(GOOD);
      expect([...r.data], `command ${i} (opcode 0x${cmd.cdb[0]?.toString(16)}) data`).toEqual(expected);
    });
  },

  async preAborted({ transport: t }: ConformanceContext): Promise<void> {
    const reason = new Error('caller gave up');
    const before = submitted(t);
    const cmd: ScsiCommand = {
      cdb: cdb.testUnitReady(),
      direction: 'none',
      signal: AbortSignal.abort(reason),
    };
    const err = await executeNoThrow(t, cmd).then(
      () => fail('an already-aborted command must reject'),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TransportAbortedError);
    expect((err as Error).cause).toBe(reason);
    expect(submitted(t), 'an already-aborted command must not be sent').toBe(before);
  },

  async abortInFlight(ctx: ConformanceContext): Promise<void> {
    const { transport: t, setup, timeScale } = ctx;
    const base =
      setup.slowCommand?.(5_000) ?? setup.stuckCommand?.() ?? fail('needs a slow or stuck command');
    const controller = new AbortController();
    const reason = new Error('user pressed ^C');
    // The kernel cannot cancel it: a dropped command holds the device until its own timeout, then the
    // SCSI error handler stalls the whole host. 8 s outlasts this check and keeps later ones unharmed.
    const pending = executeNoThrow(t, {
      ...base,
      timeoutMs: STUCK_KERNEL_TIMEOUT_MS,
      signal: controller.signal,
    });
    await new Promise((r) => setTimeout(r, 50));
    controller.abort(reason);
    const s = await settlesWithin(pending, 500 * timeScale);
    if (s.status !== 'rejected')
      fail(`abort in flight: expected a prompt rejection, the promise is ${s.status}`);
    expect(s.reason).toBeInstanceOf(TransportAbortedError);
    expect((s.reason as Error).cause).toBe(reason);
    await good(t, { cdb: cdb.testUnitReady(), direction: 'none' });
  },

  async timeout(ctx: ConformanceContext): Promise<void> {
    const { transport: t, setup, timeScale } = ctx;
    const stuck = setup.stuckCommand?.() ?? fail('needs a stuck command');
    const timeoutMs = 300;
    // Timed from before execute(): the watchdog starts inside it, before settlesWithin's own clock.
    const start = performance.now();
    const s = await settlesWithin(executeNoThrow(t, { ...stuck, timeoutMs }), timeoutMs + 1_000 * timeScale);
    const elapsed = performance.now() - start;
    if (s.status !== 'rejected')
      fail(`a stuck command must reject at its timeoutMs; the promise is ${s.status}`);
    expect(s.reason).toBeInstanceOf(TransportTimeoutError);
    expect((s.reason as TransportTimeoutError).timeoutMs).toBe(timeoutMs);
    // Timers never fire early by more than the clock's rounding.
    expect(elapsed).toBeGreaterThanOrEqual(timeoutMs - 2);
    // Still usable: the kernel's own error handling may delay this answer, so the default timeout applies.
    await good(t, { cdb: cdb.inquiry(36), direction: 'in', transferLength: 36 });
  },

  async closeInFlight(ctx: ConformanceContext): Promise<void> {
    const { transport: t, setup, timeScale } = ctx;
    const { blockLength } = await readCapacity(ctx);
    const cmds: ScsiCommand[] = [];
    for (let i = 0; i < 16; i++) {
      cmds.push({ cdb: cdb.inquiry(96), direction: 'in', transferLength: 96 });
      cmds.push({ cdb: cdb.read10(0, 1), direction: 'in', data: new Uint8Array(blockLength) });
    }
    for (let i = 0; i < 4 && setup.slowCommand; i++) cmds.push(setup.slowCommand(2_000));
    const promises = cmds.map((c) => executeNoThrow(t, c));
    const closing = t.close();
    expect(t.closed, 'closed must be true as soon as close() is called').toBe(true);
    const outcomes = await Promise.all(promises.map((p) => settlesWithin(p, 5_000 * timeScale)));
    const stillPending = outcomes.filter((o) => o.status === 'pending').length;
    if (stillPending > 0) fail(`${stillPending} of ${cmds.length} commands still pending 5 s after close()`);
    outcomes.forEach((o, i) => {
      if (o.status === 'fulfilled') assertResultInvariants(cmds[i]!, o.value);
      else if (o.status === 'rejected') expect(o.reason, `command ${i}`).toBeInstanceOf(TransportClosedError);
    });
    const closed = await settlesWithin(closing, 10_000 * timeScale);
    expect(closed.status, 'close() must resolve within a bounded time').toBe('fulfilled');
    const after = await settlesWithin(
      executeNoThrow(t, { cdb: cdb.testUnitReady(), direction: 'none' }),
      1_000,
    );
    expect(after.status).toBe('rejected');
    if (after.status === 'rejected') expect(after.reason).toBeInstanceOf(TransportClosedError);
    expect((await settlesWithin(t.close(), 1_000)).status, 'a second close() resolves').toBe('fulfilled');
    expect(t.stats?.().queued ?? 0).toBe(0);
  },

  async closeStuck(ctx: ConformanceContext): Promise<void> {
    const { transport: t, setup, timeScale } = ctx;
    const stuck = setup.stuckCommand?.() ?? fail('needs a stuck command');
    const pending = executeNoThrow(t, { ...stuck, timeoutMs: STUCK_KERNEL_TIMEOUT_MS });
    await new Promise((r) => setTimeout(r, 20));
    const closing = t.close();
    const s = await settlesWithin(pending, 1_000 * timeScale);
    if (s.status !== 'rejected')
      fail(`close() must reject a command the device never completes; it is ${s.status}`);
    expect(s.reason).toBeInstanceOf(TransportClosedError);
    // Bounded even though the kernel never completes: close gives up waiting, it does not hang.
    expect((await settlesWithin(closing, 10_000 * timeScale)).status).toBe('fulfilled');
  },

  async invalidCommands({ transport: t }: ConformanceContext): Promise<void> {
    const max = t.capabilities.maxTransferBytes;
    // Harmless CDBs only (TUR, INQUIRY): if validation is broken and one reaches a disk, nothing is written.
    const cases: Array<{ what: string; cmd: ScsiCommand; field: string; limit?: string }> = [
      { what: '5-byte CDB', cmd: { cdb: new Uint8Array(5), direction: 'none' }, field: 'cdb', limit: '32' },
      { what: '33-byte CDB', cmd: { cdb: new Uint8Array(33), direction: 'none' }, field: 'cdb', limit: '32' },
      {
        what: "direction 'none' with data",
        cmd: { cdb: cdb.testUnitReady(), direction: 'none', data: new Uint8Array(8) },
        field: 'data',
      },
      {
        what: "direction 'out' without data",
        cmd: { cdb: cdb.testUnitReady(), direction: 'out' },
        field: 'data',
      },
      {
        what: 'data and fixedBuffer together',
        cmd: { cdb: cdb.inquiry(36), direction: 'in', data: new Uint8Array(36), fixedBuffer: fakeLease(36) },
        field: 'fixedBuffer',
      },
      {
        what: 'transfer over maxTransferBytes',
        cmd: { cdb: cdb.inquiry(36), direction: 'in', transferLength: max + 1 },
        field: 'transferLength',
        limit: String(max),
      },
      {
        what: 'senseBytes 0',
        cmd: { cdb: cdb.testUnitReady(), direction: 'none', senseBytes: 0 },
        field: 'senseBytes',
        limit: '252',
      },
      {
        what: 'senseBytes 253',
        cmd: { cdb: cdb.testUnitReady(), direction: 'none', senseBytes: 253 },
        field: 'senseBytes',
        limit: '252',
      },
    ];
    const before = submitted(t);
    for (const { what, cmd, field, limit } of cases) {
      const s = await settlesWithin(executeNoThrow(t, cmd), 1_000);
      if (s.status !== 'rejected') fail(`${what}: expected a rejection, the promise is ${s.status}`);
      expect(s.reason, what).toBeInstanceOf(InvalidCommandError);
      expect((s.reason as InvalidCommandError).field, what).toBe(field);
      expect((s.reason as Error).message, `${what}: the message names the field`).toContain(field);
      if (limit !== undefined)
        expect((s.reason as Error).message, `${what}: the message names the limit`).toContain(limit);
    }
    expect(submitted(t), 'invalid commands must not be sent').toBe(before);
  },

  async fixedBuffers(ctx: ConformanceContext): Promise<void> {
    const t = ctx.transport;
    const pool = t.pool ?? fail('capabilities.fixedBuffers is true but there is no pool');
    const { blockLength } = await readCapacity(ctx);
    const block0 = [
      ...(await good(t, { cdb: cdb.read10(0, 1), direction: 'in', transferLength: blockLength })).data,
    ];
    const free = pool.available;
    expect(pool.size).toBeGreaterThanOrEqual(1);
    expect(pool.bufferBytes).toBeGreaterThanOrEqual(blockLength);
    const lease = await pool.acquire(blockLength);
    expect(lease.buffer.length).toBe(blockLength);
    expect(pool.available).toBe(free - 1);
    lease.buffer.fill(0xee);
    const cmd: ScsiCommand = { cdb: cdb.read10(0, 1), direction: 'in', fixedBuffer: lease };
    const r = await good(t, cmd);
    expect([...r.data]).toEqual(block0);
    expect([...lease.buffer.subarray(0, r.data.length)], "the lease's buffer holds the data").toEqual(block0);
    lease.release();
    expect(pool.available).toBe(free);
    expect(() => lease.release(), 'a double release must throw').toThrow();
    expect(pool.available, 'a double release must not free a buffer twice').toBe(free);
    await expect(pool.acquire(pool.bufferBytes + 1)).rejects.toBeInstanceOf(InvalidCommandError);
    await t.close();
    await expect(pool.acquire(blockLength)).rejects.toBeInstanceOf(TransportClosedError);
  },
} satisfies Record<string, (ctx: ConformanceContext) => Promise<void>>;

/**
 * Registers the suite: one `describe` with a fresh transport per test, closed afterwards.
 * @example
 * describeTransportConformance('io_uring on scsi_debug', {
 *   open: () => UringTransport.open('/dev/bsg/0:0:0:0'),
 *   stuckCommand: () => ({ cdb: vendorDropped, direction: 'none' }),
 *   timeScale: 10,
 * });
 */
export function describeTransportConformance(name: string, setup: ConformanceSetup): void {
  const timeScale = setup.timeScale ?? 1;
  const budget = (ms: number) => ms * timeScale;
  const needs = (hook: boolean, why: string) => (hook ? '' : ` (${why})`);
  const stuck = setup.stuckCommand !== undefined;
  const abortable = stuck || setup.slowCommand !== undefined;

  describe(`transport conformance: ${name}`, () => {
    let transport: Transport | undefined;
    const ctx = (): ConformanceContext => ({
      transport: transport ?? fail('open() failed'),
      setup,
      timeScale,
    });
    beforeEach(async () => {
      transport = await setup.open();
    });
    afterEach(async () => {
      if (transport !== undefined && !transport.closed) await transport.close();
      transport = undefined;
    });

    it('reports sane capabilities', () => conformanceChecks.capabilities(ctx()), budget(10_000));
    it(
      'INQUIRY: ≥ 36 bytes, status GOOD, data the received view',
      () => conformanceChecks.inquiry(ctx()),
      budget(30_000),
    );
    it(
      "TEST UNIT READY: direction 'none', empty data",
      () => conformanceChecks.testUnitReady(ctx()),
      budget(30_000),
    );
    it(
      'a CHECK CONDITION resolves as a result with sense (READ(16) at LBA 2^63)',
      () => conformanceChecks.checkCondition(ctx()),
      budget(60_000),
    );
    it(
      '64 concurrent mixed commands each settle with their own data',
      () => conformanceChecks.concurrent(ctx()),
      budget(60_000),
    );
    it(
      'an already-aborted signal rejects without sending',
      () => conformanceChecks.preAborted(ctx()),
      budget(10_000),
    );
    it.skipIf(!abortable)(
      `abort while in flight rejects promptly${needs(abortable, 'needs a slow- or stuck-command hook')}`,
      () => conformanceChecks.abortInFlight(ctx()),
      budget(60_000),
    );
    it.skipIf(!stuck)(
      `a stuck command rejects at its timeoutMs, and the transport still works${needs(stuck, 'needs a stuck-command hook')}`,
      () => conformanceChecks.timeout(ctx()),
      budget(90_000),
    );
    it(
      'close() settles every in-flight promise, then rejects execute and is idempotent',
      () => conformanceChecks.closeInFlight(ctx()),
      budget(60_000),
    );
    it.skipIf(!stuck)(
      `close() rejects a command the device never completes, and resolves${needs(stuck, 'needs a stuck-command hook')}`,
      () => conformanceChecks.closeStuck(ctx()),
      budget(60_000),
    );
    it(
      'invalid commands reject with InvalidCommandError naming the field',
      () => conformanceChecks.invalidCommands(ctx()),
      budget(10_000),
    );
    it(
      'fixed buffers: acquire, READ into the lease, release once (skipped unless capabilities.fixedBuffers)',
      async ({ skip }) => {
        const c = ctx();
        if (!c.transport.capabilities.fixedBuffers) skip('capabilities.fixedBuffers is false');
        await conformanceChecks.fixedBuffers(c);
      },
      budget(30_000),
    );
  });
}
