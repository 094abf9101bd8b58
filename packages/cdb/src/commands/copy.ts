/**
 * Third-party copy builders (SPC-6): EXTENDED COPY(LID1/LID4) under THIRD-PARTY COPY OUT (83h)
 * and the RECEIVE COPY … / RECEIVE ROD TOKEN INFORMATION family under THIRD-PARTY COPY IN (84h),
 * which SPC-3 called RECEIVE COPY RESULTS. The parameter lists (segment and CSCD descriptors) are
 * left to the caller.
 */
import { z } from 'zod';
import { checkParams, show } from '../args.js';
import { checkUint, putU32 } from '../bytes.js';
import { CdbBuildError } from '../errors.js';
import type { CdbSpec } from '../types.js';
import { pickCode, specIn, specOut, zCode, zUint } from './cdb-spec.js';

// ---------------------------------------------------------------------------------------------
// EXTENDED COPY (SPC-4 LID1, SPC-6 LID4)

/** LIST ID field size of the parameter list: 1 byte (LID1, SPC-3 EXTENDED COPY) or 4 bytes (LID4). */
export type ListIdFormat = 'lid1' | 'lid4';

export interface ExtendedCopyParams {
  /** @default 'lid1' (the one Linux LIO and most arrays implement) */
  readonly lid?: ListIdFormat;
  /** Bytes of parameter list (32 bits). */
  readonly parameterListLength: number;
}

export const ExtendedCopyParamsSchema: z.ZodType<ExtendedCopyParams> = z.strictObject({
  lid: z.enum(['lid1', 'lid4']).exactOptional(),
  parameterListLength: zUint(32),
});

export function buildExtendedCopy(params: ExtendedCopyParams): CdbSpec {
  checkParams(params, 'params');
  const lid = params.lid ?? 'lid1';
  if (lid !== 'lid1' && lid !== 'lid4') {
    throw new CdbBuildError('lid', `must be 'lid1' or 'lid4', got ${show(lid)}`);
  }
  const length = checkUint(params.parameterListLength, 32, 'parameterListLength');
  const cdb = new Uint8Array(16);
  cdb[0] = 0x83;
  cdb[1] = lid === 'lid1' ? 0x00 : 0x01;
  putU32(cdb, 10, length);
  return specOut(cdb, length, lid === 'lid1' ? 'EXTENDED COPY(LID1)' : 'EXTENDED COPY(LID4)');
}

// ---------------------------------------------------------------------------------------------
// THIRD-PARTY COPY IN (84h) service actions

export type ReceiveCopyServiceAction =
  | 'copyStatusLid1'
  | 'copyDataLid1'
  | 'operatingParameters'
  | 'failureDetailsLid1'
  | 'copyStatusLid4'
  | 'copyDataLid4'
  | 'rodTokenInformation'
  | 'allRodTokens';
export const RECEIVE_COPY_SERVICE_ACTION: Readonly<Record<ReceiveCopyServiceAction, number>> = {
  copyStatusLid1: 0x00,
  copyDataLid1: 0x01,
  operatingParameters: 0x03,
  failureDetailsLid1: 0x04,
  copyStatusLid4: 0x05,
  copyDataLid4: 0x06,
  rodTokenInformation: 0x07,
  allRodTokens: 0x08,
};

const RECEIVE_COPY_NAMES: Readonly<Record<number, string>> = {
  0: 'RECEIVE COPY STATUS(LID1)',
  1: 'RECEIVE COPY DATA(LID1)',
  3: 'RECEIVE COPY OPERATING PARAMETERS',
  4: 'RECEIVE COPY FAILURE DETAILS(LID1)',
  5: 'RECEIVE COPY STATUS(LID4)',
  6: 'RECEIVE COPY DATA(LID4)',
  7: 'RECEIVE ROD TOKEN INFORMATION',
  8: 'REPORT ALL ROD TOKENS',
};

/** Service actions whose LIST IDENTIFIER is one byte (byte 2) or four bytes (bytes 2-5). */
const LID1_ACTIONS: ReadonlySet<number> = new Set([0x00, 0x01, 0x04]);
const LID4_ACTIONS: ReadonlySet<number> = new Set([0x05, 0x06, 0x07]);

