import {
  buildInquiry,
  buildPersistentReserveIn,
  buildPrRegister,
  decodePrReadKeys,
  decodeUnitSerialNumber,
} from '@scsikit/cdb';
import { describe, expect, it } from 'vitest';
import { manifest, send } from './lab-device.js';

describe('lio profile: one LIO logical unit through two tcm_loop ports', () => {
  const [a, b] = manifest.devices;

  it('shows two paths to the same logical unit (same unit serial number)', () => {
    expect(a?.kind).toBe('lio');
    expect(b?.kind).toBe('lio');
    const serial = (d: typeof a) =>
      decodeUnitSerialNumber(send(d!, buildInquiry({ evpd: true, pageCode: 0x80 })).data).productSerialNumber;
    expect(serial(a)).toBe('scsikit-lio-disk0');
    expect(serial(b)).toBe('scsikit-lio-disk0');
  });

  it('keeps persistent reservations: a key registered on one path is read on the other', () => {
    const reg = buildPrRegister({ newKey: 0x5c5140000001n, ignoreExisting: true });
    const r = send(a!, reg.spec, reg.data);
    // NOT READY here would mean the PR metadata directory is missing (the dbroot trap in LAB.md).
    expect(r.status).toBe(0);
    const keys = decodePrReadKeys(send(b!, buildPersistentReserveIn({ serviceAction: 'readKeys' })).data);
    expect(keys.keys).toContain(0x5c5140000001n);
  });
});
