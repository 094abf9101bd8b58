/**
 * @scsikit/cdb: CDB builders (`build…`) and decoders (`decode…`) for SPC, SBC, ZBC, SAT and
 * persistent reservations, the sense decoder and the T10 tables. Pure TypeScript, no I/O.
 *
 * @module @scsikit/cdb
 */
export * from './bytes.js';
export * from './cdb-decode.js';
export * from './commands/copy.js';
export * from './commands/diagnostic-buffer.js';
export * from './commands/persistent-reservation.js';
export * from './commands/sat.js';
export * from './commands/sbc-admin.js';
export * from './commands/sbc-io.js';
export * from './commands/security.js';
export * from './commands/smc.js';
export * from './commands/spc.js';
export * from './commands/ssc.js';
export * from './commands/zbc.js';
export * from './errors.js';
export * from './names.js';
export * from './pages/ata.js';
// Disk health (issue #21): ATA registers from sense data, SMART RETURN STATUS, the health verdict's inputs.
export * from './pages/ata-status.js';
export * from './pages/capacity.js';
export * from './pages/copy-results.js';
export * from './pages/designators.js';
export * from './pages/inquiry.js';
export * from './pages/lba-status.js';
export * from './pages/log.js';
export * from './pages/log-pages.js';
export * from './pages/luns.js';
export * from './pages/media-serial-number.js';
export * from './pages/mode.js';
export * from './pages/mode-pages.js';
export * from './pages/persistent-reservation.js';
export * from './pages/read-buffer.js';
export * from './pages/security-protocol.js';
export * from './pages/ses.js';
export * from './pages/smc.js';
export * from './pages/ssc.js';
export * from './pages/supported-opcodes.js';
export * from './pages/target-port-groups.js';
export * from './pages/vpd.js';
export * from './pages/zones.js';
export * from './protocol-identifiers.js';
export * from './registry.js';
export * from './sense.js';
export * from './spec/t10-tables.generated.js';
export * from './types.js';
