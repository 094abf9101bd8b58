import { accessSync, constants } from 'node:fs';
import { LabError } from './exec.js';

/** How QEMU runs the guest: TCG everywhere, KVM where the host has a usable one. */
export interface LabAccel {
  readonly name: 'tcg' | 'kvm';
  readonly args: readonly string[];
}

/**
 * SCSIKIT_LAB_ACCEL=tcg (default) or kvm; SCSIKIT_LAB_CPU overrides the CPU model. TCG is the
 * default because these machines' /dev/kvm is PVM, which cannot run a stock kernel (LAB.md); KVM
 * is for runners where it works, so that timing goals meant for hardware can be measured there.
 */
export function labAccel(env: NodeJS.ProcessEnv = process.env, kvmNode = '/dev/kvm'): LabAccel {
  const name = env.SCSIKIT_LAB_ACCEL ?? 'tcg';
  const cpu = env.SCSIKIT_LAB_CPU;
  if (cpu !== undefined && !/^[A-Za-z0-9][\w.,=+-]*$/u.test(cpu)) {
    throw new LabError(
      `SCSIKIT_LAB_CPU must be a QEMU CPU model such as max or host, not ${JSON.stringify(cpu)}`,
    );
  }
  if (name === 'tcg') return { name, args: ['-accel', 'tcg,thread=multi', '-cpu', cpu ?? 'max'] };
  if (name === 'kvm') {
    try {
      accessSync(kvmNode, constants.R_OK | constants.W_OK);
    } catch (e) {
      throw new LabError(
        `SCSIKIT_LAB_ACCEL=kvm needs read and write access to ${kvmNode}: ${(e as Error).message}`,
      );
    }
    return { name, args: ['-accel', 'kvm', '-cpu', cpu ?? 'host'] };
  }
  throw new LabError(`SCSIKIT_LAB_ACCEL must be tcg or kvm, not ${JSON.stringify(name)}`);
}
