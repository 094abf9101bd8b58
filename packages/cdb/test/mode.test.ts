import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CdbBuildError, DecodeError } from '../src/errors.js';
import {
  applyModePageChanges,
  buildModeSelectData,
  decodeModePage,
  decodeModePages,
  decodeModeParameters,
  decodeModeSense6,
  decodeModeSense10,
  findModePage,
  type ModePage,
  ModeSelectDataParamsSchema,
} from '../src/pages/mode.js';
import {
  BACKGROUND_CONTROL_LAYOUT,
  CACHING_LAYOUT,
  CONTROL_EXTENSION_LAYOUT,
  CONTROL_LAYOUT,
  DISCONNECT_RECONNECT_LAYOUT,
  decodeApplicationTagPage,
  decodeBackgroundControlPage,
  decodeCachingPage,
  decodeControlExtensionPage,
  decodeControlPage,
  decodeDisconnectReconnectPage,
  decodeFormatPage,
  decodeInformationalExceptionsControlPage,
  decodeKnownModePage,
  decodeModePageFields,
  decodePowerConditionPage,
  decodeProtocolSpecificLuPage,
  decodeProtocolSpecificPortPage,
  decodeReadWriteErrorRecoveryPage,
  decodeRigidDiskGeometryPage,
  decodeSasLuPage,
  decodeSasPortPage,
  decodeVerifyErrorRecoveryPage,
  encodeApplicationTagPage,
  encodeCachingPage,
  encodeControlPage,
  encodeModePageFields,
  encodeSasPortPage,
  FORMAT_LAYOUT,
  fieldMask,
  INFORMATIONAL_EXCEPTIONS_CONTROL_LAYOUT,
  type ModePageLayout,
  POWER_CONDITION_LAYOUT,
  PROTOCOL_SPECIFIC_LU_LAYOUT,
  PROTOCOL_SPECIFIC_PORT_LAYOUT,
  READ_WRITE_ERROR_RECOVERY_LAYOUT,
  RIGID_DISK_GEOMETRY_LAYOUT,
  SAS_LU_LAYOUT,
  SAS_PORT_LAYOUT,
  VERIFY_ERROR_RECOVERY_LAYOUT,
} from '../src/pages/mode-pages.js';

const u8 = (...b: number[]) => new Uint8Array(b);
const cat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

