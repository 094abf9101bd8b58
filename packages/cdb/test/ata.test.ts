import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../src/errors.js';
import { decodeAtaIdentify, decodeAtaSmartData, decodeAtaSmartThresholds } from '../src/pages/ata.js';

class Sector {
  readonly b = new Uint8Array(512);

  word(i: number, v: number): this {
    this.b[2 * i] = v & 0xff;
    this.b[2 * i + 1] = (v >> 8) & 0xff;
    return this;
  }

  /** ATA string: first character of each pair in the high byte, space padded. */
  str(first: number, count: number, s: string): this {
    const padded = s.padEnd(count * 2, ' ');
    for (let k = 0; k < count; k++)
      this.word(first + k, (padded.charCodeAt(2 * k) << 8) | padded.charCodeAt(2 * k + 1));
    return this;
  }

  /** Makes the 512 bytes sum to 0 mod 256 through byte 511 (and, for IDENTIFY, signature A5h in byte 510). */
  seal(signature?: number): Uint8Array {
    if (signature !== undefined) this.b[510] = signature;
    let sum = 0;
    for (let i = 0; i < 511; i++) sum += this.b[i] as number;
    this.b[511] = (256 - (sum % 256)) % 256;
    return this.b;
  }
}

/** ACS-4 IDENTIFY DEVICE layout, modelled on a QEMU/libata-style SSD. */
function identify(): Sector {
  return new Sector()
    .word(0, 0x0040)
    .str(10, 10, '      QM00001')
    .str(23, 4, '2.5+')
    .str(27, 20, 'QEMU HARDDISK')
    .word(60, 0x0000)
    .word(61, 0x0008) // 524288 sectors for 28-bit commands
    .word(69, 0x4028) // DRAT, RZAT, extended number of user addressable sectors
    .word(75, 31) // queue depth 32
    .word(76, 0x010e) // NCQ, SATA 1.5/3.0/6.0
    .word(77, 0x0006) // current speed Gen3
    .word(80, 0x07f0) // ATA/ATAPI-4 … ACS-3
    .word(82, 0x0063) // SMART, security, write cache, look-ahead
    .word(83, 0x4400) // valid, 48-bit
    .word(84, 0x4100) // valid, WWN
    .word(85, 0x0061) // SMART, write cache, look-ahead enabled
    .word(87, 0x4100)
    .word(100, 0x0000)
    .word(101, 0x0008) // 524288 sectors for 48-bit commands
    .word(106, 0x6003) // valid, 8 logical per physical
    .word(108, 0x5000)
    .word(109, 0xc500)
    .word(110, 0xa1b2)
    .word(111, 0xc3d4)
    .word(128, 0x0009) // security supported, frozen
    .word(168, 0x0003) // 2.5 inch
    .word(169, 0x0001) // TRIM
    .word(209, 0x4000)
    .word(217, 0x0001) // non-rotating
    .word(230, 0x0000)
    .word(231, 0x0010); // 1048576 sectors via words 230-233
}

