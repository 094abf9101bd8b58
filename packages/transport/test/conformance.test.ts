import { describe, expect, it } from 'vitest';
import {
  assertResultInvariants,
  type ConformanceContext,
  conformanceChecks,
  describeTransportConformance,
  settlesWithin,
} from '../src/conformance.js';
import type { ScsiCommand, ScsiResult, Transport } from '../src/index.js';
import { type FakeDiskFaults, FakeDiskTransport, slowCommand, stuckCommand } from './fake-disk-transport.js';

describeTransportConformance('fake disk', {
  open: async () => new FakeDiskTransport(),
  blockLength: 512,
  stuckCommand,
  slowCommand,
});

// Without hooks and fixed buffers, the dependent tests must show up as skipped, not pass.
describeTransportConformance('fake disk, no hooks, no fixed buffers', {
  open: async () => new FakeDiskTransport({ fixedBuffers: false }),
});

describe('the suite catches a broken transport', () => {
  const setup = { open: async () => new FakeDiskTransport(), stuckCommand, slowCommand };
  async function runAgainst(faults: FakeDiskFaults, check: (ctx: ConformanceContext) => Promise<void>) {
    const transport = new FakeDiskTransport({ faults });
    try {
      // Shrunk tolerances: a broken transport is meant to hit them, and the fake is fast.
      await check({ transport, setup, timeScale: 0.2 });
    } finally {
      // A transport broken on close would hang here: don't wait for it.
      void transport.close();
    }
  }

  it.each<[string, FakeDiskFaults, keyof typeof conformanceChecks, RegExp]>([
    ['close() that leaves promises pending', { closeLeavesPending: true }, 'closeInFlight', /still pending/],
    ['data that ignores the residual', { dataIgnoresResidual: true }, 'inquiry', /data holds 255 bytes/],
    ['no watchdog', { noWatchdog: true }, 'timeout', /must reject at its timeoutMs; the promise is pending/],
    ['an ignored abort', { ignoresAbort: true }, 'abortInFlight', /expected a prompt rejection/],
    [
      'a CHECK CONDITION that rejects',
      { checkConditionRejects: true },
      'checkCondition',
      /must resolve as a result/,
    ],
    ['no validation', { skipsValidation: true }, 'invalidCommands', /5-byte CDB: expected a rejection/],
    ['answers that overwrite each other', { sharedScratch: true }, 'concurrent', /opcode 0x\w+\) data/],
  ])('%s', async (_what, faults, check, message) => {
    await expect(runAgainst(faults, conformanceChecks[check])).rejects.toThrow(message);
  });

  it('and the same checks pass on the healthy fake', async () => {
    for (const check of ['closeInFlight', 'inquiry', 'checkCondition', 'concurrent'] as const) {
      await runAgainst({}, conformanceChecks[check]);
    }
  });

  it('a transport whose execute() throws synchronously fails the invalid-command check', async () => {
    const healthy = new FakeDiskTransport();
    const throwing: Transport = {
      kind: 'emulated',
      capabilities: healthy.capabilities,
      closed: false,
      execute: () => {
        throw new Error('boom');
      },
      close: () => healthy.close(),
    };
    await expect(
      conformanceChecks.invalidCommands({ transport: throwing, setup, timeScale: 1 }),
    ).rejects.toThrow(/threw synchronously/);
  });
});

describe('settlesWithin', () => {
  it('reports a value, a reason, or pending after the deadline', async () => {
    expect(await settlesWithin(Promise.resolve(7), 50)).toMatchObject({ status: 'fulfilled', value: 7 });
    const reason = new Error('no');
    expect(await settlesWithin(Promise.reject(reason), 50)).toMatchObject({ status: 'rejected', reason });
    const never = await settlesWithin(new Promise(() => {}), 30);
    expect(never.status).toBe('pending');
    expect(never.ms).toBeGreaterThanOrEqual(28);
  });

  it('measures how long settling took', async () => {
    const s = await settlesWithin(new Promise((r) => setTimeout(r, 40)), 1_000);
    expect(s.status).toBe('fulfilled');
    expect(s.ms).toBeGreaterThanOrEqual(38);
    expect(s.ms).toBeLessThan(500);
  });
});

describe('assertResultInvariants', () => {
  const owned = new Uint8Array(96);
  const cmd: ScsiCommand = { cdb: new Uint8Array([0x12, 0, 0, 0, 96, 0]), direction: 'in', data: owned };
  const ok: ScsiResult = {
    status: 0,
    hostStatus: 0,
    driverStatus: 0,
    sense: new Uint8Array(0),
    residual: 60,
    data: owned.subarray(0, 36),
    latencyNs: 1000,
  };

  it('accepts a consistent result', () => {
    expect(() => assertResultInvariants(cmd, ok)).not.toThrow();
  });

  it.each<[string, Partial<ScsiResult>, RegExp]>([
    ['a copy instead of a view', { data: new Uint8Array(36) }, /view of the buffer/],
    ['data inconsistent with the residual', { data: owned.subarray(0, 40) }, /data holds 40 bytes/],
    ['a residual beyond the transfer', { residual: 97 }, /outside \[0, 96\]/],
    ['more sense than requested', { sense: new Uint8Array(97) }, /more than the 96 requested/],
    ['a status that is not a byte', { status: 256 }, /status must be a byte/],
    ['a negative latency', { latencyNs: -1 }, /latencyNs/],
  ])('rejects %s', (_what, patch, message) => {
    expect(() => assertResultInvariants(cmd, { ...ok, ...patch })).toThrow(message);
  });

  it("rejects data on direction 'none'", () => {
    const tur: ScsiCommand = { cdb: new Uint8Array(6), direction: 'none' };
    expect(() => assertResultInvariants(tur, { ...ok, residual: 0, data: new Uint8Array(1) })).toThrow(
      /empty/,
    );
  });
});