// scsi_debug (drivers/scsi/scsi_debug.c) default pages, PC=current, as built by resp_*_pg().
const SD_ERR_RECOV = u8(0x01, 0x0a, 0xc0, 11, 240, 0, 0, 0, 5, 0, 0xff, 0xff);
const SD_DISCONNECT = u8(0x02, 0x0e, 128, 128, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
// sectors per track 32 (0x20) and 512-byte sectors patched in at bytes 10 and 12.
const SD_FORMAT = u8(0x03, 0x16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20, 0x02, 0, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 0);
const SD_CACHING = u8(
  0x08,
  18,
  0x14,
  0,
  0xff,
  0xff,
  0,
  0,
  0xff,
  0xff,
  0xff,
  0xff,
  0x80,
  0x14,
  0,
  0,
  0,
  0,
  0,
  0,
);
const SD_CONTROL = u8(0x0a, 10, 2, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x4b);
const SD_SAS_PORT = u8(0x19, 0x06, 0x06, 0x00, 0x07, 0xd0, 0x00, 0x00);
const SD_IEC = u8(0x1c, 0x0a, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0);
// PC=changeable values: caching only WCE, control D_SENSE+GLTSD, IEC TEST + MRIE.
const SD_CACHING_CHANGEABLE = u8(0x08, 18, 0x04, ...new Array<number>(17).fill(0));
const SD_CONTROL_CHANGEABLE = u8(0x0a, 10, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0);

const SD_PAGES = cat(SD_ERR_RECOV, SD_DISCONNECT, SD_FORMAT, SD_CACHING, SD_CONTROL, SD_SAS_PORT, SD_IEC);
// 8 MiB scsi_debug disk: 16384 blocks of 512 bytes; DPOFUA set, WP clear.
const SD_BLOCK_DESCRIPTOR = u8(0, 0, 0x40, 0, 0, 0, 0x02, 0);

/** MODE SENSE(6), page 3Fh, as scsi_debug answers it: header + 8-byte descriptor + 7 pages. */
function scsiDebugModeSense6(): Uint8Array {
  const body = cat(u8(0, 0, 0x10, 8), SD_BLOCK_DESCRIPTOR, SD_PAGES);
  body[0] = body.length - 1;
  return body;
}

/** MODE SENSE(10) with LLBAA: long descriptor, LONGLBA set. */
function scsiDebugModeSense10Long(): Uint8Array {
  const desc = u8(0, 0, 0, 0, 0, 0, 0x40, 0, 0, 0, 0, 0, 0, 0, 0x02, 0);
  const body = cat(u8(0, 0, 0, 0x10, 0x01, 0, 0, 16), desc, SD_CACHING);
  body[1] = body.length - 2;
  return body;
}

describe('decodeModeParameters: header and block descriptors (SPC-6 Tables 453-455, SBC-5 Tables 180-181)', () => {
  it('decodes the scsi_debug MODE SENSE(6) all-pages answer', () => {
    const m = decodeModeSense6(scsiDebugModeSense6());
    expect(m.header).toEqual({
      modeDataLength: 115,
      mediumType: 0,
      deviceSpecificParameter: 0x10,
      wp: false,
      dpofua: true,
      longlba: false,
      blockDescriptorLength: 8,
    });
    expect(m.truncated).toBe(false);
    expect(m.requiredLength).toBe(116);
    expect(m.availableLength).toBe(116);
    expect(m.blockDescriptors).toHaveLength(1);
    const bd = m.blockDescriptors[0];
    expect(bd?.kind).toBe('short');
    if (bd?.kind === 'short') {
      expect(bd.numberOfBlocks).toBe(16384);
      expect(bd.blockLength).toBe(512);
      expect(bd.densityCode).toBe(0);
      expect(bd.densityNumberOfBlocks).toBe(16384);
    }
    expect(m.pages.map((p) => p.pageCode)).toEqual([0x01, 0x02, 0x03, 0x08, 0x0a, 0x19, 0x1c]);
    expect(m.pages.every((p) => p.fields !== undefined)).toBe(true);
    expect(m.pages.map((p) => p.fields?.page)).toEqual([
      'readWriteErrorRecovery',
      'disconnectReconnect',
      'format',
      'caching',
      'control',
      'sasPort',
      'informationalExceptionsControl',
    ]);
  });

  it('decodes a long LBA descriptor from MODE SENSE(10) with LONGLBA', () => {
    const m = decodeModeSense10(scsiDebugModeSense10Long());
    expect(m.header.longlba).toBe(true);
    expect(m.header.blockDescriptorLength).toBe(16);
    expect(m.blockDescriptors[0]).toMatchObject({
      kind: 'long',
      numberOfLogicalBlocks: 16384n,
      blockLength: 512,
    });
    expect(findModePage(m, 0x08)?.fields).toMatchObject({ page: 'caching', wce: true });
  });

  it('reports WP for a write-protected disk', () => {
    const data = scsiDebugModeSense6();
    data[2] = 0x90;
    expect(decodeModeSense6(data).header).toMatchObject({ wp: true, dpofua: true });
  });

  it('ignores bytes past MODE DATA LENGTH', () => {
    const data = cat(scsiDebugModeSense6(), u8(0xde, 0xad));
    const m = decodeModeParameters(data, { headerSize: 6 });
    expect(m.pages).toHaveLength(7);
    expect(m.availableLength).toBe(116);
  });

  it('keeps only complete pages when truncated by the allocation length, at every cut', () => {
    const full = scsiDebugModeSense6();
    const boundaries = [12, 24, 40, 64, 84, 96, 104, 116];
    for (let cut = 4; cut < full.length; cut++) {
      const m = decodeModeSense6(full.subarray(0, cut));
      expect(m.truncated).toBe(true);
      expect(m.requiredLength).toBe(116);
      expect(m.availableLength).toBe(cut);
      expect(m.pages).toHaveLength(boundaries.filter((b) => b > 12 && b <= cut).length);
      expect(m.blockDescriptors).toHaveLength(cut >= 12 ? 1 : 0);
    }
    const m10 = decodeModeSense10(scsiDebugModeSense10Long().subarray(0, 30));
    expect(m10).toMatchObject({ truncated: true, requiredLength: 44, availableLength: 30 });
    expect(m10.pages).toHaveLength(0);
  });

  it('throws DecodeError naming the field for short or inconsistent data', () => {
    expect(() => decodeModeSense6(u8(3, 0, 0))).toThrowError(/modeParameterHeader/);
    expect(() => decodeModeSense10(u8(0, 6, 0, 0, 0, 0))).toThrowError(DecodeError);
    expect(() => decodeModeSense6(u8(2, 0, 0, 0))).toThrowError(/modeDataLength/);
    expect(() => decodeModeSense6(u8(3, 0, 0, 8))).toThrowError(/blockDescriptorLength/);
    expect(() => decodeModeSense6(cat(u8(11, 0, 0, 4), new Uint8Array(8)))).toThrowError(
      /blockDescriptorLength/,
    );
    // Page length 0x0a runs past the 8 bytes of mode data.
    expect(() => decodeModeSense6(u8(7, 0, 0, 0, 0x08, 0x0a, 0, 0))).toThrowError(/pageLength/);
    // One trailing byte cannot be a page header.
    expect(() => decodeModeSense6(u8(4, 0, 0, 0, 0x08))).toThrowError(/pageLength/);
    expect(() => decodeModeParameters(u8(0), { headerSize: 7 as 6 })).toThrowError(/headerSize/);
  });

  it('decodes bare page sequences and single pages', () => {
    const { pages, truncated } = decodeModePages(SD_PAGES);
    expect(truncated).toBe(false);
    expect(pages).toHaveLength(7);
    expect(decodeModePages(SD_PAGES.subarray(0, 30))).toMatchObject({ truncated: true });
    expect(decodeModePages(SD_PAGES.subarray(0, 13)).pages).toHaveLength(1);
    const p = decodeModePage(SD_CACHING);
    expect(p).toMatchObject({ pageCode: 8, subpageCode: 0, spf: false, ps: false, pageLength: 18 });
    expect([...p.raw]).toEqual([...SD_CACHING]);
    expect(() => decodeModePage(SD_CACHING.subarray(0, 10))).toThrowError(/pageLength/);
  });

  it('reports fieldsError and keeps raw for a known page shorter than its layout', () => {
    const p = decodeModePage(u8(0x08, 0x0a, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    expect(p.fields).toBeUndefined();
    expect(p.fieldsError).toMatch(/fsw/);
    expect(p.raw).toHaveLength(12);
  });

  it('leaves vendor and unknown pages raw', () => {
    const p = decodeModePage(u8(0x80 | 0x30, 2, 0xaa, 0xbb));
    expect(p).toMatchObject({ pageCode: 0x30, ps: true });
    expect(p.fields).toBeUndefined();
    const cdla = decodeModePage(u8(0x4a, 0x03, 0x00, 0x04, 1, 2, 3, 4));
    expect(cdla).toMatchObject({ pageCode: 0x0a, subpageCode: 3, spf: true, pageLength: 4 });
    expect(cdla.fields).toBeUndefined();
  });
});

describe('typed mode pages', () => {
  it('read-write error recovery (SBC-5 Table 200), scsi_debug', () => {
    expect(decodeReadWriteErrorRecoveryPage(SD_ERR_RECOV)).toEqual({
      awre: true,
      arre: true,
      tb: false,
      rc: false,
      eer: false,
      per: false,
      dte: false,
      dcr: false,
      readRetryCount: 11,
      lbpere: false,
      mwr: 0,
      writeRetryCount: 5,
      recoveryTimeLimit: 0xffff,
    });
  });

  it('disconnect-reconnect (SPC-6 Table 460), scsi_debug', () => {
    expect(decodeDisconnectReconnectPage(SD_DISCONNECT)).toMatchObject({
      bufferFullRatio: 128,
      bufferEmptyRatio: 128,
      busInactivityLimit: 10,
      maximumBurstSize: 0,
      emdp: false,
      firstBurstSize: 0,
    });
  });

  it('format device (SBC-2), scsi_debug', () => {
    expect(decodeFormatPage(SD_FORMAT)).toMatchObject({
      tracksPerZone: 0,
      sectorsPerTrack: 32,
      dataBytesPerPhysicalSector: 512,
      ssec: false,
      hsec: true,
      rmb: false,
      surf: false,
    });
  });

  it('rigid disk geometry (SBC-2)', () => {
    const page = u8(
      0x04,
      0x16,
      0x01,
      0x02,
      0x03, // cylinders 0x010203
      16, // heads
      0,
      0,
      1,
      0,
      0,
      2,
      0,
      5, // device step rate
      0,
      0,
      9, // landing zone
      0x01, // RPL 1
      0x20,
      0,
      0x1c,
      0x20, // 7200 rpm
      0,
      0,
    );
    expect(decodeRigidDiskGeometryPage(page)).toEqual({
      numberOfCylinders: 0x010203,
      numberOfHeads: 16,
      startingCylinderForWritePrecompensation: 1,
      startingCylinderForReducedWriteCurrent: 2,
      deviceStepRate: 5,
      landingZoneCylinder: 9,
      rpl: 1,
      rotationalOffset: 0x20,
      mediumRotationRate: 7200,
    });
  });

  it('verify error recovery (SBC-5 Table 224)', () => {
    const page = u8(0x07, 0x0a, 0x04, 3, 0, 0, 0, 0, 0, 0, 0x01, 0xf4);
    expect(decodeVerifyErrorRecoveryPage(page)).toEqual({
      eer: false,
      per: true,
      dte: false,
      dcr: false,
      verifyRetryCount: 3,
      verifyRecoveryTimeLimit: 500,
    });
  });

  it('caching (SBC-5 Table 193), scsi_debug', () => {
    expect(decodeCachingPage(SD_CACHING)).toEqual({
      ic: false,
      abpf: false,
      cap: false,
      disc: true,
      size: false,
      wce: true,
      mf: false,
      rcd: false,
      demandReadRetentionPriority: 0,
      writeRetentionPriority: 0,
      disablePrefetchTransferLength: 0xffff,
      minimumPrefetch: 0,
      maximumPrefetch: 0xffff,
      maximumPrefetchCeiling: 0xffff,
      fsw: true,
      lbcss: false,
      dra: false,
      syncProg: 0,
      nvDis: false,
      numberOfCacheSegments: 20,
      cacheSegmentSize: 0,
    });
  });

  it('control (SPC-6 Table 450), scsi_debug', () => {
    expect(decodeControlPage(SD_CONTROL)).toMatchObject({
      tst: 0,
      dSense: false,
      gltsd: true,
      rlec: false,
      queueAlgorithmModifier: 0,
      qerr: 0,
      swp: false,
      ato: false,
      tas: false,
      autoloadMode: 0,
      busyTimeoutPeriod: 0,
      extendedSelfTestCompletionTime: 587,
    });
    const all = decodeControlPage(u8(0x0a, 10, 0xff, 0xfb, 0xf8, 0xff, 0, 0, 0xff, 0xff, 0, 1));
    expect(all).toEqual({
      tst: 7,
      tmfOnly: true,
      dpicz: true,
      dSense: true,
      gltsd: true,
      rlec: true,
      queueAlgorithmModifier: 15,
      nuar: true,
      qerr: 1,
      vs: true,
      rac: true,
      uaIntlck: 3,
      swp: true,
      ato: true,
      tas: true,
      atmpe: true,
      rwwp: true,
      sblp: true,
      autoloadMode: 7,
      busyTimeoutPeriod: 0xffff,
      extendedSelfTestCompletionTime: 1,
    });
  });

  it('control extension (SPC-6 Table 452)', () => {
    const page = new Uint8Array(32);
    page.set([0x4a, 0x01, 0x00, 0x1c, 0x05, 0x03, 252]);
    expect(decodeControlExtensionPage(page)).toEqual({
      dlc: false,
      tcmos: true,
      scsip: false,
      ialuae: true,
      initialCommandPriority: 3,
      maximumSenseDataLength: 252,
    });
    expect(decodeModePage(page).fields?.page).toBe('controlExtension');
    expect(() => decodeControlExtensionPage(SD_CONTROL)).toThrowError(/pageCode/);
  });

  it('application tag subpage (SBC-5 Table 187) round-trips', () => {
    const encoded = encodeApplicationTagPage({
      descriptors: [
        { last: false, logicalBlockApplicationTag: 0x1234, logicalBlockAddress: 0n, logicalBlockCount: 100n },
        {
          last: true,
          logicalBlockApplicationTag: 0xbeef,
          logicalBlockAddress: 100n,
          logicalBlockCount: 1n << 40n,
        },
      ],
    });
    expect(encoded).toHaveLength(64);
    expect([...encoded.subarray(0, 4)]).toEqual([0x4a, 0x02, 0x00, 60]);
    expect(encoded[40]).toBe(0x80);
    const d = decodeApplicationTagPage(encoded);
    expect(d.descriptors[1]).toEqual({
      last: true,
      logicalBlockApplicationTag: 0xbeef,
      logicalBlockAddress: 100n,
      logicalBlockCount: 1n << 40n,
    });
    expect(decodeKnownModePage(encoded)?.page).toBe('applicationTag');
    expect(() => decodeApplicationTagPage(encoded.subarray(0, 50))).toThrowError(/pageLength/);
    expect(() =>
      decodeApplicationTagPage(u8(0x4a, 0x02, 0, 13, ...new Array<number>(13).fill(0))),
    ).toThrowError(/pageLength/);
    expect(() =>
      encodeApplicationTagPage({
        descriptors: [
          { last: true, logicalBlockApplicationTag: 0x10000, logicalBlockAddress: 0n, logicalBlockCount: 0n },
        ],
      }),
    ).toThrowError(/descriptors\[0\]\.logicalBlockApplicationTag/);
  });

  it('power condition (SPC-6 Table 480)', () => {
    const page = new Uint8Array(40);
    page.set([0x1a, 0x26, 0x81, 0x0b, 0, 0, 0, 20, 0, 0, 0x0b, 0xb8]);
    page.set([0, 0, 0x17, 0x70], 12);
    page[39] = 0x94; // ccfIdle 2, ccfStandby 1, ccfStopped 1
    expect(decodePowerConditionPage(page)).toEqual({
      pmBgPrecedence: 2,
      standbyY: true,
      idleC: true,
      idleB: false,
      idleA: true,
      standbyZ: true,
      idleAConditionTimer: 20,
      standbyZConditionTimer: 3000,
      idleBConditionTimer: 6000,
      idleCConditionTimer: 0,
      standbyYConditionTimer: 0,
      ccfIdle: 2,
      ccfStandby: 1,
      ccfStopped: 1,
    });
  });

  it('informational exceptions control (SPC-6 Table 483), scsi_debug', () => {
    expect(decodeInformationalExceptionsControlPage(SD_IEC)).toEqual({
      perf: false,
      ebf: false,
      ewasc: false,
      dexcpt: true,
      test: false,
      ebackerr: false,
      logerr: false,
      mrie: 0,
      intervalTimer: 0,
      reportCount: 0,
    });
  });

  it('background control subpage (SBC-5 Table 191)', () => {
    const page = u8(0x5c, 0x01, 0x00, 0x0c, 0x01, 0x01, 0, 24, 0, 0, 0x01, 0xf4, 0, 100);
    expect(() => decodeBackgroundControlPage(page)).toThrowError(DecodeError);
    const full = cat(page, u8(0, 0));
    expect(decodeBackgroundControlPage(full)).toEqual({
      sLFull: false,
      lowir: false,
      enBms: true,
      enPs: true,
      backgroundMediumScanIntervalTime: 24,
      backgroundPrescanTimeLimit: 0,
      minimumIdleTimeBeforeBackgroundScan: 500,
      maximumTimeToSuspendBackgroundScan: 100,
    });
  });

  it('protocol specific port and LU pages: SAS fields when the protocol is SAS', () => {
    expect(decodeSasPortPage(SD_SAS_PORT)).toEqual({
      continueAwt: false,
      broadcastAsynchronousEvent: false,
      readyLedMeaning: false,
      protocolIdentifier: 6,
      iTNexusLossTime: 2000,
      initiatorResponseTimeout: 0,
    });
    expect(decodeProtocolSpecificPortPage(SD_SAS_PORT)).toEqual({ protocolIdentifier: 6 });
    const fcp = u8(0x19, 0x06, 0x00, 0, 0, 0, 0, 0);
    expect(() => decodeSasPortPage(fcp)).toThrowError(/protocolIdentifier/);
    expect(decodeModePage(fcp).fields).toEqual({ page: 'protocolSpecificPort', protocolIdentifier: 0 });
    const sasLu = u8(0x18, 0x06, 0x16, 0, 0, 0, 0, 0);
    expect(decodeSasLuPage(sasLu)).toEqual({ tlr: true, protocolIdentifier: 6 });
    expect(decodeProtocolSpecificLuPage(sasLu)).toEqual({ protocolIdentifier: 6 });
    expect(decodeModePage(sasLu).fields?.page).toBe('sasLu');
    const long = encodeSasPortPage({ iTNexusLossTime: 2000, rejectToOpenLimit: 7, maximumAllowedXferRdy: 3 });
    expect(long).toHaveLength(16);
    expect(decodeSasPortPage(long)).toMatchObject({
      protocolIdentifier: 6,
      rejectToOpenLimit: 7,
      maximumAllowedXferRdy: 3,
    });
  });

  it('every page decoder names the missing field on truncated pages', () => {
    // [decoder, page, bytes the layout needs (end of its last field)]
    const cases: Array<[(b: Uint8Array) => unknown, Uint8Array, number]> = [
      [decodeReadWriteErrorRecoveryPage, SD_ERR_RECOV, 12],
      [decodeDisconnectReconnectPage, SD_DISCONNECT, 16],
      [decodeFormatPage, SD_FORMAT, 21],
      [decodeCachingPage, SD_CACHING, 16],
      [decodeControlPage, SD_CONTROL, 12],
      [decodeSasPortPage, SD_SAS_PORT, 8],
      [decodeInformationalExceptionsControlPage, SD_IEC, 12],
    ];
    for (const [decode, page, needed] of cases) {
      for (let cut = 0; cut < page.length; cut++) {
        expect(() => decode(page.subarray(0, cut))).toThrowError(DecodeError);
      }
      // PAGE LENGTH consistent with the bytes, but too short for the last field.
      const short = page.slice(0, needed - 1);
      short[1] = short.length - 2;
      expect(() => decode(short)).toThrowError(DecodeError);
    }
  });
});

describe('encoders', () => {
  it('flip WCE on the scsi_debug caching page, everything else as it was', () => {
    const out = encodeCachingPage({ wce: false }, SD_CACHING);
    const expected = SD_CACHING.slice();
    expected[2] = 0x10;
    expect([...out]).toEqual([...expected]);
    expect(out).not.toBe(SD_CACHING);
  });

  it('clears PS and builds standard-length pages without a base', () => {
    const withPs = SD_CONTROL.slice();
    withPs[0] = 0x8a;
    expect(encodeControlPage({ dSense: true }, withPs)[0]).toBe(0x0a);
    const fresh = encodeControlPage({ dSense: true, extendedSelfTestCompletionTime: 600 });
    expect([...fresh]).toEqual([0x0a, 10, 0x04, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x58]);
  });

  it('range-checks fields, naming them', () => {
    expect(() => encodeCachingPage({ numberOfCacheSegments: 256 })).toThrowError(CdbBuildError);
    expect(() => encodeCachingPage({ numberOfCacheSegments: 256 })).toThrowError(/numberOfCacheSegments/);
    expect(() => encodeCachingPage({ demandReadRetentionPriority: 16 })).toThrowError(
      /demandReadRetentionPriority/,
    );
    expect(() => encodeCachingPage({ wce: 1 as unknown as boolean })).toThrowError(/wce: must be a boolean/);
    expect(() => encodeCachingPage({ wce: true }, SD_CONTROL)).toThrowError(/base/);
    // An optional field that does not fit a short base page.
    expect(() => encodeSasPortPage({ rejectToOpenLimit: 1 }, SD_SAS_PORT)).toThrowError(/rejectToOpenLimit/);
  });

  const layouts: ModePageLayout[] = [
    READ_WRITE_ERROR_RECOVERY_LAYOUT,
    DISCONNECT_RECONNECT_LAYOUT,
    FORMAT_LAYOUT,
    RIGID_DISK_GEOMETRY_LAYOUT,
    VERIFY_ERROR_RECOVERY_LAYOUT,
    CACHING_LAYOUT,
    CONTROL_LAYOUT,
    CONTROL_EXTENSION_LAYOUT,
    PROTOCOL_SPECIFIC_LU_LAYOUT,
    SAS_LU_LAYOUT,
    PROTOCOL_SPECIFIC_PORT_LAYOUT,
    SAS_PORT_LAYOUT,
    POWER_CONDITION_LAYOUT,
    INFORMATIONAL_EXCEPTIONS_CONTROL_LAYOUT,
    BACKGROUND_CONTROL_LAYOUT,
  ];

  /** A standard-length page with random values in every field bit and zero elsewhere. */
  function randomPage(layout: ModePageLayout, noise: Uint8Array): Uint8Array {
    const page = new Uint8Array(layout.standardLength);
    for (const spec of Object.values(layout.fields)) {
      for (const [offset, mask] of fieldMask(spec)) {
        page[offset] = (page[offset] as number) | ((noise[offset] as number) & mask);
      }
    }
    if (layout.spf) {
      page[0] = 0x40 | layout.pageCode;
      page[1] = layout.subpageCode;
      page[2] = 0;
      page[3] = page.length - 4;
    } else {
      page[0] = layout.pageCode;
      page[1] = page.length - 2;
    }
    return page;
  }

  it('property: encode(decode(page)) reproduces the page bytes for every layout', () => {
    for (const layout of layouts) {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), (noise) => {
          const page = randomPage(layout, noise);
          const fields = decodeModePageFields(layout, page);
          expect([...encodeModePageFields(layout, fields)]).toEqual([...page]);
          // With the page as base, reserved/vendor bits survive as well.
          const dirty = noise.slice(0, page.length);
          dirty.set(page.subarray(0, layout.spf ? 4 : 2));
          expect([...encodeModePageFields(layout, decodeModePageFields(layout, dirty), dirty)]).toEqual([
            ...dirty,
          ]);
        }),
        { numRuns: 200 },
      );
    }
  });
});

