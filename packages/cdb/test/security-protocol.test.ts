import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../src/errors.js';
import {
  decodeSecurityCertificateData,
  decodeSecurityComplianceInformation,
  decodeSupportedSecurityProtocols,
  securityProtocolName,
} from '../src/pages/security-protocol.js';

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
const be16 = (v: number): number[] => [(v >> 8) & 0xff, v & 0xff];
const be32 = (v: number): number[] => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
const padded = (s: string, n: number): number[] => [...ascii(s), ...new Array(n - s.length).fill(0)];

/** Supported security protocol list (SPC-6 Table 260) of a TCG Opal SED behind a SAT layer. */
const SUPPORTED = new Uint8Array([0, 0, 0, 0, 0, 0, ...be16(4), 0x00, 0x01, 0x02, 0xef]);

/** FIPS 140 compliance descriptor (SPC-6 Table 264): 8-byte header + 208h bytes. */
const FIPS = [
  ...be16(0x0001),
  0,
  0,
  ...be32(0x208),
  ...ascii('2'),
  ...ascii('2'),
  0,
  0,
  0,
  0,
  0,
  0,
  ...padded('HW 1.0', 128),
  ...padded('FW 3.1.4', 128),
  ...padded('Example SED Cryptographic Module', 256),
];
const OTHER = [...be16(0x8000), 0, 0, ...be32(4), 1, 2, 3, 4];
const COMPLIANCE = new Uint8Array([...be32(FIPS.length + OTHER.length), ...FIPS, ...OTHER]);

describe('supported security protocols (SP specific 0000h)', () => {
  it('lists protocols with names', () => {
    expect(decodeSupportedSecurityProtocols(SUPPORTED)).toEqual({
      supportedSecurityProtocolListLength: 4,
      protocols: [
        { securityProtocol: 0x00, name: 'security protocol information' },
        { securityProtocol: 0x01, name: 'Trusted Computing Group (TCG)' },
        { securityProtocol: 0x02, name: 'Trusted Computing Group (TCG)' },
        { securityProtocol: 0xef, name: 'ATA device server password security' },
      ],
      truncated: false,
      requiredLength: 12,
      availableLength: 12,
    });
  });

  it('names the protocols of SPC-6 Table 258', () => {
    expect(securityProtocolName(0x06)).toMatch(/TCG/);
    expect(securityProtocolName(0x07)).toMatch(/CbCS/);
    expect(securityProtocolName(0x20)).toMatch(/tape data encryption/);
    expect(securityProtocolName(0x21)).toMatch(/data encryption configuration/);
    expect(securityProtocolName(0x40)).toBe('SA creation capabilities');
    expect(securityProtocolName(0x41)).toBe('IKEv2-SCSI');
    expect(securityProtocolName(0xec)).toMatch(/JEDEC/);
    expect(securityProtocolName(0xed)).toMatch(/SDcard/);
    expect(securityProtocolName(0xee)).toBe('IEEE 1667');
    expect(securityProtocolName(0xf5)).toBe('vendor specific');
    expect(securityProtocolName(0x08)).toBe('reserved');
  });

  it('decodes what is there when cut short', () => {
    for (let n = 8; n < SUPPORTED.length; n++) {
      const p = decodeSupportedSecurityProtocols(SUPPORTED.slice(0, n));
      expect(p.truncated).toBe(true);
      expect(p.requiredLength).toBe(12);
      expect(p.protocols).toHaveLength(n - 8);
    }
    for (let n = 0; n < 8; n++) {
      expect(() => decodeSupportedSecurityProtocols(SUPPORTED.slice(0, n))).toThrowError(DecodeError);
    }
  });

  it('ignores pad bytes after the list', () => {
    const buf = new Uint8Array(512);
    buf.set(SUPPORTED);
    expect(decodeSupportedSecurityProtocols(buf).protocols).toHaveLength(4);
  });
});

