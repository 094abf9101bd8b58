import {
  buildActivateDeferredMicrocode,
  buildInquiry,
  buildReadBuffer10,
  buildReportSupportedOperationCodes,
  buildSecurityProtocolIn,
  buildTestUnitReady,
  buildWriteBuffer,
  decodeExtendedInquiry,
  decodeReadBufferDescriptor,
  decodeSecurityCertificateData,
  decodeSupportedOpcodesAll,
  decodeSupportedSecurityProtocols,
} from '@scsikit/cdb';
import { describe, expect, it } from 'vitest';
import { EmulatedDisk, EmulatedDiskOptionsError } from '../src/index.js';
import { expectSense, good, send } from './helpers.js';

const bytes = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * seed + 3) & 0xff);
const wb = (mode: number, offset: number, length: number, modeSpecific = 0) =>
  buildWriteBuffer({ mode, modeSpecific, bufferOffset: offset, parameterListLength: length });

describe('microcode download (the `microcode` option)', () => {
  it('READ BUFFER descriptor mode advertises the offset boundary and buffer capacity', async () => {
    const disk = new EmulatedDisk({ microcode: { offsetBoundary: 12, bufferCapacity: 0x20000 } });
    const r = await good(disk, buildReadBuffer10({ mode: 'descriptor', allocationLength: 4 }));
    expect(decodeReadBufferDescriptor(r.data)).toEqual({
      offsetBoundary: 12,
      offsetAlignment: 4096,
      bufferCapacity: 0x20000,
    });
    // Defaults: 2^9, 1 MiB.
    const d = await good(
      new EmulatedDisk({ microcode: true }),
      buildReadBuffer10({ mode: 3, allocationLength: 4 }),
    );
    expect([...d.data]).toEqual([9, 0x10, 0, 0]);
  });

  it('VPD 86h reports ACTIVATE MICROCODE and the activation events of the option', async () => {
    const disk = new EmulatedDisk({
      microcode: { activateMicrocode: 2, activationEvents: { powerOn: true, vendorSpecific: true } },
    });
    const r = await good(disk, buildInquiry({ evpd: true, pageCode: 0x86, allocationLength: 64 }));
    expect(decodeExtendedInquiry(r.data)).toMatchObject({
      activateMicrocode: 2,
      poaSup: true,
      hraSup: false,
      vsaSup: true,
    });
    const plain = await good(
      new EmulatedDisk(),
      buildInquiry({ evpd: true, pageCode: 0x86, allocationLength: 64 }),
    );
    expect(decodeExtendedInquiry(plain.data)).toMatchObject({ activateMicrocode: 0, poaSup: false });
  });

  it('mode 07h chunks land at their offsets; activation raises 3Fh/01h on every initiator', async () => {
    const disk = new EmulatedDisk({ microcode: true });
    const other = disk.connect();
    const img = bytes(1536, 5);
    await good(disk, wb(7, 0, 1024), img.subarray(0, 1024));
    // The activation of the first chunk is reported on the next command, before it runs.
    expectSense(await send(disk, wb(7, 1024, 512), img.subarray(1024)), 6, 0x3f, 0x01);
    await good(disk, wb(7, 1024, 512), img.subarray(1024));
    expect(disk.microcode()).toMatchObject({ received: 1536, deferred: false, activations: 2 });
    expect(disk.microcode().active).toEqual(img);
    expectSense(await send(other, buildTestUnitReady()), 6, 0x3f, 0x01);
    await good(other, buildTestUnitReady());
  });

  it('0Dh/0Eh save for mode 0Fh; 0Fh with nothing saved is COMMAND SEQUENCE ERROR', async () => {
    const disk = new EmulatedDisk({ microcode: { activationEvents: { hardReset: true } } });
    expectSense(await send(disk, buildActivateDeferredMicrocode()), 5, 0x2c, 0);
    await good(disk, wb(0x0e, 0, 512), bytes(512));
    await good(disk, wb(0x0d, 512, 512, 0x2), bytes(512, 3));
    expect(disk.microcode()).toMatchObject({ received: 1024, deferred: true, activations: 0 });
    await good(disk, buildTestUnitReady()); // nothing activated: no unit attention yet
    await good(disk, buildActivateDeferredMicrocode());
    expect(disk.microcode()).toMatchObject({ deferred: false, activations: 1 });
    expectSense(await send(disk, buildTestUnitReady()), 6, 0x3f, 0x01);
  });

  it('refuses what the device would: offsets off the boundary, beyond capacity, gaps, bad modes and events', async () => {
    const disk = new EmulatedDisk({ microcode: { offsetBoundary: 9, bufferCapacity: 2048 } });
    const field = async (spec: ReturnType<typeof wb>, data: Uint8Array, byte: number) => {
      const s = expectSense(await send(disk, spec, data), 5, 0x24, 0);
      expect(s.senseKeySpecific).toMatchObject({ fieldPointer: byte });
    };
    await field(wb(7, 100, 512), bytes(512), 3); // not a multiple of 512
    await field(wb(7, 0, 4096), bytes(4096), 6); // beyond the capacity
    await field(wb(5, 512, 512), bytes(512), 3); // 05h carries no offset
    await field(wb(7, 1024, 512), bytes(512), 3); // a gap after nothing received
    await field(wb(0x0d, 0, 512, 0x4), bytes(512), 1); // PO_ACT without POA_SUP
    await field(wb(0x02, 0, 512), bytes(512), 1); // data mode: not implemented here
    await field(wb(0x06, 0, 512), bytes(512), 1); // 06h (activate without save): not implemented
    const rb = await send(disk, buildReadBuffer10({ mode: 'data', allocationLength: 16 }));
    expect(expectSense(rb, 5, 0x24, 0).senseKeySpecific).toMatchObject({ fieldPointer: 1 });
    expect(disk.microcode().activations).toBe(0);
  });

  it('REPORT SUPPORTED OPERATION CODES lists each implemented mode; without the option nothing', async () => {
    const all = async (d: EmulatedDisk) =>
      decodeSupportedOpcodesAll((await good(d, buildReportSupportedOperationCodes({ mode: 'all' }))).data)
        .commands.filter((c) => c.operationCode === 0x3b || c.operationCode === 0x3c)
        .map((c) => [c.operationCode, c.serviceAction]);
    expect(await all(new EmulatedDisk({ microcode: true }))).toEqual([
      [0x3b, 0x05],
      [0x3b, 0x07],
      [0x3b, 0x0d],
      [0x3b, 0x0e],
      [0x3b, 0x0f],
      [0x3c, 0x03],
    ]);
    const plain = new EmulatedDisk();
    expect(await all(plain)).toEqual([]);
    expectSense(await send(plain, wb(7, 0, 512), bytes(512)), 5, 0x20, 0);
  });

  it('option validation', () => {
    expect(() => new EmulatedDisk({ microcode: { offsetBoundary: 30 } })).toThrow(EmulatedDiskOptionsError);
    expect(() => new EmulatedDisk({ microcode: { bufferCapacity: 0x1000000 } })).toThrow(
      EmulatedDiskOptionsError,
    );
    expect(() => new EmulatedDisk({ securityProtocols: { protocols: [256] } })).toThrow(
      EmulatedDiskOptionsError,
    );
  });
});

