import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { GUEST_MANIFEST_PATH } from './paths.js';

export const LabDeviceSchema = z.object({
  /** Which target implementation answers: scsi_debug, QEMU's scsi-hd, LIO, libata's SAT layer, or something else. */
  kind: z.enum(['scsi_debug', 'qemu-hd', 'lio', 'libata', 'other']),
  hctl: z.string().regex(/^\d+:\d+:\d+:\d+$/u),
  /** SCSI peripheral device type (0 disk, 0x14 host-managed zoned …). */
  type: z.number().int().min(0).max(0x1f),
  vendor: z.string(),
  model: z.string(),
  revision: z.string(),
  /** Upper-level node, e.g. /dev/sda ('' when the type has none). */
  block: z.string(),
  sg: z.string().regex(/^\/dev\/sg\d+$/u),
  bsg: z.string().regex(/^\/dev\/bsg\/\d+:\d+:\d+:\d+$/u),
  queueDepth: z.number().int().min(0),
});

export const LabManifestSchema = z.object({
  version: z.literal(1),
  profile: z.string(),
  /** `uname -r` of the guest kernel. */
  kernel: z.string(),
  devices: z.array(LabDeviceSchema),
});

export type LabDevice = z.infer<typeof LabDeviceSchema>;
export type LabManifest = z.infer<typeof LabManifestSchema>;

export function parseLabManifest(text: string): LabManifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`lab manifest is not JSON: ${(e as Error).message}`);
  }
  const r = LabManifestSchema.safeParse(data);
  if (!r.success) throw new Error(`lab manifest is malformed: ${z.prettifyError(r.error)}`);
  return r.data;
}

/** Inside the lab guest: the devices the profile created. Throws outside the lab. */
export function readLabManifest(path = process.env.SCSIKIT_LAB_MANIFEST ?? GUEST_MANIFEST_PATH): LabManifest {
  return parseLabManifest(readFileSync(path, 'utf8'));
}

export function inLab(): boolean {
  return process.env.SCSIKIT_LAB === '1';
}
