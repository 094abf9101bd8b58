import { writeFileSync } from 'node:fs';
import { PROFILES, readLabManifest } from '@scsikit/lab';
import { type ScsiCommand, SyscallError } from '@scsikit/transport';
import { describeTransportConformance } from '@scsikit/transport/conformance';
import { describe, expect, it } from 'vitest';
import { UringTransport } from '../src/index.js';

// The conformance suite over IORING_OP_URING_CMD, on the first device of whatever profile booted.
const manifest = readLabManifest();
const device = manifest.devices[0]!;

/** MODE SENSE(6), 4 bytes: harmless, and nothing else in the suite sends it. */
const MODE_SENSE_6: ScsiCommand = {
  cdb: new Uint8Array([0x1a, 0x08, 0x3f, 0, 4, 0]),
  direction: 'in',
  transferLength: 4,
};

/** scsi_debug's per-device error injection: drop (never complete) the next MODE SENSE(6). */
function dropNextModeSense(): ScsiCommand {
  writeFileSync(`/sys/kernel/debug/scsi_debug/${device.hctl}/error`, '0 -1 0x1a\n');
  return MODE_SENSE_6;
}

if (PROFILES[manifest.profile]?.kernel === 'legacy') {
  // Before Linux 7.1 bsg has no uring_cmd handler: the kernel refuses in the CQE, never at submit.
  describe('io_uring on a kernel without the BSG passthrough', () => {
    it('rejects with a SyscallError carrying -EOPNOTSUPP, the signal to fall back to SG_IO', async () => {
      const t = UringTransport.open(device.bsg);
      try {
        const err = await t.execute(MODE_SENSE_6).then(
          () => expect.fail('io_uring BSG passthrough must not work on this kernel'),
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(SyscallError);
        expect((err as SyscallError).errno).toBe(-95);
      } finally {
        await t.close();
      }
    });
  });
} else {
  describeTransportConformance(`io_uring on ${device.kind} (${manifest.profile})`, {
    open: async () =>
      UringTransport.open(device.bsg, {
        fixedBuffers: { count: 8, size: 64 * 1024 },
        retry: { maxBusyRetries: 0 },
      }),
    ...(device.kind === 'scsi_debug' ? { stuckCommand: dropNextModeSense } : {}),
    timeScale: 10,
  });
}