export interface ReceiveCopyResultsParams {
  /** Name or 5-bit value. */
  readonly serviceAction: ReceiveCopyServiceAction | number;
  /**
   * LIST IDENTIFIER of the copy operation: 8 bits for the LID1 actions, 32 bits for the LID4 ones
   * and RECEIVE ROD TOKEN INFORMATION; must be 0 for operating parameters / all ROD tokens. @default 0
   */
  readonly listIdentifier?: number;
  /** 32 bits. @default 4096 */
  readonly allocationLength?: number;
}

export const ReceiveCopyResultsParamsSchema: z.ZodType<ReceiveCopyResultsParams> = z
  .strictObject({
    serviceAction: zCode(RECEIVE_COPY_SERVICE_ACTION, 5),
    listIdentifier: zUint(32).exactOptional(),
    allocationLength: zUint(32).exactOptional(),
  })
  .refine(
    (p) => {
      const sa =
        typeof p.serviceAction === 'number' ? p.serviceAction : RECEIVE_COPY_SERVICE_ACTION[p.serviceAction];
      const id = p.listIdentifier ?? 0;
      return LID4_ACTIONS.has(sa) || (LID1_ACTIONS.has(sa) ? id <= 0xff : id === 0);
    },
    { message: 'listIdentifier does not fit this service action', path: ['listIdentifier'] },
  );

/**
 * THIRD-PARTY COPY IN (RECEIVE COPY RESULTS in SPC-3). Unknown raw service actions are sent with
 * the LIST IDENTIFIER left zero unless they are one of the LID1/LID4 actions above.
 */
export function buildReceiveCopyResults(params: ReceiveCopyResultsParams): CdbSpec {
  checkParams(params, 'params');
  const sa = pickCode(RECEIVE_COPY_SERVICE_ACTION, params.serviceAction, 5, 'serviceAction');
  const listIdentifier = params.listIdentifier ?? 0;
  const allocationLength = checkUint(params.allocationLength ?? 4096, 32, 'allocationLength');
  const cdb = new Uint8Array(16);
  cdb[0] = 0x84;
  cdb[1] = sa;
  if (LID1_ACTIONS.has(sa)) {
    cdb[2] = checkUint(listIdentifier, 8, 'listIdentifier');
  } else if (LID4_ACTIONS.has(sa)) {
    putU32(cdb, 2, checkUint(listIdentifier, 32, 'listIdentifier'));
  } else if (listIdentifier !== 0) {
    throw new CdbBuildError('listIdentifier', `service action 0x${sa.toString(16)} has no list identifier`);
  }
  putU32(cdb, 10, allocationLength);
  return specIn(cdb, allocationLength, RECEIVE_COPY_NAMES[sa] ?? 'THIRD-PARTY COPY IN');
}

export interface ReceiveRodTokenInformationParams {
  /** 32-bit LIST IDENTIFIER of the POPULATE TOKEN / WRITE USING TOKEN / EXTENDED COPY(LID4). */
  readonly listIdentifier: number;
  /** 32 bits; a ROD token alone is 512 bytes. @default 1024 */
  readonly allocationLength?: number;
}

export const ReceiveRodTokenInformationParamsSchema: z.ZodType<ReceiveRodTokenInformationParams> =
  z.strictObject({
    listIdentifier: zUint(32),
    allocationLength: zUint(32).exactOptional(),
  });

/** RECEIVE ROD TOKEN INFORMATION (84h/07h): status of a token copy and, after POPULATE TOKEN, the token. */
export function buildReceiveRodTokenInformation(params: ReceiveRodTokenInformationParams): CdbSpec {
  checkParams(params, 'params');
  return buildReceiveCopyResults({
    serviceAction: 'rodTokenInformation',
    listIdentifier: checkUint(params.listIdentifier, 32, 'listIdentifier'),
    allocationLength: params.allocationLength ?? 1024,
  });
}
