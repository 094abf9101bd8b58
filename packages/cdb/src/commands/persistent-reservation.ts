/**
 * PERSISTENT RESERVE IN / OUT builders and PR OUT parameter lists (SPC-6).
 * Reservation keys are 64-bit `bigint`s; 0n means "no key".
 */
import { z } from 'zod';
import { checkParams } from '../args.js';
import { checkBigUint, checkUint, putU16, putU32, putU64 } from '../bytes.js';
import { CdbBuildError } from '../errors.js';
import { PROTOCOL_IDENTIFIER } from '../protocol-identifiers.js';
import type { CdbSpec } from '../types.js';
import { flag, pickCode, specIn, specOut, zBigUint, zCode, zUint } from './cdb-spec.js';

// ---------------------------------------------------------------------------------------------
// PERSISTENT RESERVE IN (SPC-6)

export type PrInServiceAction = 'readKeys' | 'readReservation' | 'reportCapabilities' | 'readFullStatus';
export const PR_IN_SERVICE_ACTION: Readonly<Record<PrInServiceAction, number>> = {
  readKeys: 0x00,
  readReservation: 0x01,
  reportCapabilities: 0x02,
  readFullStatus: 0x03,
};

export interface PersistentReserveInParams {
  /** Name or 5-bit value. */
  readonly serviceAction: PrInServiceAction | number;
  /** 16 bits; READ FULL STATUS can need more than the default on busy targets. @default 8192 */
  readonly allocationLength?: number;
}

export const PersistentReserveInParamsSchema: z.ZodType<PersistentReserveInParams> = z.strictObject({
  serviceAction: zCode(PR_IN_SERVICE_ACTION, 5),
  allocationLength: zUint(16).exactOptional(),
});

export function buildPersistentReserveIn(params: PersistentReserveInParams): CdbSpec {
  checkParams(params, 'params');
  const sa = pickCode(PR_IN_SERVICE_ACTION, params.serviceAction, 5, 'serviceAction');
  const allocationLength = checkUint(params.allocationLength ?? 8192, 16, 'allocationLength');
  const cdb = new Uint8Array(10);
  cdb[0] = 0x5e;
  cdb[1] = sa;
  putU16(cdb, 7, allocationLength);
  return specIn(cdb, allocationLength, 'PERSISTENT RESERVE IN');
}

// ---------------------------------------------------------------------------------------------
// PERSISTENT RESERVE OUT (SPC-6)

export type PrOutServiceAction =
  | 'register'
  | 'reserve'
  | 'release'
  | 'clear'
  | 'preempt'
  | 'preemptAndAbort'
  | 'registerAndIgnoreExistingKey'
  | 'registerAndMove'
  | 'replaceLostReservation';
export const PR_OUT_SERVICE_ACTION: Readonly<Record<PrOutServiceAction, number>> = {
  register: 0x00,
  reserve: 0x01,
  release: 0x02,
  clear: 0x03,
  preempt: 0x04,
  preemptAndAbort: 0x05,
  registerAndIgnoreExistingKey: 0x06,
  registerAndMove: 0x07,
  replaceLostReservation: 0x08,
};

/** Persistent reservation TYPE codes (SPC-6); 0, 2 and 4 are obsolete. */
export type PrType =
  | 'writeExclusive'
  | 'exclusiveAccess'
  | 'writeExclusiveRegistrantsOnly'
  | 'exclusiveAccessRegistrantsOnly'
  | 'writeExclusiveAllRegistrants'
  | 'exclusiveAccessAllRegistrants';
export const PR_TYPE: Readonly<Record<PrType, number>> = {
  writeExclusive: 0x1,
  exclusiveAccess: 0x3,
  writeExclusiveRegistrantsOnly: 0x5,
  exclusiveAccessRegistrantsOnly: 0x6,
  writeExclusiveAllRegistrants: 0x7,
  exclusiveAccessAllRegistrants: 0x8,
};