describe('buildModeSelectData (SPC-6 7.5)', () => {
  it('MODE SELECT(6) with the caching page: mode data length 0, DSP 0, PS cleared', () => {
    const current = decodeModePage(cat(u8(0x88), SD_CACHING.subarray(1)));
    expect(current.ps).toBe(true);
    const data = buildModeSelectData({ headerSize: 6, pages: [current] });
    expect([...data]).toEqual([0, 0, 0, 0, ...SD_CACHING]);
  });

  it('MODE SELECT(10) with a long LBA block descriptor sets LONGLBA', () => {
    const data = buildModeSelectData({
      headerSize: 10,
      blockDescriptors: [{ kind: 'long', numberOfLogicalBlocks: 0x1_0000_0000n, blockLength: 4096 }],
      pages: [SD_CONTROL],
    });
    expect([...data]).toEqual([
      0,
      0,
      0,
      0,
      1,
      0,
      0,
      16,
      0,
      0,
      0,
      1,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0x10,
      0,
      ...SD_CONTROL,
    ]);
  });

  it('MODE SELECT(6) with short and general block descriptors', () => {
    expect([
      ...buildModeSelectData({
        headerSize: 6,
        blockDescriptors: [{ kind: 'short', numberOfBlocks: 16384, blockLength: 512 }],
      }),
    ]).toEqual([0, 0, 0, 8, ...SD_BLOCK_DESCRIPTOR]);
    expect([
      ...buildModeSelectData({
        headerSize: 6,
        mediumType: 0,
        deviceSpecificParameter: 0x10,
        blockDescriptors: [
          { kind: 'general', densityCode: 0x44, densityNumberOfBlocks: 0, blockLength: 0x40000 },
        ],
      }),
    ]).toEqual([0, 0, 0x10, 8, 0x44, 0, 0, 0, 0, 0x04, 0, 0]);
  });

  it('sends a decoded block descriptor back unchanged', () => {
    const m = decodeModeSense6(scsiDebugModeSense6());
    const bd = m.blockDescriptors[0];
    if (bd?.kind !== 'short') throw new Error('expected short descriptor');
    const data = buildModeSelectData({ headerSize: 6, blockDescriptors: [bd] });
    expect([...data.subarray(4)]).toEqual([...bd.raw]);
  });

  it('rejects what MODE SELECT cannot carry, naming the parameter', () => {
    expect(() =>
      buildModeSelectData({
        headerSize: 6,
        blockDescriptors: [{ kind: 'long', numberOfLogicalBlocks: 1n, blockLength: 512 }],
      }),
    ).toThrowError(/blockDescriptors/);
    expect(() =>
      buildModeSelectData({
        headerSize: 10,
        blockDescriptors: [
          { kind: 'long', numberOfLogicalBlocks: 1n, blockLength: 512 },
          { kind: 'short', numberOfBlocks: 1, blockLength: 512 },
        ],
      }),
    ).toThrowError(/blockDescriptors\[1\]\.kind/);
    expect(() => buildModeSelectData({ headerSize: 6, pages: [SD_CACHING.subarray(0, 10)] })).toThrowError(
      /pages\[0\]/,
    );
    expect(() => buildModeSelectData({ headerSize: 6, pages: new Array(13).fill(SD_CACHING) })).toThrowError(
      /pages.*255/,
    );
    expect(() =>
      buildModeSelectData({
        headerSize: 6,
        blockDescriptors: [{ kind: 'short', numberOfBlocks: 2 ** 32, blockLength: 512 }],
      }),
    ).toThrowError(/blockDescriptors\[0\]\.numberOfBlocks/);
    expect(() => buildModeSelectData({ headerSize: 6, mediumType: 256 })).toThrowError(/mediumType/);
    expect(() => buildModeSelectData({ headerSize: 8 as 6 })).toThrowError(/headerSize/);
  });

  it('has a zod schema for the API boundary', () => {
    expect(ModeSelectDataParamsSchema.safeParse({ headerSize: 6, pages: [SD_CACHING] }).success).toBe(true);
    expect(ModeSelectDataParamsSchema.safeParse({ headerSize: 7 }).success).toBe(false);
    expect(
      ModeSelectDataParamsSchema.safeParse({
        headerSize: 10,
        blockDescriptors: [{ kind: 'long', numberOfLogicalBlocks: 5n, blockLength: 512 }],
      }).success,
    ).toBe(true);
  });
});

