/**
 * A scan of a signed paper (a ceremony's signing sheet, a unit agreement): PDF, JPEG or PNG, judged by its bytes and
 * never by its name or the type the browser sent.
 *
 * - A PDF is kept byte for byte: it must start with `%PDF-` and end with `%%EOF` (a truncated upload fails), and is
 *   always served as a download, never shown in the site's own origin.
 * - A photo is re-encoded without its metadata (a phone's JPEG carries where and with what it was taken), the EXIF
 *   orientation applied first; one that does not decode is refused. sharp is loaded on the first photo only.
 */
import { createHash } from 'node:crypto';
import { loadSharp } from '../core/sharp.js';

export const SCAN_MAX_BYTES = 10 * 1024 * 1024;
const MAX_PIXELS = 60_000_000;
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export type ScanMime = 'application/pdf' | 'image/jpeg' | 'image/png';
export type ScanProblem = 'missing' | 'too_large' | 'unsupported';

/** An upload checked and ready to store (a row of `scans`). */
export interface CheckedScan {
  mime: ScanMime;
  /** Hex SHA-256 of the bytes stored (after metadata was stripped from a photo). */
  sha256: string;
  bytes: Buffer;
  fileName: string;
}

export type ScanResult = ({ ok: true } & CheckedScan) | { ok: false; problem: ScanProblem };

export async function checkScan(input: Buffer | undefined, originalName: string): Promise<ScanResult> {
  if (!input || input.length === 0) return { ok: false, problem: 'missing' };
  if (input.length > SCAN_MAX_BYTES) return { ok: false, problem: 'too_large' };
  const mime = sniff(input);
  if (!mime) return { ok: false, problem: 'unsupported' };
  let bytes = input;
  if (mime !== 'application/pdf') {
    const stripped = await withoutMetadata(input, mime);
    if (!stripped) return { ok: false, problem: 'unsupported' };
    bytes = stripped;
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { ok: true, mime, sha256, bytes, fileName: safeFileName(originalName, mime) };
}

function sniff(input: Buffer): ScanMime | null {
  if (input.toString('latin1', 0, 5) === '%PDF-') {
    // The trailer is within the last kilobyte of a complete PDF (after it, at most a few bytes of line ends).
    return input.toString('latin1', Math.max(0, input.length - 1024)).includes('%%EOF')
      ? 'application/pdf'
      : null;
  }
  if (input[0] === 0xff && input[1] === 0xd8 && input[2] === 0xff) return 'image/jpeg';
  if (input.subarray(0, 8).equals(PNG_MAGIC)) return 'image/png';
  return null;
}

async function withoutMetadata(input: Buffer, mime: 'image/jpeg' | 'image/png'): Promise<Buffer | null> {
  const sharp = await loadSharp();
  try {
    const image = sharp(input, { limitInputPixels: MAX_PIXELS }).autoOrient();
    const meta = await image.metadata();
    if (meta.format !== (mime === 'image/png' ? 'png' : 'jpeg')) return null;
    // sharp writes no metadata unless asked to keep it.
    return mime === 'image/png' ? await image.png().toBuffer() : await image.jpeg({ quality: 90 }).toBuffer();
  } catch {
    return null;
  }
}

const EXTENSIONS: Record<ScanMime, string> = {
  'application/pdf': '.pdf',
  'image/jpeg': '.jpg',
  'image/png': '.png',
};

/** The name the file is offered under: the uploader's, in plain characters, with the extension of what it is. */
function safeFileName(originalName: string, mime: ScanMime): string {
  const base = originalName
    .replace(/\.[^.]*$/, '')
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9 _-]+/g, '')
    .trim()
    .slice(0, 100);
  return `${base || 'pindaian'}${EXTENSIONS[mime]}`;
}