describe('certificate data (SP specific 0001h)', () => {
  const CERT = new Uint8Array([0, 0, ...be16(5), 0x30, 0x82, 0x01, 0x0a, 0x02]);

  it('returns the certificate bytes', () => {
    const c = decodeSecurityCertificateData(CERT);
    expect(c.certificateLength).toBe(5);
    expect(c.certificate).toEqual(new Uint8Array([0x30, 0x82, 0x01, 0x0a, 0x02]));
    expect(c.truncated).toBe(false);
    expect(decodeSecurityCertificateData(new Uint8Array(4)).certificate).toHaveLength(0);
  });

  it('flags a cut certificate and needs the 4-byte header', () => {
    const c = decodeSecurityCertificateData(CERT.slice(0, 6));
    expect(c).toMatchObject({ truncated: true, requiredLength: 9, availableLength: 6 });
    expect(c.certificate).toEqual(new Uint8Array([0x30, 0x82]));
    expect(() => decodeSecurityCertificateData(CERT.slice(0, 3))).toThrowError(/certificateLength/);
  });
});

describe('security compliance information (SP specific 0002h)', () => {
  it('decodes a FIPS 140 descriptor and keeps others raw', () => {
    const c = decodeSecurityComplianceInformation(COMPLIANCE);
    expect(c.complianceDescriptorsLength).toBe(528 + 12);
    expect(c.truncated).toBe(false);
    expect(c.descriptors).toHaveLength(2);
    expect(c.descriptors[0]).toMatchObject({
      complianceDescriptorType: 1,
      complianceDescriptorLength: 0x208,
      decoded: {
        kind: 'fips140',
        relatedStandard: '2',
        relatedStandardName: 'FIPS 140-2',
        overallSecurityLevel: '2',
        hardwareVersion: 'HW 1.0',
        version: 'FW 3.1.4',
        moduleName: 'Example SED Cryptographic Module',
      },
    });
    expect(c.descriptors[0]?.raw).toHaveLength(0x208);
    expect(c.descriptors[1]).toEqual({
      complianceDescriptorType: 0x8000,
      complianceDescriptorLength: 4,
      raw: new Uint8Array([1, 2, 3, 4]),
    });
  });

  it('names FIPS 140-3', () => {
    const b = COMPLIANCE.slice();
    b[12] = 0x33;
    expect(decodeSecurityComplianceInformation(b).descriptors[0]?.decoded?.relatedStandardName).toBe(
      'FIPS 140-3',
    );
  });

  it('keeps complete descriptors of a truncated answer', () => {
    for (let n = 4; n < COMPLIANCE.length; n++) {
      const c = decodeSecurityComplianceInformation(COMPLIANCE.slice(0, n));
      expect(c.truncated).toBe(true);
      expect(c.requiredLength).toBe(COMPLIANCE.length);
      expect(c.descriptors).toHaveLength(n >= 4 + 528 ? 1 : 0);
    }
    expect(() => decodeSecurityComplianceInformation(COMPLIANCE.slice(0, 3))).toThrowError(
      /complianceDescriptorsLength/,
    );
  });

  it('rejects a descriptor longer than the descriptors length', () => {
    const bad = new Uint8Array([...be32(12), ...be16(1), 0, 0, ...be32(0x208), 0x32, 0x32, 0, 0]);
    expect(() => decodeSecurityComplianceInformation(bad)).toThrowError(
      /descriptors\[0\]\.complianceDescriptorLength/,
    );
  });
});

describe('property: random bytes return or throw DecodeError', () => {
  it('all three decoders', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), (bytes) => {
        for (const decode of [
          decodeSupportedSecurityProtocols,
          decodeSecurityCertificateData,
          decodeSecurityComplianceInformation,
        ]) {
          try {
            decode(bytes);
          } catch (e) {
            if (!(e instanceof DecodeError)) throw e;
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('compliance lists with a consistent outer length', () => {
    const descriptor = fc
      .tuple(fc.integer({ min: 0, max: 3 }), fc.uint8Array({ maxLength: 600 }))
      .map(([type, body]) => [...be16(type), 0, 0, ...be32(body.length), ...body]);
    fc.assert(
      fc.property(fc.array(descriptor, { maxLength: 3 }), (list) => {
        const flat = list.flat();
        const c = decodeSecurityComplianceInformation(new Uint8Array([...be32(flat.length), ...flat]));
        expect(c.descriptors).toHaveLength(list.length);
      }),
      { numRuns: 500 },
    );
  });
});