describe('applyModePageChanges', () => {
  const current = decodeModePage(SD_CACHING);
  const changeable = decodeModePage(SD_CACHING_CHANGEABLE);

  it('flips WCE when the device allows it, and MODE SELECT carries the result', () => {
    const next = applyModePageChanges(current, changeable, { wce: false });
    expect(next.fields).toMatchObject({ page: 'caching', wce: false, fsw: true, numberOfCacheSegments: 20 });
    expect(next.raw[2]).toBe(0x10);
    const data = buildModeSelectData({ headerSize: 10, pages: [next] });
    expect([...data]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, ...next.raw]);
  });

  it('accepts a value equal to the current one even when not changeable', () => {
    const next = applyModePageChanges(current, changeable, { disc: true, fsw: true });
    expect([...next.raw]).toEqual([...SD_CACHING]);
  });

  it('throws CdbBuildError naming a non-changeable field', () => {
    expect(() => applyModePageChanges(current, changeable, { rcd: true })).toThrowError(CdbBuildError);
    expect(() => applyModePageChanges(current, changeable, { rcd: true })).toThrowError(
      /^rcd: is not changeable/,
    );
    expect(() => applyModePageChanges(current, changeable, { numberOfCacheSegments: 4 })).toThrowError(
      /numberOfCacheSegments/,
    );
  });

  it('rejects unknown fields, mismatched masks and pages without a layout', () => {
    expect(() => applyModePageChanges(current, changeable, { bogus: 1 })).toThrowError(
      /^bogus: is not a field/,
    );
    const ctl = decodeModePage(SD_CONTROL);
    expect(() => applyModePageChanges(current, ctl, { wce: false })).toThrowError(/changeable/);
    const vendor: ModePage = decodeModePage(u8(0x30, 2, 0, 0));
    expect(() => applyModePageChanges(vendor, vendor, { x: 1 })).toThrowError(/no field layout/);
  });

  it('sets D_SENSE on the control page (scsi_debug allows D_SENSE and GLTSD)', () => {
    const next = applyModePageChanges(decodeModePage(SD_CONTROL), decodeModePage(SD_CONTROL_CHANGEABLE), {
      dSense: true,
      gltsd: false,
    });
    expect(next.raw[2]).toBe(0x04);
    expect(() =>
      applyModePageChanges(decodeModePage(SD_CONTROL), decodeModePage(SD_CONTROL_CHANGEABLE), { swp: true }),
    ).toThrowError(/^swp/);
  });
});

