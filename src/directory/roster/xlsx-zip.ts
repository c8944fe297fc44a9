// Looking at an XLSX (a zip) before the XLSX reader does: what it is, and how large its parts really unpack.
import { createInflateRaw } from 'node:zlib';
import { ParseFailure } from './grid.js';

// What the parts of an XLSX may add up to once unpacked: a 20 MB upload must not become gigabytes.
const MAX_XLSX_UNPACKED_BYTES = 256 * 1024 * 1024;
/**
 * What one part may unpack to. The XLSX reader keeps every shared string in memory and builds each text it meets
 * whole, so a part is all one string could be. A 100,000-row roster with 25 MB of text is a 26 MB
 * xl/sharedStrings.xml and a 30 MB sheet (measured, as Excel and exceljs write it); one at the import's 32 MB of
 * text (MAX_STORED_BYTES) fits in 64 MB, even with its strings inline in the sheet.
 */
export const MAX_XLSX_PART_BYTES = 64 * 1024 * 1024;

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;

/**
 * Looks at the zip's central directory before anything is unpacked: it must be an XLSX (it has xl/workbook.xml)
 * and its parts must not claim to unpack to more than MAX_XLSX_UNPACKED_BYTES; then measures what they really do.
 */
export async function checkZip(data: Buffer): Promise<void> {
  let end = -1;
  // The end-of-central-directory record is 22 bytes plus a comment of at most 65 535.
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 65_535); i -= 1) {
    if (data.readUInt32LE(i) === EOCD_SIGNATURE) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new ParseFailure('malformed_xlsx');
  const entries = data.readUInt16LE(end + 10);
  let position = data.readUInt32LE(end + 16);
  let unpacked = 0;
  let workbook = false;
  for (let n = 0; n < entries; n += 1) {
    if (position + 46 > data.length || data.readUInt32LE(position) !== CENTRAL_SIGNATURE) {
      throw new ParseFailure('malformed_xlsx');
    }
    const nameLength = data.readUInt16LE(position + 28);
    const name = data.toString('utf8', position + 46, position + 46 + nameLength);
    if (name === 'xl/workbook.xml') workbook = true;
    // A zip64 entry says 0xFFFFFFFF here: counted as that large, it is refused.
    unpacked += data.readUInt32LE(position + 24);
    position += 46 + nameLength + data.readUInt16LE(position + 30) + data.readUInt16LE(position + 32);
  }
  if (!workbook) throw new ParseFailure('not_xlsx');
  if (unpacked > MAX_XLSX_UNPACKED_BYTES) throw new ParseFailure('xlsx_too_large');
  await checkInflatedSize(data);
}

const LOCAL_SIGNATURE = 0x04034b50;
const DESCRIPTOR_SIGNATURE = 0x08074b50;

/**
 * The sizes in a zip's directory are only claims, and the XLSX reader does not use them: it walks the entries one
 * after another and inflates each until its data ends. Walk them the same way and really inflate them, counting
 * and dropping what comes out, each part under MAX_XLSX_PART_BYTES and all under one budget, so that a file that
 * lies about its sizes is refused before the reader (and its temporary files) see it.
 */
export async function checkInflatedSize(
  data: Buffer,
  limits = { total: MAX_XLSX_UNPACKED_BYTES, part: MAX_XLSX_PART_BYTES },
): Promise<void> {
  let budget = limits.total;
  let position = 0;
  while (position + 30 <= data.length && data.readUInt32LE(position) === LOCAL_SIGNATURE) {
    const flags = data.readUInt16LE(position + 6);
    const method = data.readUInt16LE(position + 8);
    let compressed = data.readUInt32LE(position + 18);
    const start = position + 30 + data.readUInt16LE(position + 26) + data.readUInt16LE(position + 28);
    if (start > data.length) throw new ParseFailure('malformed_xlsx');
    let size: number;
    if (method === 8) {
      ({ size, compressed } = await inflatedSize(data.subarray(start), Math.min(budget, limits.part)));
    } else if (method === 0 && (flags & 8) === 0) {
      size = compressed;
    } else {
      throw new ParseFailure('malformed_xlsx');
    }
    budget -= size;
    if (budget < 0 || size > limits.part) throw new ParseFailure('xlsx_too_large');
    position = start + compressed;
    // A data descriptor follows the data when bit 3 is set (with or without its own signature).
    if ((flags & 8) !== 0)
      position +=
        position + 4 <= data.length && data.readUInt32LE(position) === DESCRIPTOR_SIGNATURE ? 16 : 12;
  }
}

/** How many bytes deflated data at the start of `data` inflates to (refused past `limit`), and how long it is. */
async function inflatedSize(data: Buffer, limit: number): Promise<{ size: number; compressed: number }> {
  const inflate = createInflateRaw();
  let size = 0;
  let tooLarge = false;
  inflate.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit && !tooLarge) {
      tooLarge = true;
      inflate.destroy();
    }
  });
  const done = new Promise<void>((resolve, reject) => {
    inflate.once('end', resolve).once('close', resolve).once('error', reject);
  });
  inflate.end(data);
  await done.catch(() => {
    throw new ParseFailure('malformed_xlsx');
  });
  if (tooLarge) throw new ParseFailure('xlsx_too_large');
  return { size, compressed: inflate.bytesWritten };
}
