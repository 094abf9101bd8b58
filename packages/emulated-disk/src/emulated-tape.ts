/**
 * An emulated SSC tape drive on the emulated disk's machinery (queueing, sense, faults, recorder,
 * persistent reservations, SPC's INQUIRY/REPORT LUNS/REQUEST SENSE…), with peripheral device type
 * 01h: the transport reports `capabilities.peripheralType = 1`, so core's read-only guard and the
 * CDB names use the registry's tape scope. Its medium is a list of records and filemarks.
 *
 * @example
 * const tape = new EmulatedTape();
 * const device = await openDevice(tape, { write: true });
 * await device.tape.write(new Uint8Array(512));
 * await device.tape.writeFilemarks(1);
 */
import { z } from 'zod';
import { EmulatedDiskOptionsError } from './disk-model.js';
import { EmulatedDisk } from './emulated-disk.js';
import { sscCommands, type TapeObject, TapeState } from './ssc-handlers.js';

export interface EmulatedTapeOptions {
  /** Bytes the medium holds. @default 64 MiB */
  readonly capacityBytes?: number;
  /** Writes within this many bytes of the end report the early warning (EOM). @default 1 MiB, at most the capacity */
  readonly earlyWarningBytes?: number;
  /** The block descriptor's BLOCK LENGTH at load: 0 variable mode, else fixed mode. @default 0 */
  readonly blockLength?: number;
  /** READ BLOCK LIMITS. @default 1 and 16 MiB − 1 */
  readonly minBlockLength?: number;
  readonly maxBlockLength?: number;
  /** The density code the drive reports. @default 0x58 (LTO-5's, as a plausible value) */
  readonly densityCode?: number;
  /** Write-protected cartridge: WRITE, WRITE FILEMARKS and ERASE answer DATA PROTECT. @default false */
  readonly writeProtected?: boolean;
  /** A cartridge is loaded. @default true */
  readonly loaded?: boolean;
  /** TapeAlert flags (1-64) set at start; LOG SENSE 2Eh reads and clears them. @default [] */
  readonly tapeAlerts?: readonly number[];
  /** Largest transfer of the emulated transport. @default the emulated disk's */
  readonly maxTransferBytes?: number;
}

const MiB = 1024 * 1024;

export const EmulatedTapeOptionsSchema = z
  .strictObject({
    capacityBytes: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).exactOptional(),
    earlyWarningBytes: z.number().int().min(0).exactOptional(),
    blockLength: z.number().int().min(0).max(0xff_ffff).exactOptional(),
    minBlockLength: z.number().int().min(1).max(0xffff).exactOptional(),
    maxBlockLength: z.number().int().min(1).max(0xff_ffff).exactOptional(),
    densityCode: z.number().int().min(0).max(0xff).exactOptional(),
    writeProtected: z.boolean().exactOptional(),
    loaded: z.boolean().exactOptional(),
    tapeAlerts: z.array(z.number().int().min(1).max(64)).exactOptional(),
    maxTransferBytes: z.number().int().min(512).exactOptional(),
  })
  .refine((o) => (o.minBlockLength ?? 1) <= (o.maxBlockLength ?? 0xff_ffff), {
    path: ['minBlockLength'],
    message: 'minBlockLength must not exceed maxBlockLength',
  })
  .refine(
    (o) =>
      o.blockLength === undefined ||
      o.blockLength === 0 ||
      (o.blockLength >= (o.minBlockLength ?? 1) && o.blockLength <= (o.maxBlockLength ?? 0xff_ffff)),
    { path: ['blockLength'], message: 'blockLength must be 0 or within the block limits' },
  );

function tapeState(options: EmulatedTapeOptions): TapeState {
  const parsed = EmulatedTapeOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new EmulatedDiskOptionsError(
      parsed.error.issues.map((i) => ({
        path: i.path.join('.'),
        message: `${i.path.join('.')}: ${i.message}`,
      })),
    );
  }
  const capacityBytes = options.capacityBytes ?? 64 * MiB;
  const t = new TapeState({
    capacityBytes,
    earlyWarningBytes: Math.min(options.earlyWarningBytes ?? MiB, capacityBytes),
    minBlockLength: options.minBlockLength ?? 1,
    maxBlockLength: options.maxBlockLength ?? 0xff_ffff,
    densityCode: options.densityCode ?? 0x58,
  });
  t.blockLength = options.blockLength ?? 0;
  t.writeProtected = options.writeProtected ?? false;
  t.loaded = options.loaded ?? true;
  for (const f of options.tapeAlerts ?? []) t.tapeAlerts.add(f);
  return t;
}

/** An emulated tape drive: a `Transport` (connection 0) like `EmulatedDisk`, peripheral device type 01h. */
export class EmulatedTape extends EmulatedDisk {
  readonly #tape: TapeState;

  /** Validates `options` (EmulatedDiskOptionsError) and loads an empty cartridge. */
  constructor(options: EmulatedTapeOptions = {}) {
    const tape = tapeState(options);
    // The disk's block store is not used by a tape: the smallest one.
    super(
      {
        capacity: { blocks: 1 },
        ...(options.maxTransferBytes === undefined ? {} : { maxTransferBytes: options.maxTransferBytes }),
      },
      { peripheralType: 0x01, commands: sscCommands(tape) },
    );
    this.#tape = tape;
  }

  /** The medium, a snapshot: records (their bytes) and filemarks in order; end of data follows. */
  medium(): Array<{ kind: 'block'; data: Uint8Array } | { kind: 'filemark' }> {
    return this.#tape.objects.map((o: TapeObject) =>
      o.kind === 'block' ? { kind: 'block', data: o.data.slice() } : { kind: 'filemark' },
    );
  }

  /** The position (the next logical object), as READ POSITION reports it. */
  get position(): number {
    return this.#tape.position;
  }

  /** Whether a cartridge is loaded (LOAD UNLOAD changes it). */
  get loaded(): boolean {
    return this.#tape.loaded;
  }

  /** Raises TapeAlert flags (1-64), as a drive does when something goes wrong. */
  raiseTapeAlert(...flags: number[]): void {
    for (const f of flags) {
      if (!Number.isInteger(f) || f < 1 || f > 64)
        throw new RangeError(`TapeAlert flag must be 1-64, got ${f}`);
      this.#tape.tapeAlerts.add(f);
    }
  }

  /** Sets or clears the cartridge's write protection. */
  setWriteProtected(on: boolean): void {
    this.#tape.writeProtected = on;
  }
}