/** Service actions whose TYPE field selects the reservation acted on, so a type must be given. */
const NEEDS_TYPE: ReadonlySet<number> = new Set([0x01, 0x02, 0x04, 0x05, 0x08]);

/** Length of the basic PR OUT parameter list (SPC-6). */
export const PR_OUT_BASIC_PARAMETER_LIST_LENGTH = 24;

export interface PersistentReserveOutParams {
  /** Name or 5-bit value. */
  readonly serviceAction: PrOutServiceAction | number;
  /** 4 bits; 0 = LU_SCOPE, the only scope SPC-3 and later define. @default 0 */
  readonly scope?: number;
  /**
   * Name or 4-bit value. Required for reserve, release, preempt, preemptAndAbort and
   * replaceLostReservation; ignored by the device for register and clear. @default 0
   */
  readonly type?: PrType | number;
  /** Bytes of parameter list (32 bits): 24 for the basic list, more with TransportIDs. */
  readonly parameterListLength: number;
}

export const PersistentReserveOutParamsSchema: z.ZodType<PersistentReserveOutParams> = z.strictObject({
  serviceAction: zCode(PR_OUT_SERVICE_ACTION, 5),
  scope: zUint(4).exactOptional(),
  type: zCode(PR_TYPE, 4).exactOptional(),
  parameterListLength: zUint(32),
});

export function buildPersistentReserveOut(params: PersistentReserveOutParams): CdbSpec {
  checkParams(params, 'params');
  const sa = pickCode(PR_OUT_SERVICE_ACTION, params.serviceAction, 5, 'serviceAction');
  if (params.type === undefined && NEEDS_TYPE.has(sa)) {
    throw new CdbBuildError('type', `service action ${sa} needs the reservation type`);
  }
  const type = pickCode(PR_TYPE, params.type ?? 0, 4, 'type');
  const scope = checkUint(params.scope ?? 0, 4, 'scope');
  const length = checkUint(params.parameterListLength, 32, 'parameterListLength');
  const cdb = new Uint8Array(10);
  cdb[0] = 0x5f;
  cdb[1] = sa;
  cdb[2] = (scope << 4) | type;
  putU32(cdb, 5, length);
  return specOut(cdb, length, 'PERSISTENT RESERVE OUT');
}

// ---------------------------------------------------------------------------------------------
// PR OUT parameter lists

const zTransportId = z.instanceof(Uint8Array).refine((t) => t.length >= 24 && t.length % 4 === 0, {
  message: 'a TransportID is at least 24 bytes and a multiple of 4',
});

/** TransportIDs are at least 24 bytes and (iSCSI's variable form included) a multiple of 4. */
function checkTransportId(id: unknown, field: string): Uint8Array {
  if (!(id instanceof Uint8Array)) throw new CdbBuildError(field, 'must be a Uint8Array');
  if (id.length < 24 || id.length % 4 !== 0) {
    throw new CdbBuildError(
      field,
      `a TransportID is at least 24 bytes and a multiple of 4, got ${id.length}`,
    );
  }
  return id;
}

export interface PersistentReserveOutDataParams {
  /** The key this I_T nexus is registered with (0n when not registered). @default 0n */
  readonly reservationKey?: bigint;
  /** New key for register, the key to preempt for preempt. @default 0n */
  readonly serviceActionReservationKey?: bigint;
  /** Activate persist through power loss. @default false */
  readonly aptpl?: boolean;
  /** Register on all target ports (ALL_TG_PT). @default false */
  readonly allTargetPorts?: boolean;
  /** SPEC_I_PT: also register the initiator ports in `transportIds`. @default true when transportIds is non-empty */
  readonly specifyInitiatorPorts?: boolean;
  /** TransportIDs for SPEC_I_PT (register / register and ignore existing key only). @default none */
  readonly transportIds?: readonly Uint8Array[];
}