describe('fuzz: decoders only return or throw DecodeError; builders only build or throw CdbBuildError', () => {
  const decoders: Array<[string, (b: Uint8Array) => unknown]> = [
    ['decodeModeSense6', decodeModeSense6],
    ['decodeModeSense10', decodeModeSense10],
    ['decodeModePages', decodeModePages],
    ['decodeModePage', decodeModePage],
    ['decodeKnownModePage', decodeKnownModePage],
    ['decodeReadWriteErrorRecoveryPage', decodeReadWriteErrorRecoveryPage],
    ['decodeDisconnectReconnectPage', decodeDisconnectReconnectPage],
    ['decodeFormatPage', decodeFormatPage],
    ['decodeRigidDiskGeometryPage', decodeRigidDiskGeometryPage],
    ['decodeVerifyErrorRecoveryPage', decodeVerifyErrorRecoveryPage],
    ['decodeCachingPage', decodeCachingPage],
    ['decodeControlPage', decodeControlPage],
    ['decodeControlExtensionPage', decodeControlExtensionPage],
    ['decodeApplicationTagPage', decodeApplicationTagPage],
    ['decodeProtocolSpecificLuPage', decodeProtocolSpecificLuPage],
    ['decodeSasLuPage', decodeSasLuPage],
    ['decodeProtocolSpecificPortPage', decodeProtocolSpecificPortPage],
    ['decodeSasPortPage', decodeSasPortPage],
    ['decodePowerConditionPage', decodePowerConditionPage],
    ['decodeInformationalExceptionsControlPage', decodeInformationalExceptionsControlPage],
    ['decodeBackgroundControlPage', decodeBackgroundControlPage],
  ];

  const onlyDecodeError = (decode: (b: Uint8Array) => unknown) => (b: Uint8Array) => {
    try {
      decode(b);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
    }
  };

  for (const [name, decode] of decoders) {
    it(name, () => {
      fc.assert(fc.property(fc.uint8Array({ maxLength: 160 }), onlyDecodeError(decode)), { numRuns: 1000 });
      // Plausible headers with random pages behind them reach the page walker.
      fc.assert(
        fc.property(
          fc.uint8Array({ minLength: 8, maxLength: 200 }),
          fc.integer({ min: 0, max: 255 }),
          (b, mdl) => {
            const d = b.slice();
            d[0] = Math.min(mdl, d.length + 4);
            d[3] = (d[3] as number) & 0x18;
            onlyDecodeError(decode)(d);
          },
        ),
        { numRuns: 500 },
      );
    });
  }

  it('decodes pages assembled from random known-page bodies without throwing other errors', () => {
    const codes = [0x01, 0x02, 0x03, 0x04, 0x07, 0x08, 0x0a, 0x18, 0x19, 0x1a, 0x1c];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...codes), fc.uint8Array({ maxLength: 40 })), { maxLength: 6 }),
        (parts) => {
          const pages = parts.map(([code, body]) => cat(u8(code, body.length), body));
          const data = cat(u8(0, 0, 0, 0), ...pages);
          data[0] = Math.min(255, data.length - 1);
          onlyDecodeError(decodeModeSense6)(data);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('buildModeSelectData', () => {
    const descriptor = fc.oneof(
      fc.record({
        kind: fc.constant('short' as const),
        numberOfBlocks: fc.double(),
        blockLength: fc.integer(),
      }),
      fc.record({
        kind: fc.constant('general' as const),
        densityCode: fc.integer({ min: -1, max: 300 }),
        densityNumberOfBlocks: fc.integer({ min: -1, max: 2 ** 25 }),
        blockLength: fc.integer({ min: -1, max: 2 ** 25 }),
      }),
      fc.record({
        kind: fc.constant('long' as const),
        numberOfLogicalBlocks: fc.bigInt({ min: -1n, max: 1n << 65n }),
        blockLength: fc.integer({ min: -1, max: 2 ** 33 }),
      }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(6 as const, 10 as const),
        fc.array(descriptor, { maxLength: 3 }),
        fc.array(fc.uint8Array({ maxLength: 80 }), { maxLength: 5 }),
        fc.integer({ min: -1, max: 300 }),
        (headerSize, blockDescriptors, pages, mediumType) => {
          try {
            buildModeSelectData({ headerSize, blockDescriptors, pages, mediumType });
          } catch (e) {
            if (!(e instanceof CdbBuildError)) throw e;
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('applyModePageChanges and encoders', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('wce', 'rcd', 'numberOfCacheSegments', 'cacheSegmentSize', 'nope', 'syncProg'),
        fc.oneof(fc.boolean(), fc.integer({ min: -5, max: 70000 }), fc.bigInt({ min: 0n, max: 5n })),
        fc.uint8Array({ minLength: 20, maxLength: 20 }),
        (field, value, mask) => {
          mask[0] = 0x08;
          mask[1] = 18;
          try {
            applyModePageChanges(decodeModePage(SD_CACHING), decodeModePage(mask), { [field]: value });
          } catch (e) {
            if (!(e instanceof CdbBuildError)) throw e;
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
