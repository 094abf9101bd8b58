/**
 * The read-only guard's and the retry policy's view of a CDB: whether it only reads ('read') or may
 * change the medium or the device ('write'), and whether it is safe to send twice. The facts live in
 * `@scsikit/cdb`'s command registry (`COMMANDS`, one entry per command, the reasons for the
 * debatable ones at their entries); this module only names the question for core.
 *
 * - Any opcode or service action the registry does not list (vendor-specific, obsolete, unknown) is
 *   a non-idempotent write, including through `execute`.
 * - ATA PASS-THROUGH(12/16) is 'read' only for the data-in protocols; the registry's entry decides
 *   from the CDB.
 */
import { type CommandClass, classifyCdb } from '@scsikit/cdb';

export type { CommandAccess, CommandClass } from '@scsikit/cdb';

/**
 * Classifies a CDB by opcode and service action (see the module comment) for a device type: one
 * opcode is another command on a tape, a changer or an enclosure (absent: a block device).
 */
export function classifyCommand(cdb: Uint8Array, peripheralType?: number): CommandClass {
  return classifyCdb(cdb, peripheralType);
}
