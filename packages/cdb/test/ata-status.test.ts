import { describe, expect, it } from 'vitest';
import { DecodeError } from '../src/errors.js';
import { ataRegistersFromSense, smartStatusFromRegisters } from '../src/pages/ata-status.js';
import { decodeSense } from '../src/sense.js';

const hex = (s: string) => Uint8Array.from(s.split(/\s+/u).map((x) => Number.parseInt(x, 16)));

// Descriptor format (SAT-5 ATA Status Return descriptor 09h, 14 bytes): RECOVERED ERROR, 00h/1Dh,
// then 09 0C, EXTEND, ERROR, COUNT(15:8), COUNT(7:0), LBA(31:24), LBA(7:0), LBA(39:32), LBA(15:8),
// LBA(47:40), LBA(23:16), DEVICE, STATUS.
const descriptorOk = hex('72 01 00 1d 00 00 00 0e 09 0c 00 00 00 00 00 00 00 4f 00 c2 40 50');
// Fixed format (libata with D_SENSE clear): VALID|70h, key 01h, INFORMATION = ERROR STATUS DEVICE
// COUNT, additional length 0Ah, COMMAND-SPECIFIC = flags, LBA(7:0), LBA(15:8), LBA(23:16), 00h/1Dh.
const fixedFailing = hex('f0 00 01 00 50 40 00 0a 00 00 f4 2c 00 1d 00 00 00 00');

describe('ataRegistersFromSense', () => {
  it('reads the ATA Status Return descriptor (descriptor format)', () => {
    const r = ataRegistersFromSense(decodeSense(descriptorOk));
    expect(r).toEqual({
      source: 'descriptor',
      extend: false,
      error: 0,
      status: 0x50,
      device: 0x40,
      count: 0,
      lbaLow: 0,
      lbaMid: 0x4f,
      lbaHigh: 0xc2,
      lba: 0xc24f00,
    });
  });

  it('reads INFORMATION and COMMAND-SPECIFIC INFORMATION (fixed format, ASC/ASCQ 00h/1Dh)', () => {
    const r = ataRegistersFromSense(decodeSense(fixedFailing));
    expect(r).toMatchObject({
      source: 'fixed',
      extend: false,
      error: 0,
      status: 0x50,
      device: 0x40,
      count: 0,
      lbaLow: 0,
      lbaMid: 0xf4,
      lbaHigh: 0x2c,
      lba: 0x2cf400,
      countUpperNonZero: false,
      lbaUpperNonZero: false,
    });
    const ext = fixedFailing.slice();
    ext[8] = 0xe0;
    expect(ataRegistersFromSense(decodeSense(ext))).toMatchObject({
      extend: true,
      countUpperNonZero: true,
      lbaUpperNonZero: true,
    });
  });

  it('is undefined for sense without ATA registers', () => {
    // Fixed format with another ASC: INFORMATION is an LBA there, not registers.
    expect(
      ataRegistersFromSense(decodeSense(hex('70 00 05 00 00 00 00 0a 00 00 00 00 24 00 00 00 00 00'))),
    ).toBe(undefined);
    expect(ataRegistersFromSense(decodeSense(hex('72 05 24 00 00 00 00 00')))).toBe(undefined);
    expect(ataRegistersFromSense(decodeSense(hex('7f 00 00')))).toBe(undefined);
  });

  it('fixed format with another ASC: registers only for an ATA PASS-THROUGH answer with VALID set', () => {
    // An aborted command (ABRT): ABORTED COMMAND 00h/00h, status 51h, error 04h.
    const abortedSense = decodeSense(hex('f0 00 0b 04 51 40 00 0a 00 00 4f c2 00 00 00 00 00 00'));
    expect(ataRegistersFromSense(abortedSense)).toBe(undefined);
    expect(ataRegistersFromSense(abortedSense, { passThrough: true })).toMatchObject({
      status: 0x51,
      error: 0x04,
    });
    const notValid = decodeSense(hex('70 00 0b 04 51 40 00 0a 00 00 4f c2 00 00 00 00 00 00'));
    expect(ataRegistersFromSense(notValid, { passThrough: true })).toBe(undefined);
  });

  it('is undefined for a fixed-format answer cut before its ASC/ASCQ', () => {
    expect(ataRegistersFromSense(decodeSense(hex('70 00 01 00 50 40 00 0a 00 00 4f')))).toBe(undefined);
  });
});

describe('smartStatusFromRegisters (SMART RETURN STATUS)', () => {
  it('4Fh/C2h is ok, F4h/2Ch is threshold exceeded', () => {
    expect(smartStatusFromRegisters(ataRegistersFromSense(decodeSense(descriptorOk)) as never)).toBe('ok');
    expect(smartStatusFromRegisters(ataRegistersFromSense(decodeSense(fixedFailing)) as never)).toBe(
      'thresholdExceeded',
    );
  });

  it('anything else is a DecodeError', () => {
    const base = ataRegistersFromSense(decodeSense(descriptorOk));
    if (base === undefined) throw new Error('no registers');
    expect(() => smartStatusFromRegisters({ ...base, lbaMid: 0, lbaHigh: 0 })).toThrowError(/lbaMidHigh/);
    expect(() => smartStatusFromRegisters({ ...base, lbaMid: 0xf4 })).toThrowError(DecodeError);
    // ERR set (ABRT): SMART disabled — the registers mean nothing.
    expect(() => smartStatusFromRegisters({ ...base, status: 0x51, error: 0x04 })).toThrowError(
      /SMART disabled/,
    );
  });
});
