// Prints the linker argument for liburing: the static archive when the system has one, so the
// addon needs nothing beyond libc at run time (a prebuild must load on machines without liburing).
// SCSIKIT_LIBURING_SHARED=1 links the shared library instead (distribution packagers).
const { existsSync } = require('node:fs');
const { execFileSync } = require('node:child_process');

function archive() {
  const dirs = [
    '/usr/lib/x86_64-linux-gnu',
    '/usr/lib/aarch64-linux-gnu',
    '/usr/lib64',
    '/usr/lib',
    '/usr/local/lib',
  ];
  try {
    // The compiler's own search path finds multiarch and cross layouts the list above misses.
    const found = execFileSync(process.env.CXX || 'c++', ['-print-file-name=liburing.a'], {
      encoding: 'utf8',
    }).trim();
    if (found.startsWith('/') && existsSync(found)) return found;
  } catch {}
  return dirs.map((d) => `${d}/liburing.a`).find((f) => existsSync(f));
}

const a = process.env.SCSIKIT_LIBURING_SHARED === '1' ? undefined : archive();
process.stdout.write(a ?? '-luring');
