#!/usr/bin/env node
/** The `scsikit` executable: binds `run` to the process (stdio, TTY progress, confirmation prompt). */
import { createInterface } from 'node:readline/promises';
import { run } from './main.js';

// `scsikit … | head` closes the pipe early: that is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const io = {
  out: (s: string) => process.stdout.write(s),
  outBytes: (b: Uint8Array) => process.stdout.write(b),
  err: (s: string) => process.stderr.write(s),
  ...(process.stderr.isTTY ? { progressStream: process.stderr } : {}),
  confirm: async (question: string): Promise<boolean> => {
    if (!process.stdin.isTTY) return false;
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return /^y(es)?$/iu.test((await rl.question(question)).trim());
    } finally {
      rl.close();
    }
  },
};

process.exitCode = await run(process.argv.slice(2), { io });
