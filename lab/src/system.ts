import { existsSync } from 'node:fs';
import { LabError, run, runInherit, which } from './exec.js';

/** Host programs the lab needs, and the Debian package that provides each. */
export const HOST_TOOLS: ReadonlyArray<{ readonly program: string; readonly pkg: string }> = [
  { program: 'qemu-system-x86_64', pkg: 'qemu-system-x86' },
  { program: 'cpio', pkg: 'cpio' },
  { program: 'depmod', pkg: 'kmod' },
  { program: 'xz', pkg: 'xz-utils' },
  { program: 'dpkg-deb', pkg: 'dpkg' },
  { program: 'apt-get', pkg: 'apt' },
  // The iscsi profile logs in with open-iscsi's iscsistart, run from the host's root in the guest.
  { program: 'iscsistart', pkg: 'open-iscsi' },
];

export const ARCHIVE_KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';
/** busybox-static installs a statically linked /bin/busybox; the dynamic one would need a libc in the initramfs. */
export const STATIC_BUSYBOX = '/bin/busybox';

function isStaticBusybox(): boolean {
  if (!existsSync(STATIC_BUSYBOX)) return false;
  try {
    // dpkg-query's own ${Status} field syntax, not a template.
    const format = ['-f=$', '{Status}'].join('');
    return run('dpkg-query', ['-W', format, 'busybox-static']).includes('install ok installed');
  } catch {
    return false;
  }
}

export function missingHostPackages(): string[] {
  const missing = new Set<string>();
  for (const t of HOST_TOOLS) if (which(t.program) === undefined) missing.add(t.pkg);
  if (!isStaticBusybox()) missing.add('busybox-static');
  if (!existsSync(ARCHIVE_KEYRING)) missing.add('debian-archive-keyring');
  return [...missing];
}

/** Installs what is missing when we are root; otherwise says exactly what to install. */
export async function ensureHostPackages(log: (msg: string) => void): Promise<void> {
  const missing = missingHostPackages();
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new LabError(
      `the lab needs these Debian packages: ${missing.join(' ')}\n` +
        `install them with: sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`,
    );
  }
  log(`installing ${missing.join(' ')} with apt-get`);
  await runInherit('apt-get', ['update', '-q']);
  await runInherit('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing]);
  const still = missingHostPackages();
  if (still.length > 0) throw new LabError(`still missing after apt-get install: ${still.join(' ')}`);
}
