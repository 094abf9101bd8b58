// The README's main job: every example, in order, against one device (the lab's default disk).
import { readLabManifest } from '@scsikit/lab';
import { capacity } from './capacity.js';
import { decodeError } from './decode-error.js';
import { devicePath, openSession, type Session } from './device.js';
import { identify } from './identify.js';
import { readBlocks } from './read-blocks.js';

const examples: ReadonlyArray<[string, (s: Session) => unknown]> = [
  ['identify the device (INQUIRY, VPD 80h/83h)', identify],
  ['capacity and block limits (READ CAPACITY(16), VPD B0h)', capacity],
  ['reads through io_uring (READ(16) over IORING_OP_URING_CMD)', readBlocks],
  ['a decoded error (READ(16) past the end)', decodeError],
];

const path = devicePath();
const s = openSession(path);
try {
  const kernel = process.env.SCSIKIT_LAB === '1' ? `, kernel ${readLabManifest().kernel}` : '';
  console.log(
    `scsikit examples on ${path}${kernel}; ring flags 0x${s.ring.flags.toString(16)}, ${s.ring.sqEntries} entries`,
  );
  for (const [title, run] of examples) {
    console.log(`\n▸ ${title}`);
    run(s);
  }
} finally {
  s.close();
}
