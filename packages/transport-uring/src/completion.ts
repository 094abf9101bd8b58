/**
 * What the kernel packs into big_cqe[0] of a BSG uring_cmd completion:
 * device status (bits 0–7), driver status (8–15), host status (16–23),
 * sense bytes written (24–31), residual (32–63).
 */
export interface BsgCompletion {
  /** SAM status byte (0x00 GOOD, 0x02 CHECK CONDITION, 0x08 BUSY, 0x18 RESERVATION CONFLICT …). */
  readonly status: number;
  /** Linux driver byte; 0x08 (DRIVER_SENSE) says the sense buffer is valid. */
  readonly driverStatus: number;
  /** Linux host byte (DID_*): 0 when the command reached the device and completed. */
  readonly hostStatus: number;
  readonly senseLength: number;
  /** Bytes requested but not transferred. */
  readonly residual: number;
}

export function decodeBsgCompletion(info: bigint): BsgCompletion {
  const lo = Number(info & 0xffffffffn);
  return {
    status: lo & 0xff,
    driverStatus: (lo >>> 8) & 0xff,
    hostStatus: (lo >>> 16) & 0xff,
    senseLength: (lo >>> 24) & 0xff,
    residual: Number((info >> 32n) & 0xffffffffn),
  };
}

export function encodeBsgCompletion(c: BsgCompletion): bigint {
  const lo = (c.status | (c.driverStatus << 8) | (c.hostStatus << 16) | (c.senseLength << 24)) >>> 0;
  return (BigInt(c.residual >>> 0) << 32n) | BigInt(lo);
}
