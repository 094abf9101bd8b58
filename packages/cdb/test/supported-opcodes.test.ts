import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../src/errors.js';
import {
  decodeSupportedOpcodeOne,
  decodeSupportedOpcodesAll,
  decodeSupportedTaskManagementFunctions,
} from '../src/pages/supported-opcodes.js';

function u32(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

// SPC-6 all_commands parameter data: command descriptors, one with a command timeouts descriptor.
const inquiry = [0x12, 0, 0x00, 0x00, 0, 0x00, 0x00, 0x06];
const rc16 = [0x9e, 0, 0x00, 0x10, 0, 0x03, 0x00, 0x10, 0x00, 0x0a, 0, 0x07, ...u32(5), ...u32(30)];
const write16 = [0x8a, 0, 0x00, 0x00, 0, 0x54, 0x00, 0x10];
const allCommands = new Uint8Array([...u32(36), ...inquiry, ...rc16, ...write16]);

describe('decodeSupportedOpcodesAll (SPC-6 all_commands parameter data)', () => {
  it('decodes plain, service-action and timeout-carrying descriptors', () => {
    const d = decodeSupportedOpcodesAll(allCommands);
    expect(d.commandDataLength).toBe(36);
    expect(d.commands).toHaveLength(3);
    expect(d.commands[0]).toEqual({
      operationCode: 0x12,
      serviceAction: 0,
      servactv: false,
      ctdp: false,
      rwcdlp: false,
      mlu: 0,
      cdlp: 0,
      cdbLength: 6,
      name: 'INQUIRY',
    });
    expect(d.commands[1]).toMatchObject({
      operationCode: 0x9e,
      serviceAction: 0x10,
      servactv: true,
      ctdp: true,
    });
    expect(d.commands[1]?.timeouts).toEqual({
      descriptorLength: 10,
      commandSpecific: 7,
      nominalCommandProcessingTimeout: 5,
      recommendedCommandTimeout: 30,
    });
    expect(d.commands[2]).toMatchObject({
      operationCode: 0x8a,
      rwcdlp: true,
      mlu: 1,
      cdlp: 1,
      cdbLength: 16,
    });
    expect(d.truncated).toBe(false);
  });

  it('stops at the last whole descriptor when the allocation length cut the list', () => {
    const d = decodeSupportedOpcodesAll(allCommands.subarray(0, 4 + 8 + 10));
    expect(d.commands).toHaveLength(1);
    expect(d.truncated).toBe(true);
    expect(d.requiredLength).toBe(40);
    expect(d.availableLength).toBe(22);
  });

  it('rejects a COMMAND DATA LENGTH that splits a descriptor of a complete answer', () => {
    const bad = new Uint8Array([...u32(12), ...inquiry, 0, 0, 0, 0]);
    expect(() => decodeSupportedOpcodesAll(bad)).toThrowError(/commandDataLength/);
    expect(() => decodeSupportedOpcodesAll(new Uint8Array(3))).toThrowError(DecodeError);
  });
});

describe('decodeSupportedOpcodeOne (SPC-6 one_command parameter data)', () => {
  const inquiryUsage = [0x12, 0xe3, 0xff, 0xff, 0xff, 0xc7];

  it('decodes support, CDB usage bitmap and timeouts', () => {
    const d = decodeSupportedOpcodeOne(
      new Uint8Array([0x00, 0x83, 0x00, 0x06, ...inquiryUsage, 0, 10, 0, 0, ...u32(1), ...u32(20)]),
    );
    expect(d.support).toBe('supportedStandard');
    expect(d.supportCode).toBe(3);
    expect(d.ctdp).toBe(true);
    expect(d.cdbSize).toBe(6);
    expect([...d.cdbUsageData]).toEqual(inquiryUsage);
    expect(d.timeouts?.recommendedCommandTimeout).toBe(20);
    expect(d.name).toBe('INQUIRY');
    expect(d.truncated).toBe(false);
  });

  it('names every SUPPORT value', () => {
    const support = (s: number) => decodeSupportedOpcodeOne(new Uint8Array([0, s, 0, 0])).support;
    expect(support(0)).toBe('notAvailable');
    expect(support(1)).toBe('notSupported');
    expect(support(2)).toBe('reserved');
    expect(support(5)).toBe('supportedVendor');
    expect(decodeSupportedOpcodeOne(new Uint8Array([0, 0, 0, 0])).name).toBeUndefined();
    const rc16 = decodeSupportedOpcodeOne(new Uint8Array([0, 3, 0, 1, 0x9e]), { serviceAction: 0x10 });
    expect(rc16.name).toBe('READ CAPACITY(16)');
    const tape = decodeSupportedOpcodeOne(new Uint8Array([0, 3, 0, 1, 0x01]), { peripheralDeviceType: 1 });
    expect(tape.name).toBe('REWIND');
    expect(decodeSupportedOpcodeOne(new Uint8Array([1, 0x68, 0, 0]))).toMatchObject({
      rwcdlp: true,
      mlu: 3,
      cdlp: 1,
    });
  });

  it('returns a partial usage bitmap when cut short, and drops a missing timeouts descriptor', () => {
    const d = decodeSupportedOpcodeOne(new Uint8Array([0x00, 0x83, 0x00, 0x06, 0x12, 0xe3, 0xff]));
    expect([...d.cdbUsageData]).toEqual([0x12, 0xe3, 0xff]);
    expect(d.timeouts).toBeUndefined();
    expect(d.truncated).toBe(true);
    expect(d.requiredLength).toBe(22);
    expect(() => decodeSupportedOpcodeOne(new Uint8Array(3))).toThrowError(/cdbSize/);
  });
});

describe('decodeSupportedTaskManagementFunctions (SPC-6 basic and extended parameter data)', () => {
  it('decodes the basic format', () => {
    const d = decodeSupportedTaskManagementFunctions(new Uint8Array([0xd8, 0x01, 0, 0]));
    expect(d).toMatchObject({
      ats: true,
      atss: true,
      cacas: false,
      ctss: true,
      lurs: true,
      qts: false,
      itnrs: true,
    });
    expect(d.extended).toBeUndefined();
  });

  it('decodes the extended (REPD) format', () => {
    const d = decodeSupportedTaskManagementFunctions(
      new Uint8Array([0xff, 0x07, 0, 0x0c, 0x01, 0, 0x88, 0x01, ...u32(300), ...u32(10)]),
    );
    expect(d.additionalDataLength).toBe(12);
    expect(d.extended).toMatchObject({ tmftmov: true, atts: true, lurts: true, itnrts: true, qaets: false });
    expect(d.extended?.tmfLongTimeout).toBe(300);
    expect(d.extended?.tmfShortTimeout).toBe(10);
  });

  it('flags a cut extended answer and rejects fewer than 4 bytes', () => {
    const d = decodeSupportedTaskManagementFunctions(new Uint8Array([0xff, 0x07, 0, 0x0c, 0x01, 0]));
    expect(d.truncated).toBe(true);
    expect(d.extended).toBeUndefined();
    expect(() => decodeSupportedTaskManagementFunctions(new Uint8Array(3))).toThrowError(DecodeError);
  });
});

describe('fuzz', () => {
  it('random bytes either decode or throw DecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (b) => {
        for (const decode of [
          decodeSupportedOpcodesAll,
          decodeSupportedOpcodeOne,
          decodeSupportedTaskManagementFunctions,
        ]) {
          try {
            decode(b);
          } catch (e) {
            if (!(e instanceof DecodeError)) throw e;
          }
        }
      }),
      { numRuns: 3000 },
    );
  });
});
