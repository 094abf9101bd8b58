#!/usr/bin/env -S node --import tsx
import { parseArgs } from 'node:util';
import { PROFILES } from './profiles.js';
import { labRun, provision } from './run.js';

const USAGE = `usage:
  lab run [--profile NAME] [--timeout SECONDS] [--memory MIB] -- COMMAND [ARGS...]
      boot the guest, run COMMAND in the current directory inside it, exit with its exit code
  lab setup [--profile NAME] [--refresh]
      download the kernel and build the initramfs (run implies it); --refresh re-resolves the kernel
  lab profiles
      list the profiles`;

async function main(argv: string[]): Promise<number> {
  const dashdash = argv.indexOf('--');
  const own = dashdash === -1 ? argv : argv.slice(0, dashdash);
  const command = dashdash === -1 ? [] : argv.slice(dashdash + 1);
  const { values, positionals } = parseArgs({
    args: own,
    allowPositionals: true,
    options: {
      profile: { type: 'string', short: 'p', default: 'default' },
      timeout: { type: 'string', default: '1500' },
      memory: { type: 'string', default: '4096' },
      refresh: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const verb = positionals[0];
  if (values.help || verb === undefined) {
    console.log(USAGE);
    return verb === undefined && !values.help ? 2 : 0;
  }
  if (!(values.profile in PROFILES)) {
    console.error(`lab: unknown profile "${values.profile}"; known: ${Object.keys(PROFILES).join(', ')}`);
    return 2;
  }
  switch (verb) {
    case 'profiles':
      for (const p of Object.values(PROFILES)) console.log(`${p.name.padEnd(10)} ${p.description}`);
      return 0;
    case 'setup':
      await provision(values.profile, undefined, values.refresh);
      return 0;
    case 'run': {
      const timeoutSec = Number(values.timeout);
      const memoryMiB = Number(values.memory);
      if (!Number.isInteger(timeoutSec) || timeoutSec <= 0) {
        console.error(`lab: --timeout must be a positive number of seconds, got "${values.timeout}"`);
        return 2;
      }
      if (!Number.isInteger(memoryMiB) || memoryMiB < 512) {
        console.error(`lab: --memory must be an integer number of MiB ≥ 512, got "${values.memory}"`);
        return 2;
      }
      if (command.length === 0) {
        console.error('lab: run needs a command after --');
        return 2;
      }
      return labRun({ profile: values.profile, argv: command, cwd: process.cwd(), timeoutSec, memoryMiB });
    }
    default:
      console.error(`lab: unknown command "${verb}"\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`lab: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
