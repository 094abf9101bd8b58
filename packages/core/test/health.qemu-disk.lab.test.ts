/**
 * device.health() on QEMU's scsi-hd (qemu-disk profile): it has no LOG SENSE (05h/20h/00h) and
 * refuses MODE SENSE of page 1Ch (05h/24h/00h), so no source can say — UNKNOWN, with the sources
 * saying why (observed with `scsikit health` in this profile, exit 4).
 */
import { readLabManifest } from '@scsikit/lab';
import { describe, expect, it } from 'vitest';
import { openDevice } from '../src/index.js';

const disk = readLabManifest().devices[0]!;

describe(`health() on QEMU scsi-hd ${disk.bsg}`, () => {
  it('UNKNOWN: no log pages, no IE control mode page', async () => {
    await using dev = await openDevice(disk.bsg);
    const h = await dev.health();
    expect(h.verdict).toBe('UNKNOWN');
    expect(h.protocol).toBe('scsi');
    expect(h.reasons).toEqual([]);
    expect(h.sources.map((s) => [s.source, s.status])).toEqual([
      ['informationalExceptionsLog', 'unsupported'],
      ['informationalExceptionsMode', 'unsupported'],
      ['selfTestLog', 'unsupported'],
      ['backgroundScanLog', 'unsupported'],
    ]);
    expect(h.sources[1]?.error).toMatch(/ILLEGAL REQUEST, Invalid field in cdb/u);
  });
});
