/**
 * One or more valid calls of every CDB builder `@scsikit/cdb` exports, and the list of builders
 * that produce parameter data instead of a CDB. registry.test.ts checks that these two lists cover
 * every `build…` export and that every sample's CDB has a registry entry.
 */

import type { CdbSpec } from '../src/index.js';
import * as cdb from '../src/index.js';

const KEY = 0x1122334455667788n;
const io = { lba: 0, blocks: 1 } as const;

/** Builders whose output is a parameter list (data-out bytes), not a CDB. */
export const DATA_BUILDERS: ReadonlySet<string> = new Set([
  'buildDiagnosticPage',
  'buildEnclosureControlPage',
  'buildFcTransportId',
  'buildFormatUnitData',
  'buildIscsiTransportId',
  'buildLogSelectData',
  'buildModeSelectData',
  'buildPersistentReserveOutData',
  'buildReassignBlocksData',
  'buildRegisterAndMoveData',
  'buildSanitizeOverwriteData',
  'buildSasTransportId',
  'buildUnmapData',
]);

/** Builder name → calls with valid arguments (several where one builder covers several service actions). */
export const CDB_SAMPLES: Readonly<Record<string, readonly (() => CdbSpec)[]>> = {
  // SSC-5 (tape): checked against the registry's tape scope (SAMPLE_PERIPHERAL_TYPE below).
  buildErase6: [() => cdb.buildErase6({ long: true })],
  buildLoadUnload: [() => cdb.buildLoadUnload({ load: true }), () => cdb.buildLoadUnload({ load: false })],
  buildLocate10: [() => cdb.buildLocate10({ blockAddress: 3 })],
  buildLocate16: [() => cdb.buildLocate16({ logicalIdentifier: 3n, destType: 'file' })],
  buildReadBlockLimits: [() => cdb.buildReadBlockLimits(), () => cdb.buildReadBlockLimits({ mloi: true })],
  buildReadPosition: [
    () => cdb.buildReadPosition(),
    () => cdb.buildReadPosition({ form: 'long' }),
    () => cdb.buildReadPosition({ form: 'extended' }),
  ],
  buildReportDensitySupport: [() => cdb.buildReportDensitySupport({ media: true })],
  buildRewind: [() => cdb.buildRewind()],
  buildSpace16: [() => cdb.buildSpace16({ code: 'filemarks', count: -2n })],
  buildSpace6: [() => cdb.buildSpace6({ code: 'filemarks', count: -1 })],
  buildTapeRead6: [
    () => cdb.buildTapeRead6({ fixed: false, length: 1024, sili: true }),
    () => cdb.buildTapeRead6({ fixed: true, length: 4, blockLength: 512 }),
  ],
  buildTapeWrite6: [() => cdb.buildTapeWrite6({ fixed: true, length: 2, blockLength: 512 })],
  buildWriteFilemarks16: [() => cdb.buildWriteFilemarks16({ count: 2 })],
  buildWriteFilemarks6: [() => cdb.buildWriteFilemarks6({ count: 2 })],
  buildActivateDeferredMicrocode: [() => cdb.buildActivateDeferredMicrocode()],
  buildAtaIdentifyDevice: [() => cdb.buildAtaIdentifyDevice()],
  buildInitializeElementStatus: [() => cdb.buildInitializeElementStatus()],
  buildInitializeElementStatusWithRange: [
    () =>
      cdb.buildInitializeElementStatusWithRange({
        range: true,
        startingElementAddress: 1,
        numberOfElements: 2,
      }),
  ],
  buildMoveMedium: [() => cdb.buildMoveMedium({ sourceAddress: 0x1000, destinationAddress: 0x100 })],
  buildReadElementStatus: [() => cdb.buildReadElementStatus({ volTag: true })],
  buildAtaPassThrough: [
    () => cdb.buildAtaPassThrough({ protocol: 'nonData', command: 0xe7 }, { size: 12 }),
    () => cdb.buildAtaPassThrough({ protocol: 'nonData', command: 0xe7 }, { size: 16 }),
    () => cdb.buildAtaPassThrough({ protocol: 'nonData', command: 0xe7 }, { size: 32 }),
  ],
  buildAtaPassThrough12: [() => cdb.buildAtaPassThrough12({ protocol: 'nonData', command: 0xe7 })],
  buildAtaPassThrough16: [() => cdb.buildAtaPassThrough16({ protocol: 'nonData', command: 0xe7 })],
  buildAtaPassThrough32: [() => cdb.buildAtaPassThrough32({ protocol: 'nonData', command: 0xe7 })],
  buildAtaReadLogExt: [() => cdb.buildAtaReadLogExt(0x04, 0, 1)],
  buildAtaSmartReadData: [() => cdb.buildAtaSmartReadData()],
  buildAtaSmartReadLog: [() => cdb.buildAtaSmartReadLog(0x01, 1)],
  buildAtaSmartReadThresholds: [() => cdb.buildAtaSmartReadThresholds()],
  buildAtaSmartReturnStatus: [
    () => cdb.buildAtaSmartReturnStatus(),
    () => cdb.buildAtaSmartReturnStatus({ cdbSize: 12 }),
  ],
  buildCloseZone: [() => cdb.buildCloseZone({ all: true })],
  buildCompareAndWrite: [() => cdb.buildCompareAndWrite(io)],
  buildExtendedCopy: [
    () => cdb.buildExtendedCopy({ parameterListLength: 64 }),
    () => cdb.buildExtendedCopy({ lid: 'lid4', parameterListLength: 64 }),
  ],
  buildFinishZone: [() => cdb.buildFinishZone({ all: true })],
  buildFormatUnit: [() => cdb.buildFormatUnit()],
  buildGetLbaStatus: [() => cdb.buildGetLbaStatus()],
  buildInquiry: [() => cdb.buildInquiry(), () => cdb.buildInquiry({ evpd: true, pageCode: 0x80 })],
  buildLogSelect: [() => cdb.buildLogSelect()],
  buildLogSense: [() => cdb.buildLogSense({ pageCode: 0 })],
  buildModeSelect10: [() => cdb.buildModeSelect10({ parameterListLength: 24 })],
  buildModeSelect6: [() => cdb.buildModeSelect6({ parameterListLength: 24 })],
  buildModeSense10: [() => cdb.buildModeSense10({ pageCode: 0x08 })],
  buildModeSense6: [() => cdb.buildModeSense6({ pageCode: 0x08 })],
  buildOpenZone: [() => cdb.buildOpenZone({ all: true })],
  buildOrwrite16: [() => cdb.buildOrwrite16(io)],
  buildPersistentReserveIn: (
    ['readKeys', 'readReservation', 'reportCapabilities', 'readFullStatus'] as const
  ).map((serviceAction) => () => cdb.buildPersistentReserveIn({ serviceAction })),
  buildPersistentReserveOut: Object.keys(cdb.PR_OUT_SERVICE_ACTION).map(
    (serviceAction) => () =>
      cdb.buildPersistentReserveOut({
        serviceAction: serviceAction as cdb.PrOutServiceAction,
        type: 'writeExclusive',
        parameterListLength: 24,
      }),
  ),
  buildPrClear: [() => cdb.buildPrClear({ key: KEY }).spec],
  buildPrPreempt: [() => cdb.buildPrPreempt({ key: KEY, preemptKey: 1n, type: 'writeExclusive' }).spec],
  buildPrRegister: [() => cdb.buildPrRegister({ newKey: KEY }).spec],
  buildPrRegisterAndMove: [
    () =>
      cdb.buildPrRegisterAndMove({
        reservationKey: KEY,
        serviceActionReservationKey: 2n,
        relativeTargetPortIdentifier: 1,
        transportId: cdb.buildSasTransportId(0x5000c50000000001n),
        type: 'writeExclusive',
      }).spec,
  ],
  buildPrRelease: [() => cdb.buildPrRelease({ key: KEY, type: 'writeExclusive' }).spec],
  buildPrReserve: [() => cdb.buildPrReserve({ key: KEY, type: 'writeExclusive' }).spec],
  buildPreFetch10: [() => cdb.buildPreFetch10()],
  buildPreFetch16: [() => cdb.buildPreFetch16()],
  buildPreventAllowMediumRemoval: [() => cdb.buildPreventAllowMediumRemoval({ prevent: 1 })],
  buildRead: ([6, 10, 12, 16, 32] as const).map((size) => () => cdb.buildRead(io, { size })),
  buildRead10: [() => cdb.buildRead10(io)],
  buildRead12: [() => cdb.buildRead12(io)],
  buildRead16: [() => cdb.buildRead16(io)],
  buildRead32: [() => cdb.buildRead32(io)],
  buildRead6: [() => cdb.buildRead6(io)],
  buildReadAttribute: [() => cdb.buildReadAttribute()],
  buildReadAuto: [() => cdb.buildReadAuto(io)],
  buildReadBuffer10: [() => cdb.buildReadBuffer10({ mode: 'data', allocationLength: 512 })],
  buildReadBuffer16: [() => cdb.buildReadBuffer16({ mode: 'data', allocationLength: 512 })],
  buildReadCapacity10: [() => cdb.buildReadCapacity10()],
  buildReadCapacity16: [() => cdb.buildReadCapacity16()],
  buildReadDefectData10: [() => cdb.buildReadDefectData10()],
  buildReadDefectData12: [() => cdb.buildReadDefectData12()],
  buildReadMediaSerialNumber: [() => cdb.buildReadMediaSerialNumber()],
  buildReassignBlocks: [() => cdb.buildReassignBlocks({ parameterListLength: 8 })],
  buildReceiveCopyResults: Object.keys(cdb.RECEIVE_COPY_SERVICE_ACTION).map(
    (serviceAction) => () =>
      cdb.buildReceiveCopyResults({ serviceAction: serviceAction as cdb.ReceiveCopyServiceAction }),
  ),
  buildReceiveDiagnosticResults: [() => cdb.buildReceiveDiagnosticResults()],
  buildReceiveRodTokenInformation: [() => cdb.buildReceiveRodTokenInformation({ listIdentifier: 1 })],
  buildReportIdentifyingInformation: [() => cdb.buildReportIdentifyingInformation()],
  buildReportLuns: [() => cdb.buildReportLuns()],
  buildReportRealms: [() => cdb.buildReportRealms()],
  buildReportReferrals: [() => cdb.buildReportReferrals()],
  buildReportSupportedOperationCodes: [() => cdb.buildReportSupportedOperationCodes({ mode: 'all' })],
  buildReportSupportedTaskManagementFunctions: [() => cdb.buildReportSupportedTaskManagementFunctions()],
  buildReportTargetPortGroups: [() => cdb.buildReportTargetPortGroups()],
  buildReportZoneDomains: [() => cdb.buildReportZoneDomains()],
  buildReportZones: [() => cdb.buildReportZones()],
  buildRequestSense: [() => cdb.buildRequestSense()],
  buildResetWritePointer: [() => cdb.buildResetWritePointer({ all: true })],
  buildSanitize: Object.keys(cdb.SANITIZE_SERVICE_ACTIONS).map(
    (serviceAction) => () =>
      cdb.buildSanitize({
        serviceAction: serviceAction as cdb.SanitizeServiceAction,
        ...(serviceAction === 'overwrite' ? { parameterListLength: 8 } : {}),
      }),
  ),
  buildSecurityProtocolIn: [
    () => cdb.buildSecurityProtocolIn({ securityProtocol: 0, allocationLength: 512 }),
  ],
  buildSecurityProtocolOut: [
    () => cdb.buildSecurityProtocolOut({ securityProtocol: 1, transferLength: 512 }),
  ],
  buildSendDiagnostic: [() => cdb.buildSendDiagnostic()],
  buildSequentializeZone: [() => cdb.buildSequentializeZone({ all: true })],
  buildStartStopUnit: [() => cdb.buildStartStopUnit()],
  buildSynchronizeCache10: [() => cdb.buildSynchronizeCache10()],
  buildSynchronizeCache16: [() => cdb.buildSynchronizeCache16()],
  buildTestUnitReady: [() => cdb.buildTestUnitReady()],
  buildUnmap: [() => cdb.buildUnmap({ parameterListLength: 24 })],
  buildVerify: ([10, 12, 16, 32] as const).map((size) => () => cdb.buildVerify(io, { size })),
  buildVerify10: [() => cdb.buildVerify10(io)],
  buildVerify12: [() => cdb.buildVerify12(io)],
  buildVerify16: [() => cdb.buildVerify16(io)],
  buildVerify32: [() => cdb.buildVerify32(io)],
  buildWrite: ([6, 10, 12, 16, 32] as const).map((size) => () => cdb.buildWrite(io, { size })),
  buildWrite10: [() => cdb.buildWrite10(io)],
  buildWrite12: [() => cdb.buildWrite12(io)],
  buildWrite16: [() => cdb.buildWrite16(io)],
  buildWrite32: [() => cdb.buildWrite32(io)],
  buildWrite6: [() => cdb.buildWrite6(io)],
  buildWriteAndVerify: ([10, 12, 16, 32] as const).map((size) => () => cdb.buildWriteAndVerify(io, { size })),
  buildWriteAndVerify10: [() => cdb.buildWriteAndVerify10(io)],
  buildWriteAndVerify12: [() => cdb.buildWriteAndVerify12(io)],
  buildWriteAndVerify16: [() => cdb.buildWriteAndVerify16(io)],
  buildWriteAndVerify32: [() => cdb.buildWriteAndVerify32(io)],
  buildWriteAtomic16: [() => cdb.buildWriteAtomic16(io)],
  buildWriteAuto: [() => cdb.buildWriteAuto(io)],
  buildWriteBuffer: [() => cdb.buildWriteBuffer({ mode: 'data', parameterListLength: 512 })],
  buildWriteSame10: [() => cdb.buildWriteSame10(io)],
  buildWriteSame16: [() => cdb.buildWriteSame16(io)],
  buildWriteSame32: [() => cdb.buildWriteSame32(io)],
  buildZbcOut: Object.keys(cdb.ZBC_OUT_SA).map(
    (action) => () => cdb.buildZbcOut(action as cdb.ZbcOutAction, { all: true }),
  ),
};

/** Builders of another device type's commands: the peripheral type whose registry scope names them. */
export const SAMPLE_PERIPHERAL_TYPE: Readonly<Record<string, number>> = {
  // SSC-5 (tape)
  buildErase6: 0x01,
  buildLoadUnload: 0x01,
  buildLocate10: 0x01,
  buildLocate16: 0x01,
  buildReadBlockLimits: 0x01,
  buildReadPosition: 0x01,
  buildReportDensitySupport: 0x01,
  buildRewind: 0x01,
  buildSpace16: 0x01,
  buildSpace6: 0x01,
  buildTapeRead6: 0x01,
  buildTapeWrite6: 0x01,
  buildWriteFilemarks16: 0x01,
  buildWriteFilemarks6: 0x01,
  // SMC-3 (media changer)
  buildInitializeElementStatus: 0x08,
  buildInitializeElementStatusWithRange: 0x08,
  buildMoveMedium: 0x08,
  buildReadElementStatus: 0x08,
};
