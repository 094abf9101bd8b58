import { describe, expect, it } from 'vitest';
import {
  DecodeError,
  decodeDataCompressionPage,
  decodeDeviceConfigurationPage,
  decodeModeSense6,
  decodeReadBlockLimits,
  decodeReadBlockLimitsMloi,
  decodeReadPositionExtended,
  decodeReadPositionLong,
  decodeReadPositionShort,
  decodeReportDensitySupport,
  decodeSense,
  decodeTapeAlertPage,
  decodeTapeBlockDescriptor,
  decodeTapeDeviceSpecificParameter,
  TAPE_ALERT_FLAGS,
} from '../src/index.js';

const hexBytes = (s: string) =>
  Uint8Array.from(
    s
      .trim()
      .split(/\s+/u)
      .map((x) => Number.parseInt(x, 16)),
  );

describe('SSC-5 answers', () => {
  it('READ POSITION short form: as the Linux 7.3 scsi_debug tape answers after 7 objects', () => {
    const p = decodeReadPositionShort(
      hexBytes('00 00 00 00 00 00 00 07 00 00 00 07 00 00 00 00 00 00 00 00'),
    );
    expect(p).toMatchObject({
      form: 'short',
      bop: false,
      eop: false,
      partition: 0,
      firstLocation: 7,
      lastLocation: 7,
    });
    const bop = decodeReadPositionShort(
      hexBytes('80 01 00 00 00 00 00 00 00 00 00 00 00 00 00 02 00 00 01 00'),
    );
    expect(bop).toMatchObject({ bop: true, partition: 1, objectsInBuffer: 2, bytesInBuffer: 256 });
    expect(() => decodeReadPositionShort(new Uint8Array(19))).toThrow(DecodeError);
  });

  it('READ POSITION long and extended forms', () => {
    const long = new Uint8Array(32);
    long[0] = 0x84; // BOP, LONU
    long[7] = 1;
    long[15] = 9;
    long[23] = 2;
    expect(decodeReadPositionLong(long)).toMatchObject({
      bop: true,
      lonu: true,
      mpu: false,
      partition: 1,
      logicalObjectNumber: 9n,
      logicalFileIdentifier: 2n,
    });
    const ext = new Uint8Array(32);
    ext[0] = 0x40;
    ext[3] = 0x1c;
    ext[7] = 3;
    ext[15] = 5;
    ext[23] = 6;
    ext[31] = 0x80;
    expect(decodeReadPositionExtended(ext)).toMatchObject({
      eop: true,
      objectsInBuffer: 3,
      firstLocation: 5n,
      lastLocation: 6n,
      bytesInBuffer: 128n,
    });
    expect(() => decodeReadPositionLong(new Uint8Array(31))).toThrow(DecodeError);
  });

  it('READ BLOCK LIMITS: scsi_debug’s answer, and the MLOI form', () => {
    expect(decodeReadBlockLimits(hexBytes('04 10 00 00 02 00'))).toEqual({
      granularity: 4,
      maximumBlockLength: 0x100000,
      minimumBlockLength: 512,
    });
    const mloi = new Uint8Array(20);
    mloi[19] = 0xff;
    mloi[18] = 0x01;
    expect(decodeReadBlockLimitsMloi(mloi).maximumLogicalObjectIdentifier).toBe(0x1ffn);
    expect(() => decodeReadBlockLimits(new Uint8Array(5))).toThrow(DecodeError);
  });

  it('REPORT DENSITY SUPPORT: density descriptors; a cut descriptor is left out', () => {
    const d = new Uint8Array(4 + 52);
    d[1] = 54;
    d[4] = 0x58;
    d[5] = 0x58;
    d[6] = 0xa1; // WRTOK, DEFLT, DLV
    d[11] = 0x4e; // bits per mm 0x4e
    d[13] = 127; // media width
    d[15] = 4; // tracks
    d.set([0, 0, 0x05, 0xdc], 16); // 1500 MB
    d.set(Buffer.from('LTO-CVE ', 'ascii'), 20);
    d.set(Buffer.from('U-516   ', 'ascii'), 28);
    d.set(Buffer.from('Ultrium 5/16T       ', 'ascii'), 36);
    const r = decodeReportDensitySupport(d);
    expect(r).toMatchObject({ kind: 'density', truncated: false, requiredLength: 56 });
    expect(r.densities[0]).toMatchObject({
      primaryDensityCode: 0x58,
      wrtok: true,
      dup: false,
      deflt: true,
      dlv: true,
      bitsPerMm: 0x4e,
      mediaWidth: 127,
      tracks: 4,
      capacity: 1500,
      assigningOrganization: 'LTO-CVE',
      densityName: 'U-516',
      description: 'Ultrium 5/16T',
    });
    const cut = decodeReportDensitySupport(d.subarray(0, 40));
    expect(cut).toMatchObject({ truncated: true, densities: [] });
    const m = new Uint8Array(4 + 56);
    m[1] = 58;
    m[4] = 0x18;
    m[8] = 2;
    m[9] = 0x58;
    m[10] = 0x46;
    expect(decodeReportDensitySupport(m, { mediumType: true }).mediumTypes[0]).toMatchObject({
      mediumType: 0x18,
      densityCodes: [0x58, 0x46],
    });
    expect(() => decodeReportDensitySupport(new Uint8Array(3))).toThrow(DecodeError);
  });

  it('mode parameters of a tape: scsi_debug’s MODE SENSE(6) of page 0Fh', () => {
    // The whole answer contradicts itself: page 0Fh says 16 bytes, MODE DATA LENGTH leaves 14.
    const answer = hexBytes('19 00 00 08 00 00 80 00 00 00 00 00 0f 0e 40 00 00 00 00 00 00 00 00 00 00 00');
    expect(() => decodeModeSense6(answer)).toThrow(DecodeError);
    // Header and block descriptor alone (allocation length 12, as device.tape.mode() asks).
    const m = decodeModeSense6(answer.subarray(0, 12));
    expect(m.truncated).toBe(true);
    expect(decodeTapeDeviceSpecificParameter(m.header.deviceSpecificParameter)).toEqual({
      wp: false,
      bufferedMode: 0,
      speed: 0,
    });
    const bd = m.blockDescriptors[0];
    expect(bd).toBeDefined();
    expect(decodeTapeBlockDescriptor(bd?.raw ?? new Uint8Array(8))).toEqual({
      densityCode: 0,
      numberOfBlocks: 0x8000,
      blockLength: 0,
      mode: 'variable',
    });
    expect(decodeTapeBlockDescriptor(hexBytes('58 00 00 00 00 00 02 00'))).toMatchObject({
      mode: 'fixed',
      blockLength: 512,
    });
    expect(decodeTapeDeviceSpecificParameter(0x93)).toEqual({ wp: true, bufferedMode: 1, speed: 3 });
    const page = hexBytes('0f 0e 40 00 00 00 00 00 00 00 00 00 00 00 00 00');
    expect(decodeDataCompressionPage(page)).toEqual({
      dce: false,
      dcc: true,
      dde: false,
      red: 0,
      compressionAlgorithm: 0,
      decompressionAlgorithm: 0,
    });
  });

  it('Device Configuration page 10h; the wrong page or a short one is a DecodeError', () => {
    const p = hexBytes('10 0e 60 01 02 03 00 0a ff 04 f7 00 10 00 01 07');
    expect(decodeDeviceConfigurationPage(p)).toMatchObject({
      cap: true,
      caf: true,
      activeFormat: 0,
      activePartition: 1,
      writeObjectBufferFullRatio: 2,
      readObjectBufferEmptyRatio: 3,
      writeDelayTime: 10,
      obr: true,
      lois: true,
      rsmk: true,
      avc: 3,
      socf: 3,
      robo: true,
      gapSize: 4,
      eodDefined: 7,
      eeg: true,
      sew: false,
      swp: true,
      baml: true,
      bam: true,
      objectBufferSizeAtEarlyWarning: 0x1000,
      selectDataCompressionAlgorithm: 1,
      asocwp: true,
      perswp: true,
      prmwp: true,
    });
    expect(() => decodeDeviceConfigurationPage(hexBytes('0f 0e 00 00'))).toThrow(DecodeError);
    expect(() => decodeDataCompressionPage(p)).toThrow(DecodeError);
    expect(() => decodeDeviceConfigurationPage(p.subarray(0, 12))).toThrow(DecodeError);
  });

  it('TapeAlert (log page 2Eh): 64 named flags, the set ones', () => {
    expect(TAPE_ALERT_FLAGS).toHaveLength(64);
    expect(TAPE_ALERT_FLAGS[0]).toBe('Read warning');
    expect(TAPE_ALERT_FLAGS[0x14 - 1]).toBe('Cleaning required');
    expect(TAPE_ALERT_FLAGS[0x3d - 1]).toBe('Encryption policy violation');
    const body: number[] = [];
    for (let f = 1; f <= 64; f++) body.push(0, f, 0x03, 1, f === 3 || f === 0x14 ? 1 : 0);
    const page = Uint8Array.from([0x2e, 0, (body.length >> 8) & 0xff, body.length & 0xff, ...body]);
    const r = decodeTapeAlertPage(page);
    expect(r.flags).toHaveLength(64);
    expect(r.active.map((f) => [f.flag, f.name])).toEqual([
      [3, 'Hard error'],
      [20, 'Cleaning required'],
    ]);
    expect(r.truncated).toBe(false);
    expect(decodeTapeAlertPage(page.subarray(0, 4 + 5 * 10)).truncated).toBe(true);
    expect(() => decodeTapeAlertPage(Uint8Array.from([0x0d, 0, 0, 0]))).toThrow(DecodeError);
  });

  it('sense: the filemark, ILI and EOD answers scsi_debug’s tape gives, with the residue', () => {
    // READ(6) of 2048 bytes at a filemark (VALID, FILEMARK, INFORMATION 2048, 00h/01h).
    const fm = decodeSense(hexBytes('f0 00 80 00 00 08 00 0a 00 00 00 00 00 01 00 00 00 00'));
    expect(fm).toMatchObject({
      valid: true,
      filemark: true,
      eom: false,
      ili: false,
      information: 2048n,
      asc: 0,
      ascq: 1,
    });
    // A 1024-byte block read with 2048 asked: ILI, residue 1024.
    const ili = decodeSense(hexBytes('f0 00 20 00 00 04 00 0a 00 00 00 00 00 00 00 00 00 00'));
    expect(ili).toMatchObject({ ili: true, information: 1024n, senseKey: 0 });
    // End of data: BLANK CHECK 00h/05h.
    const eod = decodeSense(hexBytes('f0 00 08 00 00 02 00 0a 00 00 00 00 00 05 00 00 00 00'));
    expect(eod).toMatchObject({ senseKey: 8, asc: 0, ascq: 5, information: 512n });
  });
});
