import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../src/errors.js';
import {
  decodeStandardInquiry,
  inquiryVersionName,
  peripheralTypeName,
  tpgsName,
  versionDescriptorName,
} from '../src/pages/inquiry.js';

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

/**
 * scsi_debug's standard INQUIRY answer (drivers/scsi/scsi_debug.c resp_inquiry, default parameters,
 * disk): 96 bytes, VERSION 7 (SPC-5), implicit TPGS, MULTIP, LINKED+CMDQUE, driver date in the vendor
 * specific bytes, version descriptors SAM-6, SPC-5, SBC-4, SPL-4 (all "no version claimed").
 */
function scsiDebugInquiry(): Uint8Array {
  const b = new Uint8Array(96);
  b.set([0x00, 0x00, 0x07, 0x02, 96 - 5, 0x10, 0x10, 0x0a]);
  b.set(ascii('Linux   '), 8);
  b.set(ascii('scsi_debug      '), 16);
  b.set(ascii('0191'), 32);
  b.set(ascii('20210520'), 36);
  b.set([0x00, 0xc0, 0x05, 0xc0, 0x06, 0x00, 0x21, 0x00], 58);
  return b;
}

describe('decodeStandardInquiry (SPC-6 Table 148)', () => {
  it('decodes scsi_debug', () => {
    const inq = decodeStandardInquiry(scsiDebugInquiry());
    expect(inq).toMatchObject({
      peripheralQualifier: 0,
      peripheralDeviceType: 0,
      peripheralDeviceTypeName: 'direct access block device',
      rmb: false,
      luCong: false,
      hotPluggable: 0,
      version: 7,
      versionName: 'SPC-5',
      normaca: false,
      hisup: false,
      responseDataFormat: 2,
      additionalLength: 91,
      sccs: false,
      acc: false,
      tpgs: 1,
      tpc: false,
      protect: false,
      encserv: false,
      vs: false,
      multip: true,
      addr16: false,
      wbus16: false,
      sync: false,
      linked: true,
      cmdque: true,
      vs2: false,
      vendor: 'Linux',
      product: 'scsi_debug',
      revision: '0191',
      clocking: 0,
      qas: false,
      ius: false,
      truncated: false,
      requiredLength: 96,
      availableLength: 96,
    });
    expect(inq.vendorSpecific).toEqual(new Uint8Array([...ascii('20210520'), ...new Array(12).fill(0)]));
    expect(inq.versionDescriptors).toEqual([
      { code: 0x00c0, name: 'SAM-6 (no version claimed)' },
      { code: 0x05c0, name: 'SPC-5 (no version claimed)' },
      { code: 0x0600, name: 'SBC-4 (no version claimed)' },
      { code: 0x2100, name: 'SPL-4 (no version claimed)' },
    ]);
    expect(inq.vendorSpecificTrailer).toBeUndefined();
  });

  it('decodes every flag bit in bytes 1, 3, 5, 6, 7 and 56', () => {
    const b = scsiDebugInquiry();
    b.set([0xff, 0xf0, 0x0d, 0xf2, 91, 0xf9, 0xf9, 0xbb], 0);
    b[56] = 0x0f;
    const inq = decodeStandardInquiry(b);
    expect(inq).toMatchObject({
      peripheralQualifier: 7,
      peripheralDeviceType: 0x1f,
      peripheralDeviceTypeName: 'unknown or no device type',
      rmb: true,
      luCong: true,
      hotPluggable: 3,
      versionName: 'SPC-6',
      aerc: true,
      trmtsk: true,
      normaca: true,
      hisup: true,
      sccs: true,
      acc: true,
      tpgs: 3,
      tpc: true,
      protect: true,
      bque: true,
      encserv: true,
      vs: true,
      multip: true,
      mchngr: true,
      addr16: true,
      reladr: true,
      wbus16: true,
      sync: true,
      linked: true,
      cmdque: true,
      vs2: true,
      clocking: 3,
      qas: true,
      ius: true,
    });
  });

  it('reports truncation after a 36-byte INQUIRY and keeps the ASCII fields', () => {
    const inq = decodeStandardInquiry(scsiDebugInquiry().slice(0, 36));
    expect(inq.truncated).toBe(true);
    expect(inq.requiredLength).toBe(96);
    expect(inq.availableLength).toBe(36);
    expect(inq.vendor).toBe('Linux');
    expect(inq.revision).toBe('0191');
    expect(inq.vendorSpecific).toBeUndefined();
    expect(inq.versionDescriptors).toEqual([]);
  });

  it('decodes the header and whatever follows from 5..35 bytes', () => {
    const full = scsiDebugInquiry();
    for (let n = 5; n < 36; n++) {
      const inq = decodeStandardInquiry(full.slice(0, n));
      expect(inq.truncated).toBe(true);
      expect(inq.version).toBe(7);
      expect(inq.tpgs).toBe(n > 5 ? 1 : undefined);
      expect(inq.cmdque).toBe(n > 7 ? true : undefined);
      expect(inq.vendor).toBe(n >= 16 ? 'Linux' : undefined);
      expect(inq.product).toBe(n >= 32 ? 'scsi_debug' : undefined);
      expect(inq.revision).toBeUndefined();
    }
  });

  it('every cut of the full answer decodes consistently', () => {
    const full = decodeStandardInquiry(scsiDebugInquiry());
    for (let n = 5; n < 96; n++) {
      const cut = decodeStandardInquiry(scsiDebugInquiry().slice(0, n));
      for (const [k, v] of Object.entries(cut)) {
        if (['truncated', 'availableLength', 'vendorSpecific', 'versionDescriptors'].includes(k)) continue;
        expect(v, k).toEqual(full[k as keyof typeof full]);
      }
      expect(full.versionDescriptors.slice(0, cut.versionDescriptors.length)).toEqual(cut.versionDescriptors);
    }
  });

  it('needs the 5-byte header', () => {
    for (let n = 0; n < 5; n++) {
      expect(() => decodeStandardInquiry(scsiDebugInquiry().slice(0, n))).toThrowError(DecodeError);
    }
    expect(() => decodeStandardInquiry(new Uint8Array(4))).toThrowError(/additionalLength/);
  });

  it('limits decoding to ADDITIONAL LENGTH and keeps bytes 96..n as the vendor specific trailer', () => {
    const b = new Uint8Array(110);
    b.set(scsiDebugInquiry());
    b[4] = 100 - 5;
    b.fill(0xee, 96, 110);
    const inq = decodeStandardInquiry(b);
    expect(inq.truncated).toBe(false);
    expect(inq.vendorSpecificTrailer).toEqual(new Uint8Array(4).fill(0xee));
  });

  it('accepts an ArrayBuffer', () => {
    expect(decodeStandardInquiry(scsiDebugInquiry().buffer as ArrayBuffer).product).toBe('scsi_debug');
  });

  it('does not alias the caller buffer', () => {
    const b = scsiDebugInquiry();
    const inq = decodeStandardInquiry(b);
    b[36] = 0;
    expect(inq.vendorSpecific?.[0]).toBe(0x32);
  });
});

