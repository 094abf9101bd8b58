import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Where downloaded kernels, built initramfs images and run directories live between runs. */
export function labCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.SCSIKIT_LAB_CACHE;
  if (override !== undefined && override !== '') return resolve(override);
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.cache');
  return join(base, 'scsikit', 'lab');
}

/** Inside the guest, the manifest describing every device the profile created. */
export const GUEST_MANIFEST_PATH = '/run/scsikit-lab.json';
