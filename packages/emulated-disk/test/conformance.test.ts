import type { ScsiCommand } from '@scsikit/transport';
import { describeTransportConformance } from '@scsikit/transport/conformance';
import { EmulatedDisk } from '../src/index.js';

/**
 * The hooks use fault injection on the disk under test: SYNCHRONIZE CACHE(10) is made to never
 * complete (a scsi_debug drop rule) or to complete late (a 'delay' rule), one rule per command.
 */
function setup(options: ConstructorParameters<typeof EmulatedDisk>[0], viaConnection = false) {
  let disk: EmulatedDisk | undefined;
  const syncCache: ScsiCommand = {
    cdb: new Uint8Array([0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    direction: 'none',
  };
  return {
    open: async () => {
      disk = new EmulatedDisk(options);
      return viaConnection ? disk.connect() : disk;
    },
    blockLength: options?.blockLength ?? 512,
    stuckCommand: (): ScsiCommand => {
      disk?.faults.add({ opcode: 0x35, count: 1, effect: 'timeout' });
      return syncCache;
    },
    slowCommand: (ms: number): ScsiCommand => {
      disk?.faults.add({ opcode: 0x35, count: 1, effect: 'delay', delayMs: ms });
      return syncCache;
    },
  };
}

describeTransportConformance('emulated disk', setup({}));
describeTransportConformance(
  'emulated disk, fixed buffers, 4096-byte blocks',
  setup({ blockLength: 4096, fixedBuffers: true }),
);
describeTransportConformance('emulated disk, a second connection', setup({ queueDepth: 4 }, true));
describeTransportConformance(
  'emulated disk, zoned, random latency',
  setup({ zoned: { zoneSize: 4096 }, capacity: { blocks: 65536 }, latency: { minMs: 0, maxMs: 3, seed: 7 } }),
);
