import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labAccel } from '../src/accel.js';
import { LabError } from '../src/exec.js';

describe('the lab guest accelerator (SCSIKIT_LAB_ACCEL)', () => {
  it('defaults to multi-threaded TCG with the max CPU model', () => {
    expect(labAccel({})).toEqual({ name: 'tcg', args: ['-accel', 'tcg,thread=multi', '-cpu', 'max'] });
    expect(labAccel({ SCSIKIT_LAB_CPU: 'qemu64' }).args).toEqual([
      '-accel',
      'tcg,thread=multi',
      '-cpu',
      'qemu64',
    ]);
  });

  it('uses KVM with the host CPU model when asked and the node is usable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'accel-'));
    try {
      const node = join(dir, 'kvm');
      writeFileSync(node, '');
      expect(labAccel({ SCSIKIT_LAB_ACCEL: 'kvm' }, node)).toEqual({
        name: 'kvm',
        args: ['-accel', 'kvm', '-cpu', 'host'],
      });
      expect(() => labAccel({ SCSIKIT_LAB_ACCEL: 'kvm' }, join(dir, 'missing'))).toThrow(
        /SCSIKIT_LAB_ACCEL=kvm needs read and write access to .*missing/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an unknown accelerator or a CPU model that is not one word, with a LabError', () => {
    expect(() => labAccel({ SCSIKIT_LAB_ACCEL: 'hvf' })).toThrow(LabError);
    expect(() => labAccel({ SCSIKIT_LAB_ACCEL: 'hvf' })).toThrow(/must be tcg or kvm, not "hvf"/);
    for (const cpu of ['max -snapshot', '', '-cpu', 'host\nx']) {
      expect(() => labAccel({ SCSIKIT_LAB_CPU: cpu })).toThrow(LabError);
    }
  });
});