export const PersistentReserveOutDataParamsSchema: z.ZodType<PersistentReserveOutDataParams> = z
  .strictObject({
    reservationKey: zBigUint(64).exactOptional(),
    serviceActionReservationKey: zBigUint(64).exactOptional(),
    aptpl: z.boolean().exactOptional(),
    allTargetPorts: z.boolean().exactOptional(),
    specifyInitiatorPorts: z.boolean().exactOptional(),
    transportIds: z.array(zTransportId).readonly().exactOptional(),
  })
  .refine(
    (p) => {
      const n = p.transportIds?.length ?? 0;
      return (p.specifyInitiatorPorts ?? n > 0) === n > 0;
    },
    { message: 'specifyInitiatorPorts and a non-empty transportIds go together', path: ['transportIds'] },
  );

/**
 * PR OUT parameter list (SPC-6): 24 bytes, plus with SPEC_I_PT a 4-byte TRANSPORTID
 * PARAMETER DATA LENGTH and the TransportIDs. Obsolete fields (bytes 16-19, 22-23) are zero.
 */
export function buildPersistentReserveOutData(params: PersistentReserveOutDataParams = {}): Uint8Array {
  checkParams(params, 'params');
  const ids = params.transportIds ?? [];
  if (!Array.isArray(ids)) throw new CdbBuildError('transportIds', 'must be an array of Uint8Array');
  const specIPt = params.specifyInitiatorPorts ?? ids.length > 0;
  if (flag(specIPt, 3, 'specifyInitiatorPorts') === 0 && ids.length > 0) {
    throw new CdbBuildError('transportIds', 'need specifyInitiatorPorts (SPEC_I_PT) set');
  }
  if (specIPt && ids.length === 0) {
    throw new CdbBuildError('specifyInitiatorPorts', 'needs at least one TransportID');
  }
  const checked = ids.map((id, i) => checkTransportId(id, `transportIds[${i}]`));
  const idsLength = checked.reduce((n, id) => n + id.length, 0);
  const total = specIPt ? 28 + idsLength : PR_OUT_BASIC_PARAMETER_LIST_LENGTH;
  checkUint(total, 32, 'parameter list length');
  const out = new Uint8Array(total);
  putU64(out, 0, checkBigUint(params.reservationKey ?? 0n, 64, 'reservationKey'));
  putU64(out, 8, checkBigUint(params.serviceActionReservationKey ?? 0n, 64, 'serviceActionReservationKey'));
  out[20] =
    flag(specIPt, 3, 'specifyInitiatorPorts') |
    flag(params.allTargetPorts, 2, 'allTargetPorts') |
    flag(params.aptpl, 0, 'aptpl');
  if (specIPt) {
    putU32(out, 24, idsLength);
    let at = 28;
    for (const id of checked) {
      out.set(id, at);
      at += id.length;
    }
  }
  return out;
}

export interface RegisterAndMoveDataParams {
  /** The key of the reservation holder issuing the move. */
  readonly reservationKey: bigint;
  /** Key to register for the destination I_T nexus. */
  readonly serviceActionReservationKey: bigint;
  /** Unregister the source I_T nexus after the move. @default false */
  readonly unreg?: boolean;
  /** @default false */
  readonly aptpl?: boolean;
  /** Relative target port identifier of the destination port (16 bits). */
  readonly relativeTargetPortIdentifier: number;
  /** TransportID of the destination initiator port. */
  readonly transportId: Uint8Array;
}

export const RegisterAndMoveDataParamsSchema: z.ZodType<RegisterAndMoveDataParams> = z.strictObject({
  reservationKey: zBigUint(64),
  serviceActionReservationKey: zBigUint(64),
  unreg: z.boolean().exactOptional(),
  aptpl: z.boolean().exactOptional(),
  relativeTargetPortIdentifier: zUint(16),
  transportId: zTransportId,
});