describe('name tables', () => {
  it('names every peripheral device type', () => {
    for (let pdt = 0; pdt < 32; pdt++) {
      expect(peripheralTypeName(pdt)).toMatch(/\S/);
      expect(peripheralTypeName(pdt, 'short')).toMatch(/\S/);
    }
    expect(peripheralTypeName(0)).toBe('direct access block device');
    expect(peripheralTypeName(0, 'short')).toBe('disk');
    expect(peripheralTypeName(0x01)).toBe('sequential access device');
    expect(peripheralTypeName(0x05)).toBe('CD/DVD device');
    expect(peripheralTypeName(0x0d)).toBe('enclosure services device');
    expect(peripheralTypeName(0x14)).toBe('host managed zoned block device');
    expect(peripheralTypeName(0x15)).toBe('reserved');
    expect(peripheralTypeName(0x1e)).toBe('well known logical unit');
  });

  it('names VERSION values', () => {
    expect(inquiryVersionName(4)).toBe('SPC-2');
    expect(inquiryVersionName(5)).toBe('SPC-3');
    expect(inquiryVersionName(6)).toBe('SPC-4');
    expect(inquiryVersionName(7)).toBe('SPC-5');
    expect(inquiryVersionName(0x0d)).toBe('SPC-6');
    expect(inquiryVersionName(0x08)).toBe('obsolete');
    expect(inquiryVersionName(0x80)).toBe('reserved');
    expect(tpgsName(3)).toBe('implicit and explicit ALUA');
  });

  it('names version descriptors by exact code or by family', () => {
    expect(versionDescriptorName(0x0460)).toBe('SPC-4 (no version claimed)');
    expect(versionDescriptorName(0x0314)).toBe('SPC-3 ANSI INCITS 408-2005');
    expect(versionDescriptorName(0x04c3)).toBe('SBC-3 (revision code 0x3)');
    expect(versionDescriptorName(0x0620)).toBe('ZBC (no version claimed)');
    expect(versionDescriptorName(0x1ee0)).toBe('SAT-3 (no version claimed)');
    expect(versionDescriptorName(0x0c60)).toBe('SAS-3 (no version claimed)');
    expect(versionDescriptorName(0x0960)).toBe('iSCSI (no version claimed)');
    expect(versionDescriptorName(0x1761)).toBe('ACS-2 (no version claimed)');
    expect(versionDescriptorName(0x7777)).toBeUndefined();
  });

  it('keeps unknown version descriptor codes', () => {
    const b = scsiDebugInquiry();
    b.set([0x77, 0x77], 58);
    expect(decodeStandardInquiry(b).versionDescriptors[0]).toEqual({ code: 0x7777 });
  });
});

describe('property: random bytes', () => {
  it('decodeStandardInquiry returns or throws DecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          const inq = decodeStandardInquiry(bytes);
          expect(inq.availableLength).toBe(bytes.length);
        } catch (e) {
          if (!(e instanceof DecodeError)) throw e;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
