/**
 * Mode page header framing shared by ./mode.ts and ./mode-pages.ts. Internal: not re-exported from
 * the package index (the `ModePageFrame` type is, through mode-pages.ts).
 */
import type { ByteReader } from '../bytes.js';

/** Header facts of one mode page: byte 0 PS/SPF/page code, then subpage + 16-bit length if SPF. */
export interface ModePageFrame {
  readonly pageCode: number;
  readonly subpageCode: number;
  readonly spf: boolean;
  readonly ps: boolean;
  /** The PAGE LENGTH field: bytes after the length field. */
  readonly pageLength: number;
  /** 2 (page_0 format) or 4 (sub_page format). */
  readonly headerLength: number;
}

/** Reads the page header at `offset`; DecodeError (from the reader) when its bytes are missing. */
export function readModePageFrame(r: ByteReader, offset: number): ModePageFrame {
  const b0 = r.u8(offset, 'pageCode');
  const spf = (b0 & 0x40) !== 0;
  const ps = (b0 & 0x80) !== 0;
  const pageCode = b0 & 0x3f;
  if (spf) {
    return {
      pageCode,
      subpageCode: r.u8(offset + 1, 'subpageCode'),
      spf,
      ps,
      pageLength: r.u16(offset + 2, 'pageLength'),
      headerLength: 4,
    };
  }
  return { pageCode, subpageCode: 0, spf, ps, pageLength: r.u8(offset + 1, 'pageLength'), headerLength: 2 };
}