/** REGISTER AND MOVE parameter list (SPC-6): 24-byte header then one TransportID. */
export function buildRegisterAndMoveData(params: RegisterAndMoveDataParams): Uint8Array {
  checkParams(params, 'params');
  const id = checkTransportId(params.transportId, 'transportId');
  const out = new Uint8Array(24 + id.length);
  putU64(out, 0, checkBigUint(params.reservationKey, 64, 'reservationKey'));
  putU64(out, 8, checkBigUint(params.serviceActionReservationKey, 64, 'serviceActionReservationKey'));
  out[17] = flag(params.unreg, 1, 'unreg') | flag(params.aptpl, 0, 'aptpl');
  putU16(out, 18, checkUint(params.relativeTargetPortIdentifier, 16, 'relativeTargetPortIdentifier'));
  putU32(out, 20, id.length);
  out.set(id, 24);
  return out;
}

// ---------------------------------------------------------------------------------------------
// TransportIDs (SPC-6)

/** Fibre Channel TransportID: 24 bytes, N_PORT_NAME in bytes 8-15. */
export function buildFcTransportId(nPortName: bigint): Uint8Array {
  const out = new Uint8Array(24);
  out[0] = PROTOCOL_IDENTIFIER.fc;
  putU64(out, 8, checkBigUint(nPortName, 64, 'nPortName'));
  return out;
}

/** SAS TransportID: 24 bytes, SAS ADDRESS in bytes 4-11. */
export function buildSasTransportId(sasAddress: bigint): Uint8Array {
  const out = new Uint8Array(24);
  out[0] = PROTOCOL_IDENTIFIER.sas;
  putU64(out, 4, checkBigUint(sasAddress, 64, 'sasAddress'));
  return out;
}

export interface IscsiTransportIdParams {
  /** iSCSI name (iqn./eui./naa.), at most 223 bytes of UTF-8. */
  readonly name: string;
  /** ISID (48 bits): selects FORMAT CODE 01b, an initiator port ("name,i,0x<isid>"). @default none (device name) */
  readonly isid?: bigint;
}

/**
 * iSCSI TransportID: FORMAT CODE 00b (device name) or 01b (initiator port with ISID). The name is
 * NUL-terminated and padded with zeros to a multiple of 4, at least 20 bytes (ADDITIONAL LENGTH).
 */
