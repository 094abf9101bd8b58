/**
 * REPORT TARGET PORT GROUPS parameter data (SPC-6): the length-only and the extended header
 * formats, target port group descriptors (ALUA states and support bits).
 */
import { ByteReader, type ByteSource } from '../bytes.js';
import { DecodeError } from '../errors.js';

/** ASYMMETRIC ACCESS STATE names (SPC-6 "ASYMMETRIC ACCESS STATE field"). */
export const ASYMMETRIC_ACCESS_STATE_NAMES: Readonly<Record<number, string>> = {
  0: 'active/optimized',
  1: 'active/non-optimized',
  2: 'standby',
  3: 'unavailable',
  4: 'logical block dependent',
  14: 'offline',
  15: 'transitioning',
};

/** STATUS CODE names (SPC-6 "STATUS CODE field"). */
export const TARGET_PORT_GROUP_STATUS_NAMES: Readonly<Record<number, string>> = {
  0: 'no status available',
  1: 'altered by SET TARGET PORT GROUPS',
  2: 'altered by implicit asymmetric access behavior',
};

export interface TargetPortGroupDescriptor {
  /** PREF: this is a preferred target port group. */
  readonly pref: boolean;
  /** RTPG_FMT (bits 6-4 of byte 0): zero in the length-only format's first descriptor, which keeps the two formats apart. */
  readonly rtpgFmt: number;
  readonly asymmetricAccessState: number;
  /** e.g. 'active/optimized'; 'reserved' for unassigned values. */
  readonly asymmetricAccessStateName: string;
  /** T_SUP: transitioning state supported. */
  readonly tSup: boolean;
  /** O_SUP: offline state supported. */
  readonly oSup: boolean;
  /** LBD_SUP: logical block dependent state supported. */
  readonly lbdSup: boolean;
  /** U_SUP: unavailable state supported. */
  readonly uSup: boolean;
  /** S_SUP: standby state supported. */
  readonly sSup: boolean;
  /** AN_SUP: active/non-optimized state supported. */
  readonly anSup: boolean;
  /** AO_SUP: active/optimized state supported. */
  readonly aoSup: boolean;
  /** TARGET PORT GROUP identifier. */
  readonly targetPortGroup: number;
  readonly statusCode: number;
  readonly statusCodeName: string;
  /** VENDOR SPECIFIC byte. */
  readonly vendorSpecific: number;
  /** TARGET PORT COUNT as sent. */
  readonly targetPortCount: number;
  /** RELATIVE TARGET PORT IDENTIFIER of each target port descriptor present. */
  readonly relativeTargetPortIdentifiers: readonly number[];
}

export interface ReportTargetPortGroupsData {
  /** 0 = length only header, 1 = extended header (format type of byte 4). */
  readonly formatType: 0 | 1;
  /** RETURN DATA LENGTH: bytes after byte 3 the device has. */
  readonly returnDataLength: number;
  /** IMPLICIT TRANSITION TIME in seconds (extended header only; 0 = not specified). */
  readonly implicitTransitionTime?: number;
  readonly targetPortGroups: readonly TargetPortGroupDescriptor[];
  readonly truncated: boolean;
  readonly requiredLength: number;
  readonly availableLength: number;
}

/**
 * Decodes REPORT TARGET PORT GROUPS parameter data. The format is taken from byte 4 bits 6-4
 * (001b = extended header), as Linux's ALUA handler does: a device that ignores the extended request
 * answers in the length format, whose first descriptor has zero there.
 */
export function decodeReportTargetPortGroups(source: ByteSource): ReportTargetPortGroupsData {
  const r = new ByteReader(source);
  const returnDataLength = r.u32(0, 'returnDataLength');
  const required = returnDataLength + 4;
  const end = Math.min(required, r.length);
  const extended = end > 4 && ((r.u8(4, 'formatType') >> 4) & 7) === 1;
  let off = 4;
  let implicitTransitionTime: number | undefined;
  if (extended) {
    implicitTransitionTime = r.u8(5, 'implicitTransitionTime');
    off = 8;
  }
  const groups: TargetPortGroupDescriptor[] = [];
  let partial = false;
  while (off < end) {
    if (off + 8 > end) {
      partial = true;
      break;
    }
    const b0 = r.u8(off, 'asymmetricAccessState');
    const b1 = r.u8(off + 1, 'supportBits');
    const count = r.u8(off + 7, 'targetPortCount');
    if (off + 8 + count * 4 > end) {
      partial = true;
      break;
    }
    const ids: number[] = [];
    for (let k = 0; k < count; k++) ids.push(r.u16(off + 8 + k * 4 + 2, 'relativeTargetPortIdentifier'));
    const state = b0 & 0x0f;
    const status = r.u8(off + 5, 'statusCode');
    groups.push({
      pref: (b0 & 0x80) !== 0,
      rtpgFmt: (b0 >> 4) & 7,
      asymmetricAccessState: state,
      asymmetricAccessStateName: ASYMMETRIC_ACCESS_STATE_NAMES[state] ?? 'reserved',
      tSup: (b1 & 0x80) !== 0,
      oSup: (b1 & 0x40) !== 0,
      lbdSup: (b1 & 0x10) !== 0,
      uSup: (b1 & 0x08) !== 0,
      sSup: (b1 & 0x04) !== 0,
      anSup: (b1 & 0x02) !== 0,
      aoSup: (b1 & 0x01) !== 0,
      targetPortGroup: r.u16(off + 2, 'targetPortGroup'),
      statusCode: status,
      statusCodeName: TARGET_PORT_GROUP_STATUS_NAMES[status] ?? 'reserved',
      vendorSpecific: r.u8(off + 6, 'vendorSpecific'),
      targetPortCount: count,
      relativeTargetPortIdentifiers: ids,
    });
    off += 8 + count * 4;
  }
  if (partial && r.length >= required) {
    throw new DecodeError('returnDataLength', `${returnDataLength} cuts a target port group descriptor`, off);
  }
  const base = {
    formatType: extended ? (1 as const) : (0 as const),
    returnDataLength,
    targetPortGroups: groups,
    truncated: r.length < required,
    requiredLength: required,
    availableLength: end,
  };
  return implicitTransitionTime === undefined ? base : { ...base, implicitTransitionTime };
}
