// Shared by the examples: finds the device to use and sends a cdb CdbSpec through the io_uring ring.
import { type CdbSpec, decodeSense, senseSummary } from '@scsikit/cdb';
import { inLab, readLabManifest } from '@scsikit/lab';
import { openBsg, type SyncResult, UringRing } from '@scsikit/transport-uring';

export interface Session {
  readonly path: string;
  readonly ring: UringRing;
  readonly fd: number;
  send(spec: CdbSpec, data?: Uint8Array): SyncResult & { readonly data: Uint8Array };
  close(): void;
}

/** The device named on the command line, else (in the lab) the profile's first disk. */
export function devicePath(argv = process.argv.slice(2)): string {
  const given = argv.find((a) => a.startsWith('/dev/'));
  if (given !== undefined) return given;
  if (inLab()) {
    const disk = readLabManifest().devices[0];
    if (disk !== undefined) return disk.bsg;
  }
  throw new Error('usage: node --import tsx examples/<file>.ts /dev/bsg/H:C:T:L');
}

export function openSession(path = devicePath()): Session {
  const ring = new UringRing(64);
  const dev = openBsg(path);
  return {
    path,
    ring,
    fd: dev.fd,
    send(spec, data) {
      const buffer = data ?? new Uint8Array(spec.transferLength);
      const r = ring.execute(dev.fd, {
        cdb: spec.cdb,
        direction: spec.direction,
        ...(spec.direction === 'none' ? {} : { data: buffer }),
      });
      if (r.res < 0) throw new Error(`${spec.name}: the kernel refused the command (errno ${-r.res})`);
      return { ...r, data: buffer.subarray(0, buffer.length - r.residual) };
    },
    close() {
      dev.close();
      ring.close();
    },
  };
}

/** Throws with the decoded sense when a command did not end in GOOD. */
export function expectGood(name: string, r: SyncResult): void {
  if (r.status === 0 && r.hostStatus === 0) return;
  const why = r.sense.length > 0 ? senseSummary(decodeSense(r.sense)) : `status 0x${r.status.toString(16)}`;
  throw new Error(`${name} failed: ${why}`);
}

export function isMain(url: string): boolean {
  return process.argv[1] !== undefined && url === new URL(`file://${process.argv[1]}`).href;
}