export function buildIscsiTransportId(params: IscsiTransportIdParams): Uint8Array {
  checkParams(params, 'params');
  if (typeof params.name !== 'string' || params.name.length === 0) {
    throw new CdbBuildError('name', 'must be a non-empty string');
  }
  if (params.name.includes('\0')) throw new CdbBuildError('name', 'must not contain NUL');
  const nameBytes = new TextEncoder().encode(params.name);
  if (nameBytes.length > 223) {
    throw new CdbBuildError('name', `is ${nameBytes.length} bytes of UTF-8`, '223 bytes');
  }
  let text = nameBytes;
  let format = 0;
  if (params.isid !== undefined) {
    const isid = checkBigUint(params.isid, 48, 'isid');
    text = new TextEncoder().encode(`${params.name},i,0x${isid.toString(16).padStart(12, '0')}`);
    format = 1;
  }
  const additional = Math.max(20, Math.ceil((text.length + 1) / 4) * 4);
  const out = new Uint8Array(4 + additional);
  out[0] = (format << 6) | PROTOCOL_IDENTIFIER.iscsi;
  putU16(out, 2, additional);
  out.set(text, 4);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Convenience: one call per PR OUT action, returning the CDB and its parameter list

/** A PR OUT command ready to send: `data` is the data-out buffer, `spec.transferLength === data.length`. */
export interface PrOutCommand {
  readonly spec: CdbSpec;
  readonly data: Uint8Array;
}

function prOut(
  serviceAction: PrOutServiceAction,
  type: PrType | number | undefined,
  scope: number | undefined,
  data: Uint8Array,
): PrOutCommand {
  const params: PersistentReserveOutParams = {
    serviceAction,
    parameterListLength: data.length,
    ...(type === undefined ? {} : { type }),
    ...(scope === undefined ? {} : { scope }),
  };
  return { spec: buildPersistentReserveOut(params), data };
}

export interface PrRegisterParams {
  /** Current key (ignored with ignoreExisting). @default 0n */
  readonly key?: bigint;
  /** Key to register; 0n unregisters. */
  readonly newKey: bigint;
  /** REGISTER AND IGNORE EXISTING KEY instead of REGISTER. @default false */
  readonly ignoreExisting?: boolean;
  /** @default false */
  readonly aptpl?: boolean;
  /** @default false */
  readonly allTargetPorts?: boolean;
  /** Register these initiator ports too (SPEC_I_PT). @default none */
  readonly transportIds?: readonly Uint8Array[];
}

export function buildPrRegister(params: PrRegisterParams): PrOutCommand {
  checkParams(params, 'params');
  const data = buildPersistentReserveOutData({
    reservationKey: params.key ?? 0n,
    serviceActionReservationKey: params.newKey,
    ...(params.aptpl === undefined ? {} : { aptpl: params.aptpl }),
    ...(params.allTargetPorts === undefined ? {} : { allTargetPorts: params.allTargetPorts }),
    ...(params.transportIds === undefined ? {} : { transportIds: params.transportIds }),
  });
  const sa = flag(params.ignoreExisting, 0, 'ignoreExisting') ? 'registerAndIgnoreExistingKey' : 'register';
  return prOut(sa, undefined, undefined, data);
}

export interface PrReserveParams {
  /** This I_T nexus's registered key. */
  readonly key: bigint;
  readonly type: PrType | number;
  /** @default 0 (LU_SCOPE) */
  readonly scope?: number;
}

export function buildPrReserve(params: PrReserveParams): PrOutCommand {
  checkParams(params, 'params');
  const data = buildPersistentReserveOutData({ reservationKey: params.key });
  return prOut('reserve', params.type, params.scope, data);
}

/** RELEASE: type and scope must match the reservation held, or the device reports a conflict. */
export function buildPrRelease(params: PrReserveParams): PrOutCommand {
  checkParams(params, 'params');
  const data = buildPersistentReserveOutData({ reservationKey: params.key });
  return prOut('release', params.type, params.scope, data);
}

export interface PrClearParams {
  /** This I_T nexus's registered key. */
  readonly key: bigint;
}

/** CLEAR: drops the reservation and every registration. */
export function buildPrClear(params: PrClearParams): PrOutCommand {
  checkParams(params, 'params');
  return prOut('clear', undefined, undefined, buildPersistentReserveOutData({ reservationKey: params.key }));
}

export interface PrPreemptParams {
  /** This I_T nexus's registered key. */
  readonly key: bigint;
  /** Key of the registrations (and reservation) to preempt. */
  readonly preemptKey: bigint;
  readonly type: PrType | number;
  /** PREEMPT AND ABORT: also abort the preempted nexuses' commands. @default false */
  readonly abort?: boolean;
  /** @default 0 (LU_SCOPE) */
  readonly scope?: number;
}

export function buildPrPreempt(params: PrPreemptParams): PrOutCommand {
  checkParams(params, 'params');
  const data = buildPersistentReserveOutData({
    reservationKey: params.key,
    serviceActionReservationKey: params.preemptKey,
  });
  const sa = flag(params.abort, 0, 'abort') ? 'preemptAndAbort' : 'preempt';
  return prOut(sa, params.type, params.scope, data);
}

export interface PrRegisterAndMoveParams extends RegisterAndMoveDataParams {
  /** Type of the reservation being moved. */
  readonly type: PrType | number;
  /** @default 0 (LU_SCOPE) */
  readonly scope?: number;
}

export function buildPrRegisterAndMove(params: PrRegisterAndMoveParams): PrOutCommand {
  checkParams(params, 'params');
  const { type, scope, ...rest } = params;
  return prOut('registerAndMove', type, scope, buildRegisterAndMoveData(rest));
}
