/**
 * scsi_debug's per-device error injection (LAB.md "scsi_debug fault injection"): one debugfs rule
 * at a time, each firing once (count -1), and a count of which ones fired. Each class has its own
 * (type, opcode) pair, so a new rule replaces only an unfired rule of the same class.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export type FaultClass =
  | 'medium-error'
  | 'unit-attention'
  | 'host-error'
  | 'task-set-full'
  | 'host-busy'
  | 'timeout';

interface Fault {
  readonly cls: FaultClass;
  readonly type: number;
  readonly opcode: number;
  readonly rule: string;
  /** Seen by the caller as an error (else the kernel or the SDK absorbs it). */
  readonly surfaces: boolean;
  readonly weight: number;
}

// READ(10) 0x28, WRITE(10) 0x2a, VERIFY(10) 0x2f, INQUIRY 0x12, TEST UNIT READY 0x00.
export const FAULTS: readonly Fault[] = [
  {
    cls: 'medium-error',
    type: 2,
    opcode: 0x28,
    rule: '2 -1 0x28 0x00 0x00 0x02 0x3 0x11 0x00',
    surfaces: true,
    weight: 30,
  },
  // A unit attention on a read: the SDK retries an idempotent command and drops its caches.
  {
    cls: 'unit-attention',
    type: 2,
    opcode: 0x12,
    rule: '2 -1 0x12 0x00 0x00 0x02 0x6 0x29 0x00',
    surfaces: false,
    weight: 20,
  },
  {
    cls: 'host-error',
    type: 2,
    opcode: 0x2a,
    rule: '2 -1 0x2a 0x07 0x00 0x00 0x0 0x00 0x00',
    surfaces: true,
    weight: 20,
  },
  {
    cls: 'task-set-full',
    type: 2,
    opcode: 0x2f,
    rule: '2 -1 0x2f 0x00 0x00 0x28 0x0 0x00 0x00',
    surfaces: false,
    weight: 15,
  },
  { cls: 'host-busy', type: 1, opcode: 0x28, rule: '1 -1 0x28 0x1055', surfaces: false, weight: 13 },
  // Dropped: the kernel times it out and aborts it (error handling, then DID_TIME_OUT). On INQUIRY,
  // never on TEST UNIT READY: error handling sends TURs itself, and a dropped one takes the device
  // offline.
  { cls: 'timeout', type: 0, opcode: 0x12, rule: '0 -1 0x12', surfaces: true, weight: 2 },
];

export class FaultInjector {
  readonly #file: string;
  readonly #written = new Map<FaultClass, number>();
  readonly #replaced = new Map<FaultClass, number>();
  readonly #total = FAULTS.reduce((s, f) => s + f.weight, 0);

  constructor(hctl: string) {
    this.#file = `/sys/kernel/debug/scsi_debug/${hctl}/error`;
  }

  /** Writes one random rule; a still-unfired rule of the same class is counted as not fired. */
  inject(): FaultClass {
    let r = Math.random() * this.#total;
    let fault = FAULTS[0] as Fault;
    for (const f of FAULTS) {
      r -= f.weight;
      if (r < 0) {
        fault = f;
        break;
      }
    }
    if (this.#pending().has(`${fault.type}:${fault.opcode}`)) {
      this.#replaced.set(fault.cls, (this.#replaced.get(fault.cls) ?? 0) + 1);
    }
    writeFileSync(this.#file, `${fault.rule}\n`);
    this.#written.set(fault.cls, (this.#written.get(fault.cls) ?? 0) + 1);
    return fault.cls;
  }

  /** Rules still armed (count < 0), as "type:opcode". */
  #pending(): Set<string> {
    const out = new Set<string>();
    for (const line of readFileSync(this.#file, 'utf8').split('\n')) {
      const t = line.trim().split(/\s+/u);
      if (t.length < 3 || !/^\d+$/u.test(t[0] ?? '')) continue;
      if (Number(t[1]) < 0) out.add(`${Number(t[0])}:${Number(t[2])}`);
    }
    return out;
  }

  /** Fired per class: written, minus replaced before firing, minus still armed now. */
  fired(): Record<string, number> {
    const armed = this.#pending();
    const out: Record<string, number> = {};
    for (const f of FAULTS) {
      const n =
        (this.#written.get(f.cls) ?? 0) -
        (this.#replaced.get(f.cls) ?? 0) -
        (armed.has(`${f.type}:${f.opcode}`) ? 1 : 0);
      out[f.cls] = n;
    }
    return out;
  }

  clear(): void {
    for (const f of FAULTS) {
      try {
        writeFileSync(this.#file, `- ${f.type} 0x${f.opcode.toString(16)}\n`);
      } catch {
        // no such rule
      }
    }
  }
}
