/**
 * Every case of the behaviour suite, as data: its id (the key the deviations table uses), a title
 * and the answer SPC-5 / SBC-4 call for. Pure data, no vitest: the docs table is rendered from it.
 */

export interface CaseInfo {
  /** Test title (the id is prefixed when registered). */
  readonly title: string;
  /** The standard's answer, one line, for docs/targets.md. */
  readonly standard: string;
}

export const CASES = {
  'inquiry.standard': {
    title: 'INQUIRY: standard data (PDT 0, RDF 2, ≥ 36 bytes, SPC-3 or later)',
    standard: 'GOOD; PDT 00h, RESPONSE DATA FORMAT 2, ADDITIONAL LENGTH ≥ 31, VERSION ≥ 05h',
  },
  'inquiry.allocation-length': {
    title: 'INQUIRY: a short allocation length truncates, nothing else changes',
    standard: 'GOOD; the first N bytes of the full answer (ADDITIONAL LENGTH unchanged)',
  },
  'inquiry.vpd.00': {
    title: 'INQUIRY VPD 00h: supported pages, ascending, listing itself and the expected pages',
    standard: 'GOOD; page 00h, ascending list that includes 00h',
  },
  'inquiry.vpd.80': {
    title: 'INQUIRY VPD 80h: unit serial number',
    standard: 'GOOD; page 80h, printable ASCII',
  },
  'inquiry.vpd.83': {
    title: 'INQUIRY VPD 83h: device identification with an NAA logical-unit designator',
    standard: 'GOOD; designators well formed; a logical unit NAA designator',
  },
  'inquiry.vpd.b0': {
    title: 'INQUIRY VPD B0h: block limits',
    standard: 'GOOD; page B0h, length 3Ch',
  },
  'inquiry.vpd.b1': {
    title: 'INQUIRY VPD B1h: block device characteristics',
    standard: 'GOOD; page B1h, length 3Ch',
  },
  'inquiry.vpd.b2': {
    title: 'INQUIRY VPD B2h: logical block provisioning',
    standard: 'GOOD; page B2h; thin: LBPU or LBPWS set',
  },
  'inquiry.vpd.invalid-page': {
    title: 'INQUIRY VPD of an unsupported page: INVALID FIELD IN CDB at byte 2',
    standard: '05/24/00, field pointer CDB byte 2',
  },
  'inquiry.page-without-evpd': {
    title: 'INQUIRY with EVPD 0 and a page code: INVALID FIELD IN CDB at byte 2',
    standard: '05/24/00, field pointer CDB byte 2',
  },
  'test-unit-ready': {
    title: 'TEST UNIT READY: GOOD, no data',
    standard: 'GOOD',
  },
  'request-sense': {
    title: 'REQUEST SENSE with nothing pending: NO SENSE in fixed format',
    standard: 'GOOD; sense data 70h, key 0 (NO SENSE)',
  },
  'read-capacity': {
    title: 'READ CAPACITY(10) and (16) agree with each other and the target',
    standard: 'GOOD; same last LBA and block length (RC10 FFFFFFFFh only beyond 32 bits)',
  },
  'rw.6': {
    title: 'WRITE(6) then READ(6): byte-exact round trip',
    standard: 'GOOD; data read back equals data written',
  },
  'rw.10': {
    title: 'WRITE(10) then READ(10): byte-exact round trip',
    standard: 'GOOD; data read back equals data written',
  },
  'rw.12': {
    title: 'WRITE(12) then READ(12): byte-exact round trip',
    standard: 'GOOD; data read back equals data written',
  },
  'rw.16': {
    title: 'WRITE(16) then READ(16): byte-exact round trip',
    standard: 'GOOD; data read back equals data written',
  },
  'rw.fua': {
    title: 'WRITE(16) and READ(10) with FUA: GOOD and the same data',
    standard: 'GOOD (DPOFUA reported in MODE SENSE)',
  },
  'read.past-end': {
    title: 'READ(16) at the capacity: LBA OUT OF RANGE',
    standard: '05/21/00',
  },
  'read.crossing-end': {
    title: 'READ(10) of 2 blocks from the last LBA: LBA OUT OF RANGE',
    standard: '05/21/00',
  },
  'write.past-end': {
    title: 'WRITE(16) at the capacity: LBA OUT OF RANGE',
    standard: '05/21/00',
  },
  'read10.zero-length': {
    title: 'READ(10) of 0 blocks: GOOD, nothing transferred',
    standard: 'GOOD, no data',
  },
  'read6.zero-is-256': {
    title: 'READ(6) with TRANSFER LENGTH 0 reads 256 blocks',
    standard: 'GOOD; 256 blocks, equal to READ(10) of 256 blocks',
  },
  'verify.bytchk0': {
    title: 'VERIFY(10) BYTCHK 0: medium check only',
    standard: 'GOOD',
  },
  'verify.bytchk1-match': {
    title: 'VERIFY(10) BYTCHK 1 with matching data',
    standard: 'GOOD (or 05/24/00 when byte-by-byte compare is not supported)',
  },
  'verify.bytchk1-miscompare': {
    title: 'VERIFY(10) BYTCHK 1 with one byte changed: MISCOMPARE, INFORMATION = offset',
    standard: '0E/1D/00, INFORMATION = offset of the first differing byte',
  },
  'write-same.10': {
    title: 'WRITE SAME(10): one block replicated, read back',
    standard: 'GOOD; every block equals the data-out block',
  },
  'write-same.16': {
    title: 'WRITE SAME(16): one block replicated, read back',
    standard: 'GOOD; every block equals the data-out block',
  },
  'sync-cache.10': { title: 'SYNCHRONIZE CACHE(10) of a range', standard: 'GOOD' },
  'sync-cache.16': { title: 'SYNCHRONIZE CACHE(16) of a range', standard: 'GOOD' },
  'caw.match': {
    title: 'COMPARE AND WRITE with matching compare data writes',
    standard: 'GOOD; the write data is on the medium',
  },
  'caw.miscompare': {
    title: 'COMPARE AND WRITE miscompare: MISCOMPARE, INFORMATION = offset, nothing written',
    standard: '0E/1D/00, INFORMATION = offset of the first differing byte; medium unchanged',
  },
  'thin.unmap': {
    title: 'UNMAP on a thin target: GOOD; zeroes read back when LBPRZ',
    standard: 'GOOD; LBPRZ → the blocks read as zeroes',
  },
  'thin.write-same-unmap': {
    title: 'WRITE SAME(16) UNMAP with a zero block on a thin target',
    standard: 'GOOD; the blocks read as zeroes',
  },
  'thin.get-lba-status': {
    title: 'GET LBA STATUS after UNMAP reports the blocks deallocated',
    standard: 'GOOD; descriptor for the LBA: deallocated (1) or anchored (2)',
  },
  'mode-sense.caching': {
    title: 'MODE SENSE(6) caching page 08h',
    standard: 'GOOD; page 08h, length 12h; block descriptor matches the block length',
  },
  'mode-sense.control': {
    title: 'MODE SENSE(6) control page 0Ah',
    standard: 'GOOD; page 0Ah, length 0Ah (05/24/00 if not implemented)',
  },
  'mode-sense.rw-recovery': {
    title: 'MODE SENSE(6) read-write error recovery page 01h',
    standard: 'GOOD; page 01h, length 0Ah',
  },
  'mode-sense.ie': {
    title: 'MODE SENSE(6) informational exceptions control page 1Ch',
    standard: 'GOOD; page 1Ch, length 0Ah (05/24/00 if not implemented)',
  },
  'mode-sense.all-pages': {
    title: 'MODE SENSE(10) page 3Fh: every page, ascending, lengths consistent',
    standard: 'GOOD; pages ascending, the caching page among them',
  },
  'mode-sense.changeable': {
    title: 'MODE SENSE(10) changeable values of the caching page',
    standard: 'GOOD; same page length as the current values',
  },
  'mode-select.wce': {
    title: 'MODE SELECT(10) toggles WCE when changeable (else INVALID FIELD IN PARAMETER LIST)',
    standard: 'GOOD and MODE SENSE shows the new WCE; not changeable → 05/26/00',
  },
  'mode-select.no-self-unit-attention': {
    title: 'MODE SELECT: no MODE PARAMETERS CHANGED unit attention for the initiator that sent it',
    standard: 'the next command is GOOD (2A/01 goes to the other I_T nexuses only)',
  },
  'log-sense.supported-pages': {
    title: 'LOG SENSE page 00h: supported pages, ascending',
    standard: 'GOOD; page 00h, ascending list including 00h',
  },
  'report-luns': {
    title: 'REPORT LUNS: a list of 8-byte LUNs',
    standard: 'GOOD; LUN LIST LENGTH a multiple of 8, at least one LUN',
  },
  'rsoc.all': {
    title: 'REPORT SUPPORTED OPERATION CODES, all commands',
    standard: 'GOOD; INQUIRY and READ(10) listed with their CDB lengths',
  },
  'rsoc.one': {
    title: 'REPORT SUPPORTED OPERATION CODES, one command (READ(10))',
    standard: 'GOOD; SUPPORT 011b, CDB SIZE 10, usage data starting 28h',
  },
  'start-stop.start': {
    title: 'START STOP UNIT with START 1 (IMMED 0)',
    standard: 'GOOD',
  },
  'start-stop.stop-then-start': {
    title: 'START STOP UNIT START 0 makes media access NOT READY until START 1',
    standard: 'GOOD; then TEST UNIT READY → 02/04/xx; START 1 → GOOD',
  },
  'opcode.unsupported': {
    title: 'An unsupported operation code: INVALID COMMAND OPERATION CODE',
    standard: '05/20/00',
  },
  'cdb.reserved-bit': {
    title: 'TEST UNIT READY with a reserved bit set',
    standard: 'GOOD (reserved fields need not be checked) or 05/24/00 with field pointer CDB byte 2 bit 0',
  },
  'pr.read-keys': {
    title: 'PERSISTENT RESERVE IN, READ KEYS',
    standard: 'GOOD; 8-byte header, ADDITIONAL LENGTH a multiple of 8 (05/20/00 if PR not implemented)',
  },
  'pr.two-initiators': {
    title: 'Persistent reservations between two initiators: Write Exclusive blocks the other one’s writes',
    standard: 'REGISTER/RESERVE GOOD; other initiator: WRITE → RESERVATION CONFLICT, READ → GOOD',
  },
} as const satisfies Record<string, CaseInfo>;

export type CaseId = keyof typeof CASES;

export const CASE_IDS = Object.keys(CASES) as CaseId[];
