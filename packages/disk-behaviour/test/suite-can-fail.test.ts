// The suite must be able to fail: run single cases against deliberately broken transports (wrapping
// the emulated disk) and against targets whose recorded deviations the emulator does not have.
import { EmulatedDisk } from '@scsikit/emulated-disk';
import type { ScsiCommand, ScsiResult, Transport } from '@scsikit/transport';
import { afterEach, describe, expect, it } from 'vitest';
import { type CaseId, type DeviationsTable, type DiskTarget, runCase } from '../src/index.js';

const disks: EmulatedDisk[] = [];
afterEach(async () => {
  for (const d of disks.splice(0)) await d.close();
});

function disk(): EmulatedDisk {
  const d = new EmulatedDisk({ capacity: { blocks: 65_536 }, thinProvisioning: true });
  disks.push(d);
  return d;
}

/** The emulated disk with every answer passed through `change` (a broken target). */
function broken(change: (cmd: ScsiCommand, r: ScsiResult) => ScsiResult): Transport {
  const d = disk();
  return {
    kind: d.kind,
    capabilities: d.capabilities,
    get closed() {
      return d.closed;
    },
    execute: async (cmd) => change(cmd, await d.execute(cmd)),
    close: () => d.close(),
  };
}

const emulated: DiskTarget = { kind: 'emulated', thin: true };
const run = (id: CaseId, t: Transport, target: DiskTarget = emulated, table?: DeviationsTable) =>
  runCase(id, t, target, { open: async () => t }, table);

describe('a sound target passes', () => {
  it('the emulated disk follows the standard', async () => {
    await expect(run('rw.10', disk())).resolves.toBe('standard');
    await expect(run('caw.miscompare', disk())).resolves.toBe('standard');
  });

  it('a recorded deviation is confirmed, not skipped', async () => {
    const table: DeviationsTable = {
      'opcode.unsupported': {
        lio: { answer: { status: 0 }, note: 'pretend LIO accepts opcode 0Eh', basis: 'predicted' },
      },
    };
    const accepting = broken((cmd, r) =>
      cmd.cdb[0] === 0x0e ? { ...r, status: 0, sense: new Uint8Array(0), driverStatus: 0 } : r,
    );
    await expect(run('opcode.unsupported', accepting, { kind: 'lio' }, table)).resolves.toBe('deviation');
  });
});

describe('a broken target fails', () => {
  it('sense without the field pointer fails the invalid-VPD case', async () => {
    const t = broken((_cmd, r) => {
      if (r.sense.length < 18) return r;
      const sense = r.sense.slice();
      sense.fill(0, 15, 18);
      return { ...r, sense };
    });
    await expect(run('inquiry.vpd.invalid-page', t)).rejects.toThrow(/unsupported VPD 9Ah/);
  });

  it('corrupted read data fails the round trip', async () => {
    const t = broken((cmd, r) => {
      if (cmd.cdb[0] === 0x28 && r.data.length > 0) r.data[0] = (r.data[0] ?? 0) ^ 1;
      return r;
    });
    await expect(run('rw.10', t)).rejects.toThrow(/equals data written/);
  });

  it('GOOD for an unknown opcode fails', async () => {
    const t = broken((cmd, r) =>
      cmd.cdb[0] === 0x0e ? { ...r, status: 0, sense: new Uint8Array(0), driverStatus: 0 } : r,
    );
    await expect(run('opcode.unsupported', t)).rejects.toThrow();
  });

  it('a MISCOMPARE without INFORMATION fails COMPARE AND WRITE', async () => {
    const t = broken((cmd, r) => {
      if (cmd.cdb[0] !== 0x89 || r.sense.length < 18) return r;
      const sense = r.sense.slice();
      sense[0] = (sense[0] ?? 0) & 0x7f;
      return { ...r, sense };
    });
    await expect(run('caw.miscompare', t)).rejects.toThrow(/one byte off/);
  });
});

describe('a deviation the target does not have fails', () => {
  it('LIO is recorded to skip the VERIFY compare; the emulator compares', async () => {
    await expect(run('verify.bytchk1-miscompare', disk(), { kind: 'lio' })).rejects.toThrow(
      /deviations table/,
    );
  });

  it('QEMU is recorded without REPORT SUPPORTED OPERATION CODES; the emulator has it', async () => {
    await expect(run('rsoc.all', disk(), { kind: 'qemu' })).rejects.toThrow(/deviations table/);
  });

  it('a recorded step the case never reaches fails', async () => {
    const table: DeviationsTable = {
      'test-unit-ready': {
        lio: { answer: { status: 0 }, note: 'a step that does not exist', basis: 'predicted', step: 'nope' },
      },
    };
    await expect(run('test-unit-ready', disk(), { kind: 'lio' }, table)).rejects.toThrow(/never reached/);
  });
});