describe('decodeAtaIdentify (ACS-4 IDENTIFY DEVICE data)', () => {
  it('decodes strings, capacity, geometry and features', () => {
    const d = decodeAtaIdentify(identify().seal(0xa5));
    expect(d.ataDevice).toBe(true);
    expect(d.modelNumber).toBe('QEMU HARDDISK');
    expect(d.serialNumber).toBe('QM00001');
    expect(d.firmwareRevision).toBe('2.5+');
    expect(d.majorVersions).toEqual([
      'ATA/ATAPI-4',
      'ATA/ATAPI-5',
      'ATA/ATAPI-6',
      'ATA/ATAPI-7',
      'ATA8-ACS',
      'ACS-2',
      'ACS-3',
    ]);
    expect(d.lba28Sectors).toBe(524288);
    expect(d.lba48Supported).toBe(true);
    expect(d.lba48Sectors).toBe(524288n);
    expect(d.userAddressableSectors).toBe(1048576n);
    expect(d.logicalSectorSize).toBe(512);
    expect(d.physicalSectorSize).toBe(4096);
    expect(d.logicalSectorsPerPhysicalSector).toBe(8);
    expect(d.logicalSectorAlignment).toBe(0);
    expect(d.capacityBytes).toBe(512n * 1024n * 1024n);
    expect(d.wwn).toBe('5000c500a1b2c3d4');
    expect(d.smart).toEqual({ supported: true, enabled: true });
    expect(d.security).toMatchObject({ supported: true, enabled: false, frozen: true, locked: false });
    expect(d.writeCache).toEqual({ supported: true, enabled: true });
    expect(d.trim).toEqual({ supported: true, deterministicReadAfterTrim: true, readZeroAfterTrim: true });
    expect(d.ncq).toEqual({ supported: true, queueDepth: 32 });
    expect(d.sataSpeeds).toEqual(['1.5 Gb/s', '3.0 Gb/s', '6.0 Gb/s']);
    expect(d.currentSataSpeed).toBe('6.0 Gb/s');
    expect(d.solidState).toBe(true);
    expect(d.rotationRateRpm).toBeUndefined();
    expect(d.formFactorName).toBe('2.5 inch');
    expect(d.integrityWordPresent).toBe(true);
    expect(d.checksumValid).toBe(true);
    expect(d.bytes).toHaveLength(512);
  });

  it('stores strings byte-swapped on the wire', () => {
    const b = identify().seal();
    expect(String.fromCharCode(b[54] as number, b[55] as number)).toBe('EQ');
  });

  it('detects a bad integrity checksum and skips it when there is no signature', () => {
    const bad = identify().seal(0xa5);
    bad[100] = (bad[100] as number) ^ 1;
    expect(decodeAtaIdentify(bad).checksumValid).toBe(false);
    const none = decodeAtaIdentify(identify().seal(0x00));
    expect(none.integrityWordPresent).toBe(false);
    expect(none.checksumValid).toBeUndefined();
  });

  it('handles a rotating 28-bit-only disk with 4Kn logical sectors', () => {
    const d = decodeAtaIdentify(
      new Sector()
        .word(60, 0x1000)
        .word(83, 0x4000)
        .word(106, 0x5000) // valid, logical sector longer than 256 words
        .word(117, 2048) // 2048 words = 4096 bytes
        .word(217, 7200)
        .seal(),
    );
    expect(d.lba48Supported).toBe(false);
    expect(d.userAddressableSectors).toBe(0x1000n);
    expect(d.logicalSectorSize).toBe(4096);
    expect(d.physicalSectorSize).toBe(4096);
    expect(d.capacityBytes).toBe(0x1000n * 4096n);
    expect(d.rotationRateRpm).toBe(7200);
    expect(d.solidState).toBe(false);
    expect(d.wwn).toBeUndefined();
    expect(d.sataSpeeds).toEqual([]);
    expect(d.ncq.supported).toBe(false);
  });

  it('ignores feature words whose validity bits are not 01b', () => {
    const d = decodeAtaIdentify(identify().word(83, 0xffff).word(87, 0x0000).word(84, 0).seal());
    expect(d.smart.supported).toBe(false);
    expect(d.lba48Supported).toBe(false);
    expect(d.wwn).toBeUndefined();
  });

  it('rejects anything shorter than 512 bytes', () => {
    expect(() => decodeAtaIdentify(new Uint8Array(511))).toThrowError(DecodeError);
    expect(() => decodeAtaIdentify(new Uint8Array(511))).toThrowError(/identifyDevice/);
  });
});

function smartData(): Sector {
  const s = new Sector().word(0, 0x0010);
  const attr = (slot: number, id: number, flags: number, cur: number, worst: number, raw: bigint) => {
    const o = 2 + slot * 12;
    s.b[o] = id;
    s.b[o + 1] = flags & 0xff;
    s.b[o + 2] = flags >> 8;
    s.b[o + 3] = cur;
    s.b[o + 4] = worst;
    for (let k = 0; k < 6; k++) s.b[o + 5 + k] = Number((raw >> BigInt(8 * k)) & 0xffn);
  };
  attr(0, 5, 0x0033, 100, 100, 0n);
  attr(1, 9, 0x0032, 99, 99, 12345n);
  attr(2, 194, 0x0022, 64, 50, 0x0000_0014_0024n);
  attr(3, 241, 0x0032, 100, 100, 0xffff_ffff_ffffn);
  attr(4, 250, 0x0000, 100, 100, 1n);
  s.b[362] = 0x82;
  s.b[363] = 0xf3;
  s.word(182, 600); // bytes 364-365
  s.b[367] = 0x7b;
  s.word(184, 0x0003); // bytes 368-369
  s.b[370] = 0x01;
  s.b[372] = 2;
  s.b[373] = 0xff;
  s.b[374] = 5;
  s.b[375] = 0xa0;
  s.b[376] = 0x01;
  return s;
}

