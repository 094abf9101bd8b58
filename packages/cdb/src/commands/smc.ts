/**
 * Media changer builders (SMC-3): READ ELEMENT STATUS, MOVE MEDIUM, INITIALIZE ELEMENT STATUS and
 * INITIALIZE ELEMENT STATUS WITH RANGE. These opcodes mean these commands only on a peripheral
 * device type 08h device (07h is REASSIGN BLOCKS on a disk): the registry scopes them to 'changer'.
 */
import { z } from 'zod';
import { checkParams } from '../args.js';
import { checkUint, putU16, putU24 } from '../bytes.js';
import { CdbBuildError } from '../errors.js';
import type { CdbSpec } from '../types.js';
import { flag, pickCode, specIn, specNone, zCode, zUint } from './cdb-spec.js';

/** ELEMENT TYPE CODE (SMC-3 Table 9): 0 all types, 1 medium transport, 2 storage, 3 import/export, 4 data transfer. */
export type ElementTypeName = 'all' | 'mediumTransport' | 'storage' | 'importExport' | 'dataTransfer';
export const ELEMENT_TYPE: Readonly<Record<ElementTypeName, number>> = {
  all: 0,
  mediumTransport: 1,
  storage: 2,
  importExport: 3,
  dataTransfer: 4,
};

// ---------------------------------------------------------------------------------------------
// READ ELEMENT STATUS (B8h)

export interface ReadElementStatusParams {
  /** ELEMENT TYPE CODE, by name or 4-bit value. @default 'all' */
  readonly elementType?: ElementTypeName | number;
  /** VOLTAG: report the primary/alternate volume tags (barcodes). @default false */
  readonly volTag?: boolean;
  /** STARTING ELEMENT ADDRESS (16 bits). @default 0 */
  readonly startingElementAddress?: number;
  /** NUMBER OF ELEMENTS (16 bits). @default 0xffff */
  readonly numberOfElements?: number;
  /** CURDATA: report from the device's current data, without moving anything to find it out. @default false */
  readonly curData?: boolean;
  /** DVCID: ask for the device identifiers of data transfer elements. @default false */
  readonly dvcid?: boolean;
  /** ALLOCATION LENGTH (24 bits). @default 65536 */
  readonly allocationLength?: number;
}

export const ReadElementStatusParamsSchema: z.ZodType<ReadElementStatusParams> = z.strictObject({
  elementType: zCode(ELEMENT_TYPE, 4).exactOptional(),
  volTag: z.boolean().exactOptional(),
  startingElementAddress: zUint(16).exactOptional(),
  numberOfElements: zUint(16).exactOptional(),
  curData: z.boolean().exactOptional(),
  dvcid: z.boolean().exactOptional(),
  allocationLength: zUint(24).exactOptional(),
});

/** READ ELEMENT STATUS (SMC-3 6.11): 12 bytes, allocation length in bytes 7-9. */
export function buildReadElementStatus(params: ReadElementStatusParams = {}): CdbSpec {
  checkParams(params, 'params');
  const type = pickCode(ELEMENT_TYPE, params.elementType ?? 'all', 4, 'elementType');
  const start = checkUint(params.startingElementAddress ?? 0, 16, 'startingElementAddress');
  const count = checkUint(params.numberOfElements ?? 0xffff, 16, 'numberOfElements');
  const allocationLength = checkUint(params.allocationLength ?? 65536, 24, 'allocationLength');
  const cdb = new Uint8Array(12);
  cdb[0] = 0xb8;
  cdb[1] = flag(params.volTag, 4, 'volTag') | type;
  putU16(cdb, 2, start);
  putU16(cdb, 4, count);
  cdb[6] = flag(params.curData, 1, 'curData') | flag(params.dvcid, 0, 'dvcid');
  putU24(cdb, 7, allocationLength);
  return specIn(cdb, allocationLength, 'READ ELEMENT STATUS');
}

// ---------------------------------------------------------------------------------------------
// MOVE MEDIUM (A5h)

export interface MoveMediumParams {
  /** MEDIUM TRANSPORT ADDRESS; 0 lets the changer pick its default transport. @default 0 */
  readonly transportElementAddress?: number;
  /** SOURCE ADDRESS (16 bits). */
  readonly sourceAddress: number;
  /** DESTINATION ADDRESS (16 bits). */
  readonly destinationAddress: number;
  /** INVERT: turn the medium over on the way (two-sided media). @default false */
  readonly invert?: boolean;
}

