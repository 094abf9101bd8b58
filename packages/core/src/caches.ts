/**
 * What a Device remembers about its device between commands, and which unit attentions make it
 * stale. The funnel drops entries on the unit attentions; the SPC and SBC families fill them.
 */
import type {
  BlockLimitsVpd,
  LogicalBlockProvisioningVpd,
  StandardInquiry,
  SupportedOpcodesAll,
} from '@scsikit/cdb';
import { log } from './diagnostics.js';

/** READ CAPACITY, normalised over (10) and (16). */
export interface Capacity {
  /** LBA of the last logical block. */
  readonly lastLba: bigint;
  /** Logical block length in bytes. */
  readonly blockLength: number;
  /** lastLba + 1. */
  readonly blocks: bigint;
  readonly capacityBytes: bigint;
  /** Which command answered. */
  readonly source: 10 | 16;
  /** (16) only: physical block length (blockLength × 2^exponent). */
  readonly physicalBlockLength?: number;
  /** (16) only: protection type, 0 when off. */
  readonly protectionType?: number;
  /** (16) only: logical block provisioning management enabled (thin). */
  readonly lbpme?: boolean;
  /** (16) only: deallocated blocks read as zeroes. */
  readonly lbprz?: boolean;
}

/** How I/O is sized: the logical block length and the most blocks one command may move. */
export interface IoLimits {
  readonly blockLength: number;
  readonly maxBlocks: number;
}

/**
 * @internal One Device's caches. `undefined`: not asked yet; `null`: asked, and the device does
 * not have it (no such VPD page, command refused).
 */
export class DeviceCaches {
  capacity: Capacity | undefined;
  /** `capacity`'s block count as a number (see `capBlocks` in sbc.ts), and the capacity it was taken from. */
  capBlocksNumber: number | undefined;
  capBlocksOf: Capacity | undefined;
  blockLimits: BlockLimitsVpd | null | undefined;
  lbp: LogicalBlockProvisioningVpd | null | undefined;
  /** DPOFUA and WCE from the caching page, read the first time DPO/FUA is asked for. */
  cacheMode: { readonly dpofua: boolean; readonly wce: boolean } | null | undefined;
  vpdPages: readonly number[] | null | undefined;
  /** null: the device does not support REPORT SUPPORTED OPERATION CODES. */
  opcodes: SupportedOpcodesAll | null | undefined;
  /** The I/O sizing, memoised on the caches it derives from: one object per refresh, not per command. */
  ioMemo:
    | {
        readonly cap: Capacity;
        readonly limits: BlockLimitsVpd | null;
        readonly value: IoLimits;
      }
    | undefined;
  /** `supportsCommand`'s answers, per opcode list (a new list is a new memo). */
  supportMemo: { list: SupportedOpcodesAll; answers: Map<number, boolean> } | undefined;
  inquiry: StandardInquiry | undefined;
  /** MODE SENSE(10) refused with INVALID COMMAND OPERATION CODE: use (6). */
  modeSense6 = false;

  /**
   * Drops what a unit attention says is stale: capacity and block limits on power on/reset (29h)
   * and capacity data changed (2Ah/09h); mode data on mode parameters changed (2Ah/01h); everything
   * on inquiry data / operating conditions changed (3Fh).
   */
  onUnitAttention(asc: number, ascq: number): void {
    if (asc === 0x29 || (asc === 0x2a && ascq === 0x09)) {
      log('unit attention %s/%s: capacity and limits caches dropped', asc.toString(16), ascq.toString(16));
      this.capacity = undefined;
      this.blockLimits = undefined;
      this.lbp = undefined;
    }
    if (asc === 0x29 || (asc === 0x2a && ascq === 0x01)) {
      this.modeSense6 = false;
      this.cacheMode = undefined;
    }
    if (asc === 0x3f) {
      this.capacity = undefined;
      this.blockLimits = undefined;
      this.lbp = undefined;
      this.vpdPages = undefined;
      this.opcodes = undefined;
      this.inquiry = undefined;
      this.cacheMode = undefined;
    }
  }
}