describe('SECURITY PROTOCOL IN (the `securityProtocols` option)', () => {
  it('00h/0000h lists 00h and the configured protocols, sorted, once each; cut by the allocation length', async () => {
    const disk = new EmulatedDisk({ securityProtocols: { protocols: [0xef, 0x01, 0x01] } });
    const r = await good(disk, buildSecurityProtocolIn({ securityProtocol: 0, allocationLength: 512 }));
    expect([...r.data]).toEqual([0, 0, 0, 0, 0, 0, 0, 3, 0x00, 0x01, 0xef]);
    const cut = await good(disk, buildSecurityProtocolIn({ securityProtocol: 0, allocationLength: 9 }));
    expect(decodeSupportedSecurityProtocols(cut.data)).toMatchObject({ truncated: true, requiredLength: 11 });
  });

  it('00h/0001h: the certificate; INC_512 counts 512-byte units', async () => {
    const cert = bytes(600, 7);
    const disk = new EmulatedDisk({ securityProtocols: { protocols: [], certificate: cert } });
    const r = await good(
      disk,
      buildSecurityProtocolIn({
        securityProtocol: 0,
        securityProtocolSpecific: 1,
        inc512: true,
        allocationLength: 2,
      }),
    );
    expect(decodeSecurityCertificateData(r.data)).toMatchObject({ certificateLength: 600, truncated: false });
    expect(decodeSecurityCertificateData(r.data).certificate).toEqual(cert);
  });

  it('other protocols and SP specific values are INVALID FIELD IN CDB; no option: INVALID COMMAND OPERATION CODE', async () => {
    const disk = new EmulatedDisk({ securityProtocols: { protocols: [1] } });
    const s1 = expectSense(
      await send(disk, buildSecurityProtocolIn({ securityProtocol: 1, allocationLength: 512 })),
      5,
      0x24,
      0,
    );
    expect(s1.senseKeySpecific).toMatchObject({ fieldPointer: 1 });
    const s2 = expectSense(
      await send(
        disk,
        buildSecurityProtocolIn({ securityProtocol: 0, securityProtocolSpecific: 3, allocationLength: 512 }),
      ),
      5,
      0x24,
      0,
    );
    expect(s2.senseKeySpecific).toMatchObject({ fieldPointer: 2 });
    expectSense(
      await send(new EmulatedDisk(), buildSecurityProtocolIn({ securityProtocol: 0, allocationLength: 512 })),
      5,
      0x20,
      0,
    );
  });
});
