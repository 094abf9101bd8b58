import { loadOrder, type ModuleGraph } from './modules.js';
import { GUEST_MANIFEST_PATH } from './paths.js';
import { BASE_MODULES, BASE_MODULES_IF_MODULAR, type Profile } from './profiles.js';

/** POSIX single-quoting: the only way command words reach a shell here. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/gu, `'\\''`)}'`;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/u;

/** Variables that describe the host session and would mislead the guest's processes. */
const ENV_SKIP = new Set([
  'PWD',
  'OLDPWD',
  'SHLVL',
  '_',
  'TERMCAP',
  'SSH_AUTH_SOCK',
  'DBUS_SESSION_BUS_ADDRESS',
]);

/**
 * The script the guest runs inside the chrooted host filesystem: the caller's environment,
 * the caller's directory, then the command; its exit code is left in /run/scsikit-rc.
 */
export function jobScript(opts: {
  readonly cwd: string;
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
}): string {
  if (opts.argv.length === 0) throw new Error('lab run needs a command after --');
  const lines = ['#!/bin/sh'];
  for (const [k, v] of Object.entries(opts.env)) {
    if (v === undefined || !ENV_NAME.test(k) || ENV_SKIP.has(k)) continue;
    lines.push(`export ${k}=${shellQuote(v)}`);
  }
  lines.push(`cd ${shellQuote(opts.cwd)} || exit 125`);
  lines.push(opts.argv.map(shellQuote).join(' '));
  lines.push('echo $? > /run/scsikit-rc');
  return `${lines.join('\n')}\n`;
}

function insmodLines(
  graph: ModuleGraph,
  names: readonly string[],
  params: ReadonlyMap<string, readonly string[]>,
  skip: ReadonlySet<string>,
): string[] {
  return loadOrder(graph, names)
    .filter((m) => !skip.has(m))
    .map(
      (m) =>
        ['insmod', `/lib/modules/${m}.ko`, ...(params.get(m) ?? [])].join(' ') +
        ' || fail "insmod ' +
        m +
        '"',
    );
}

/** The profile-independent modules this kernel needs loaded (those it has built in are skipped). */
export function baseModules(graph: ModuleGraph): string[] {
  return [...BASE_MODULES_IF_MODULAR.filter((m) => graph.has(m)), ...BASE_MODULES];
}

/** Every module a set of profiles needs, dependencies included, for the initramfs. */
export function modulesFor(graph: ModuleGraph, profiles: readonly Profile[]): string[] {
  const all = new Set(loadOrder(graph, baseModules(graph)));
  for (const p of profiles)
    for (const m of loadOrder(
      graph,
      p.modules.map((x) => x.name),
    ))
      all.add(m);
  return [...all];
}

/**
 * /init for the initramfs (busybox sh). Profile-independent parts run first; the profile is read
 * from the per-run share (`labrun`), so one cached initramfs serves every profile of a kernel.
 */
export function initScript(graph: ModuleGraph, profiles: readonly Profile[]): string {
  const base = loadOrder(graph, baseModules(graph));
  const baseSet = new Set(base);
  const cases = profiles.map((p) => {
    const params = new Map(p.modules.map((m) => [m.name, m.params ?? []] as const));
    const body = [
      ...insmodLines(
        graph,
        p.modules.map((m) => m.name),
        params,
        baseSet,
      ),
      ...(p.setup === undefined ? [] : [p.setup.trim()]),
      `EXPECT=${p.devices}`,
    ];
    return `  ${shellQuote(p.name)})\n${body.map((l) => `    ${l.replace(/\n/gu, '\n    ')}`).join('\n')}\n    ;;`;
  });
  return `#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin:/sbin
fail() { echo "scsikit-lab: $*" > /dev/ttyS0; echo "scsikit-lab: guest set-up failed: $*" > /dev/ttyS1; echo 126 > /labrun/rc 2>/dev/null; sync; poweroff -f; }
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
stty -F /dev/ttyS1 raw -echo 2>/dev/null
${base.map((m) => `insmod /lib/modules/${m}.ko || fail "insmod ${m}"`).join('\n')}
mkdir -p /labrun /mnt
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 labrun /labrun || fail "mount labrun share"
: > /labrun/started
PROFILE=$(cat /labrun/profile)
mount -t debugfs none /sys/kernel/debug 2>/dev/null
# The host's root first: a profile's set-up may run host tools (chroot /mnt …).
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=loose host /mnt || fail "mount host share"
mount -o rbind /proc /mnt/proc
mount -o rbind /sys /mnt/sys
mount -o rbind /dev /mnt/dev
mount -t tmpfs -o mode=0755 tmpfs /mnt/run
case "$PROFILE" in
${cases.join('\n')}
  *) fail "unknown profile $PROFILE" ;;
esac
# Wait until every expected device has its block (if any), sg and bsg nodes.
i=0
while :; do
  n=0; ok=1
  for d in /sys/class/scsi_device/*; do
    [ -e "$d" ] || continue
    n=$((n + 1))
    h=\${d##*/}
    [ -e "/dev/bsg/$h" ] || ok=0
    ls "$d/device/scsi_generic" >/dev/null 2>&1 || ok=0
    case "$(cat $d/device/type)" in 0|20) ls "$d/device/block" >/dev/null 2>&1 || ok=0 ;; esac
  done
  [ "$n" -ge "$EXPECT" ] && [ $ok = 1 ] && break
  i=$((i + 1)); [ $i -gt 300 ] && fail "expected $EXPECT SCSI devices, found $n"
  sleep 0.1
done
sleep 0.3
json() { printf '%s' "$1" | tr -d '"\\\\' | sed 's/[[:space:]]*$//'; }
{
  printf '{"version":1,"profile":"%s","kernel":"%s","devices":[' "$PROFILE" "$(uname -r)"
  sep=''
  for d in /sys/class/scsi_device/*; do
    h=\${d##*/}; dev=$d/device
    vendor=$(json "$(cat $dev/vendor)"); model=$(json "$(cat $dev/model)"); rev=$(json "$(cat $dev/rev)")
    case "$vendor/$model" in
      Linux/scsi_debug) kind=scsi_debug ;;
      QEMU/*) kind=qemu-hd ;;
      LIO-ORG/*) kind=lio ;;
      ATA/*) kind=libata ;;
      *) kind=other ;;
    esac
    blk=''; for b in $dev/block/*; do [ -e "$b" ] && blk=/dev/\${b##*/}; done
    sg=''; for s in $dev/scsi_generic/*; do [ -e "$s" ] && sg=/dev/\${s##*/}; done
    printf '%s{"kind":"%s","hctl":"%s","type":%d,"vendor":"%s","model":"%s","revision":"%s","block":"%s","sg":"%s","bsg":"/dev/bsg/%s","queueDepth":%d}' \\
      "$sep" "$kind" "$h" "$(cat $dev/type)" "$vendor" "$model" "$rev" "$blk" "$sg" "$h" "$(cat $dev/queue_depth 2>/dev/null || echo 0)"
    sep=','
  done
  printf ']}\\n'
} > /labrun/manifest.json
cp /labrun/manifest.json /mnt${GUEST_MANIFEST_PATH}
cp /labrun/job.sh /mnt/run/scsikit-job.sh
# Through a pipe, so the command sees no terminal (as under CI) and prints no cursor codes.
chroot /mnt /bin/sh /run/scsikit-job.sh </dev/null 2>&1 | cat >/dev/ttyS1
cat /mnt/run/scsikit-rc > /labrun/rc 2>/dev/null || echo 125 > /labrun/rc
sync
poweroff -f
`;
}