export const MoveMediumParamsSchema: z.ZodType<MoveMediumParams> = z.strictObject({
  transportElementAddress: zUint(16).exactOptional(),
  sourceAddress: zUint(16),
  destinationAddress: zUint(16),
  invert: z.boolean().exactOptional(),
});

/** MOVE MEDIUM (SMC-3 6.6): no data phase; byte 10 bit 0 INVERT. */
export function buildMoveMedium(params: MoveMediumParams): CdbSpec {
  checkParams(params, 'params');
  const transport = checkUint(params.transportElementAddress ?? 0, 16, 'transportElementAddress');
  const source = checkUint(params.sourceAddress, 16, 'sourceAddress');
  const destination = checkUint(params.destinationAddress, 16, 'destinationAddress');
  const cdb = new Uint8Array(12);
  cdb[0] = 0xa5;
  putU16(cdb, 2, transport);
  putU16(cdb, 4, source);
  putU16(cdb, 6, destination);
  cdb[10] = flag(params.invert, 0, 'invert');
  return specNone(cdb, 'MOVE MEDIUM');
}

// ---------------------------------------------------------------------------------------------
// INITIALIZE ELEMENT STATUS (07h) and WITH RANGE (37h)

export type InitializeElementStatusParams = Record<string, never>;
export const InitializeElementStatusParamsSchema: z.ZodType<InitializeElementStatusParams> = z.strictObject(
  {},
);

/** INITIALIZE ELEMENT STATUS (SMC-3 6.2): the changer re-checks every element (an inventory). */
export function buildInitializeElementStatus(_params: InitializeElementStatusParams = {}): CdbSpec {
  checkParams(_params, 'params');
  const cdb = new Uint8Array(6);
  cdb[0] = 0x07;
  return specNone(cdb, 'INITIALIZE ELEMENT STATUS');
}

export interface InitializeElementStatusWithRangeParams {
  /** RANGE: only the elements from `startingElementAddress`; without it, every element. @default false */
  readonly range?: boolean;
  /** FAST: check only for the presence of media, without scanning labels. @default false */
  readonly fast?: boolean;
  /** STARTING ELEMENT ADDRESS (16 bits); needs `range`. @default 0 */
  readonly startingElementAddress?: number;
  /** NUMBER OF ELEMENTS (16 bits); needs `range`. @default 0 */
  readonly numberOfElements?: number;
}

export const InitializeElementStatusWithRangeParamsSchema: z.ZodType<InitializeElementStatusWithRangeParams> =
  z
    .strictObject({
      range: z.boolean().exactOptional(),
      fast: z.boolean().exactOptional(),
      startingElementAddress: zUint(16).exactOptional(),
      numberOfElements: zUint(16).exactOptional(),
    })
    .refine((p) => p.range === true || (!p.startingElementAddress && !p.numberOfElements), {
      message: 'startingElementAddress and numberOfElements need range: true',
      path: ['range'],
    });

/**
 * INITIALIZE ELEMENT STATUS WITH RANGE (SMC-3 6.3): byte 1 bit 1 FAST, bit 0 RANGE. A start or a
 * count without RANGE would be ignored by the changer, so it is refused.
 */
export function buildInitializeElementStatusWithRange(
  params: InitializeElementStatusWithRangeParams = {},
): CdbSpec {
  checkParams(params, 'params');
  const range = flag(params.range, 0, 'range');
  const start = checkUint(params.startingElementAddress ?? 0, 16, 'startingElementAddress');
  const count = checkUint(params.numberOfElements ?? 0, 16, 'numberOfElements');
  if (range === 0 && (start !== 0 || count !== 0))
    throw new CdbBuildError('range', 'startingElementAddress and numberOfElements need range: true');
  const cdb = new Uint8Array(10);
  cdb[0] = 0x37;
  cdb[1] = flag(params.fast, 1, 'fast') | range;
  putU16(cdb, 2, start);
  putU16(cdb, 6, count);
  return specNone(cdb, 'INITIALIZE ELEMENT STATUS WITH RANGE');
}
