/**
 * PROTOCOL IDENTIFIER values (SPC-6 Table 480): the one table behind TransportIDs, designators,
 * PR IN full status, mode pages and log pages. Codes 0Ch-0Eh are reserved.
 */

/** PROTOCOL IDENTIFIER codes by short key (for building TransportIDs). */
export const PROTOCOL_IDENTIFIER = {
  fc: 0x0,
  spi: 0x1,
  ssa: 0x2,
  sbp: 0x3,
  srp: 0x4,
  iscsi: 0x5,
  sas: 0x6,
  adt: 0x7,
  ata: 0x8,
  uas: 0x9,
  sop: 0xa,
  pcie: 0xb,
  noSpecificProtocol: 0xf,
} as const;

export type ProtocolIdentifierKey = keyof typeof PROTOCOL_IDENTIFIER;

/** Per code: the short name (as sg3_utils prints in PR IN output) and the long one (SPC-6 wording). */
const PROTOCOLS: Readonly<Record<number, readonly [short: string, long: string]>> = {
  0: ['Fibre Channel', 'Fibre Channel (FCP)'],
  1: ['SPI (obsolete)', 'parallel SCSI (SPI)'],
  2: ['SSA', 'SSA (SSA-S3P)'],
  3: ['IEEE 1394 (SBP)', 'IEEE 1394 (SBP)'],
  4: ['SRP', 'SCSI RDMA (SRP)'],
  5: ['iSCSI', 'internet SCSI (iSCSI)'],
  6: ['SAS', 'Serial Attached SCSI (SAS)'],
  7: ['ADT', 'Automation/Drive Interface (ADT)'],
  8: ['ATA', 'AT Attachment Interface (ATA/ATAPI)'],
  9: ['UAS', 'USB Attached SCSI (UAS)'],
  10: ['SOP', 'SCSI over PCI Express (SOP)'],
  11: ['PCIe', 'PCI Express (PCIe)'],
  15: ['no specific protocol', 'no specific protocol'],
};

/** Short PROTOCOL IDENTIFIER names by code ('SAS', 'iSCSI' …); reserved codes are absent. */
export const PROTOCOL_IDENTIFIER_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(PROTOCOLS).map(([code, [short]]) => [code, short]),
);

/** Long PROTOCOL IDENTIFIER name ('Serial Attached SCSI (SAS)'), or 'reserved'. */
export function protocolIdentifierName(code: number): string {
  return PROTOCOLS[code]?.[1] ?? 'reserved';
}

/** Short PROTOCOL IDENTIFIER name ('SAS'), or 'reserved'. */
export function protocolIdentifierShortName(code: number): string {
  return PROTOCOLS[code]?.[0] ?? 'reserved';
}
