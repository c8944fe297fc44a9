/**
 * The optional cover image of a news post, uploaded by an admin: checked, then resized into the variants the site
 * serves (WebP for srcset, one JPEG for OpenGraph/Twitter cards and the feed).
 *
 * - The format is judged by the bytes, never by the file name or the MIME type the browser sent: only JPEG, PNG and
 *   WebP pass, by their magic bytes and again by what sharp decodes. SVG is refused although sharp can render it
 *   (it is XML that may carry script and external references); refused formats never reach a decoder.
 * - A small file can still decode to a huge image (a 130 KB PNG can hold 48 megapixels of white): the size in the
 *   header is checked before any pixel is decoded, and sharp is told the same limit.
 * - Every variant is written without metadata (sharp strips it unless asked to keep it): phone photos carry the GPS
 *   position where they were taken, and the camera and owner. The EXIF orientation is applied to the pixels first.
 */
import { createHash } from 'node:crypto';
import { loadSharp, type Sharp } from '../core/sharp.js';

export const COVER_MAX_BYTES = 2 * 1024 * 1024;
/** Widths of the WebP variants served with srcset; never upscaled. */
export const COVER_WIDTHS = [480, 960, 1600] as const;
/** Width of the one JPEG variant used for OpenGraph/Twitter cards and the feed. */
export const COVER_SHARE_WIDTH = 1200;
const MAX_PIXELS = 40_000_000;
const MIN_WIDTH = 320;
const MIN_HEIGHT = 160;
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** One stored size of a cover (a row of post_image_variants): a WebP for pages, or the JPEG for sharing. */
export interface CoverVariant {
  kind: 'webp' | 'share';
  width: number;
  height: number;
  mime: 'image/webp' | 'image/jpeg';
  bytes: Buffer;
}

/** An upload checked and re-encoded, ready to store (a row of post_images with its variants). */
export interface ProcessedCover {
  /** Hex SHA-256 of the uploaded bytes. */
  sha256: string;
  /** Size after EXIF rotation. */
  width: number;
  height: number;
  variants: CoverVariant[];
}

export type CoverProblem = 'empty' | 'too_large' | 'not_an_image' | 'unsupported_format' | 'too_small';
export type CoverResult = ({ ok: true } & ProcessedCover) | { ok: false; problem: CoverProblem };

type AllowedFormat = 'jpeg' | 'png' | 'webp';

export async function processCover(input: Buffer): Promise<CoverResult> {
  if (input.length === 0) return { ok: false, problem: 'empty' };
  if (input.length > COVER_MAX_BYTES) return { ok: false, problem: 'too_large' };
  const format = allowedFormat(input);
  if (!format) return { ok: false, problem: isRefusedImage(input) ? 'unsupported_format' : 'not_an_image' };
  const sharp = await loadSharp();
  try {
    // Reads the header only; no pixel limit here so that a bomb is reported as too large, not as unreadable.
    const meta = await sharp(input, { limitInputPixels: false }).metadata();
    if (meta.format !== format) return { ok: false, problem: 'not_an_image' };
    if (meta.width * meta.height > MAX_PIXELS) return { ok: false, problem: 'too_large' };
    const { width, height } = meta.autoOrient;
    if (width < MIN_WIDTH || height < MIN_HEIGHT) return { ok: false, problem: 'too_small' };
    const webpWidths = COVER_WIDTHS.filter((w) => w <= width);
    const variants: CoverVariant[] = [];
    // One at a time: each decode of a large photo takes tens of megabytes.
    for (const w of webpWidths.length > 0 ? webpWidths : [width])
      variants.push(await render(sharp, input, 'webp', w));
    variants.push(await render(sharp, input, 'share', Math.min(COVER_SHARE_WIDTH, width)));
    const sha256 = createHash('sha256').update(input).digest('hex');
    return { ok: true, sha256, width, height, variants };
  } catch {
    // A corrupt or truncated file passes the magic bytes and often the header, and fails when decoded.
    return { ok: false, problem: 'not_an_image' };
  }
}

function allowedFormat(input: Buffer): AllowedFormat | null {
  if (input[0] === 0xff && input[1] === 0xd8 && input[2] === 0xff) return 'jpeg';
  if (input.subarray(0, 8).equals(PNG_MAGIC)) return 'png';
  if (input.toString('latin1', 0, 4) === 'RIFF' && input.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return null;
}

/** Images sharp could read but a cover may not be: GIF, TIFF, AVIF/HEIF (an ISO box "ftyp") and SVG. */
function isRefusedImage(input: Buffer): boolean {
  const head = input.toString('latin1', 0, 12);
  if (/^(GIF8|II\*\0|MM\0\*)/.test(head) || head.slice(4, 8) === 'ftyp') return true;
  return /^\uFEFF?\s*<(svg|\?xml)/i.test(input.toString('utf8', 0, 100));
}

async function render(
  sharp: Sharp,
  input: Buffer,
  kind: CoverVariant['kind'],
  width: number,
): Promise<CoverVariant> {
  const image = sharp(input, { limitInputPixels: MAX_PIXELS }).autoOrient().resize({ width });
  const { data, info } =
    kind === 'webp'
      ? await image.webp({ quality: 80 }).toBuffer({ resolveWithObject: true })
      : await image
          .flatten({ background: '#ffffff' })
          .jpeg({ quality: 82 })
          .toBuffer({ resolveWithObject: true });
  const mime = kind === 'webp' ? 'image/webp' : 'image/jpeg';
  return { kind, width: info.width, height: info.height, mime, bytes: data };
}