describe('decodeAtaSmartData / decodeAtaSmartThresholds', () => {
  it('decodes the attribute table and status bytes', () => {
    const d = decodeAtaSmartData(smartData().seal());
    expect(d.revision).toBe(0x10);
    expect(d.attributes.map((a) => a.id)).toEqual([5, 9, 194, 241, 250]);
    expect(d.attributes[0]).toMatchObject({
      id: 5,
      name: 'Reallocated_Sector_Ct',
      prefailure: true,
      online: true,
      eventCount: true,
      selfPreserving: true,
      current: 100,
      worst: 100,
      raw: 0n,
    });
    expect(d.attributes[1]).toMatchObject({ name: 'Power_On_Hours', prefailure: false, raw: 12345n });
    expect(d.attributes[2]).toMatchObject({
      name: 'Temperature_Celsius',
      current: 64,
      worst: 50,
      raw: 0x0000_0014_0024n,
    });
    expect(d.attributes[3]?.raw).toBe(0xffff_ffff_ffffn);
    expect(d.attributes[4]?.name).toBeUndefined();
    expect(d.attributes[4]?.bytes).toHaveLength(12);
    expect(d.autoOfflineEnabled).toBe(true);
    expect(d.offlineDataCollectionStatusName).toBe('completed without error');
    expect(d.selfTestExecutionStatus).toBe(0xf);
    expect(d.selfTestExecutionStatusName).toBe('in progress');
    expect(d.selfTestPercentRemaining).toBe(30);
    expect(d.totalTimeToCompleteOfflineDataCollection).toBe(600);
    expect(d.smartCapability).toBe(3);
    expect(d.errorLoggingSupported).toBe(true);
    expect(d.shortSelfTestPollingTime).toBe(2);
    expect(d.extendedSelfTestPollingTime).toBe(0x1a0);
    expect(d.conveyanceSelfTestPollingTime).toBe(5);
    expect(d.checksumValid).toBe(true);
  });

  it('flags a bad checksum', () => {
    const b = smartData().seal();
    b[511] = ((b[511] as number) + 1) & 0xff;
    expect(decodeAtaSmartData(b).checksumValid).toBe(false);
  });

  it('annotates attributes with thresholds', () => {
    const t = new Sector().word(0, 0x10);
    const thr = (slot: number, id: number, value: number) => {
      t.b[2 + slot * 12] = id;
      t.b[3 + slot * 12] = value;
    };
    thr(0, 5, 10);
    thr(1, 9, 0);
    thr(2, 194, 70);
    const thresholds = decodeAtaSmartThresholds(t.seal());
    expect(thresholds.checksumValid).toBe(true);
    expect(thresholds.thresholds.get(194)).toBe(70);
    const d = decodeAtaSmartData(smartData().seal(), thresholds);
    expect(d.attributes[0]).toMatchObject({ threshold: 10, failingNow: false, whenFailed: '' });
    expect(d.attributes[1]).toMatchObject({ threshold: 0, failingNow: false, failedInPast: false });
    expect(d.attributes[2]).toMatchObject({ threshold: 70, failingNow: true, whenFailed: 'FAILING_NOW' });
    expect(d.attributes[3]?.threshold).toBeUndefined();
    expect(d.attributes[3]?.whenFailed).toBeUndefined();
  });

  it("WHEN_FAILED 'In_the_past': worst at or below the threshold, current above it", () => {
    const t = new Sector().word(0, 0x10);
    t.b[2] = 194;
    t.b[3] = 55; // current 64 > 55 ≥ worst 50
    const d = decodeAtaSmartData(smartData().seal(), decodeAtaSmartThresholds(t.seal()));
    expect(d.attributes[2]).toMatchObject({
      threshold: 55,
      failingNow: false,
      failedInPast: true,
      whenFailed: 'In_the_past',
    });
  });

  it('names vendor-specific and reserved status values', () => {
    const s = smartData();
    s.b[362] = 0x45;
    s.b[363] = 0x90;
    const d = decodeAtaSmartData(s.seal());
    expect(d.offlineDataCollectionStatusName).toBe('vendor specific');
    expect(d.selfTestExecutionStatusName).toBe('reserved');
    s.b[362] = 0x01;
    expect(decodeAtaSmartData(s.seal()).offlineDataCollectionStatusName).toBe('reserved');
  });

  it('rejects anything shorter than 512 bytes', () => {
    expect(() => decodeAtaSmartData(new Uint8Array(362))).toThrowError(/smartData/);
    expect(() => decodeAtaSmartThresholds(new Uint8Array(0))).toThrowError(DecodeError);
  });
});

describe('fuzz', () => {
  it('random bytes either decode or throw DecodeError', () => {
    const arb = fc.oneof(
      fc.uint8Array({ maxLength: 600 }),
      fc.uint8Array({ minLength: 512, maxLength: 512 }),
    );
    fc.assert(
      fc.property(arb, (b) => {
        for (const decode of [decodeAtaIdentify, decodeAtaSmartData, decodeAtaSmartThresholds]) {
          try {
            decode(b);
          } catch (e) {
            if (!(e instanceof DecodeError)) throw e;
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});
