// The device-behaviour suite (SPC-5 / SBC-4 answers) against the emulated disk: it must follow the
// standard everywhere, so it has no deviations. Several configurations: block sizes, thin
// provisioning, and a second connection for persistent reservations.
import { describeDiskBehaviour } from '@scsikit/disk-behaviour';
import { EmulatedDisk, type EmulatedDiskOptions } from '../src/index.js';

function setup(options: EmulatedDiskOptions) {
  let disk: EmulatedDisk | undefined;
  return {
    open: async () => {
      await disk?.close();
      disk = new EmulatedDisk(options);
      return disk;
    },
    openSecond: async () => {
      if (disk === undefined) throw new Error('open() first');
      return disk.connect();
    },
  };
}

describeDiskBehaviour('emulated disk, 512-byte blocks', setup({ capacity: { blocks: 65_536 } }), {
  kind: 'emulated',
  blockLength: 512,
  capacityBlocks: 65_536n,
  vpdPages: [0x00, 0x80, 0x83, 0xb0, 0xb1, 0xb2],
});

describeDiskBehaviour(
  'emulated disk, 4096-byte blocks, write cache off',
  setup({ capacity: { blocks: 8_192 }, blockLength: 4096, writeCache: false }),
  {
    kind: 'emulated',
    blockLength: 4096,
    capacityBlocks: 8_192n,
    vpdPages: [0x00, 0x80, 0x83, 0xb0, 0xb1, 0xb2],
  },
);

describeDiskBehaviour(
  'emulated disk, thin provisioned (LBPRZ)',
  setup({ capacity: { bytes: 64 << 20 }, thinProvisioning: true }),
  { kind: 'emulated', blockLength: 512, thin: true, vpdPages: [0x00, 0x80, 0x83, 0xb0, 0xb1, 0xb2] },
);

describeDiskBehaviour(
  'emulated disk, descriptor sense, thin without LBPRZ',
  setup({ capacity: { bytes: 32 << 20 }, thinProvisioning: { lbprz: false }, descriptorSense: true }),
  { kind: 'emulated', thin: true },
);
