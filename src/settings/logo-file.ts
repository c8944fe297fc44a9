/**
 * The instance's logo as an admin uploads it in the settings: PNG or SVG, at most 1 MB, judged by its bytes and never
 * by its name or the type the browser sent (a JPEG named logo.png is refused).
 *
 * - A PNG is decoded and written again by sharp, at most LOGO_MAX_SIDE pixels on its longer side: what is stored is
 *   pixels sharp wrote, without the uploader's metadata or anything riding in other chunks.
 * - An SVG is rebuilt from an allow-list (sanitise-svg.ts), then drawn now with sharp (librsvg): one that does not draw
 *   is refused.
 * - Either way a PNG of at most LOGO_MAX_SIDE pixels, flattened on white, is kept for the letterheads of PDFs: they
 *   embed it as it is and never parse an SVG while a request waits.
 */
import { createHash } from 'node:crypto';
import { loadSharp, type Sharp } from '../core/sharp.js';
import { sanitiseSvg } from './sanitise-svg.js';

export const LOGO_MAX_BYTES = 1024 * 1024;
/** The longer side of the stored pictures, in pixels: sharp on a letterhead, crisp in the header of a phone. */
export const LOGO_MAX_SIDE = 512;
/** A small PNG may declare a huge picture: sharp refuses to decode one larger than this. */
const MAX_PIXELS = 40_000_000;
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/**
 * What may stand before an SVG's root element: white space, an XML declaration, comments and a DOCTYPE that defines
 * nothing of its own (one with an internal subset, `[…]`, may declare entities: refused).
 */
const SVG_PROLOG = /^(?:\s|<\?xml[^>]*\?>|<!--[\s\S]*?-->|<!DOCTYPE\s+svg\b[^[>]*>)*/;

export type LogoMime = 'image/png' | 'image/svg+xml';
export type LogoProblem = 'too_large' | 'unsupported' | 'unreadable';

/** An upload checked and ready to store (the row of `instance_logo`). */
export interface CheckedLogo {
  /** Hex SHA-256 of `bytes`. */
  sha256: string;
  mime: LogoMime;
  /** What is served: the sanitised SVG, or the PNG as sharp wrote it. */
  bytes: Buffer;
  /** The picture's size in pixels (an SVG's as drawn for printPng). */
  width: number;
  height: number;
  /** The logo on white as a PNG, for letterheads. */
  printPng: Buffer;
}

export type LogoResult = ({ ok: true } & CheckedLogo) | { ok: false; problem: LogoProblem };

export async function checkLogo(input: Buffer): Promise<LogoResult> {
  if (input.length > LOGO_MAX_BYTES) return { ok: false, problem: 'too_large' };
  if (input.subarray(0, 8).equals(PNG_MAGIC)) return drawn('image/png', input);
  const svg = svgFrom(input);
  if (svg === null) return { ok: false, problem: 'unsupported' };
  const clean = sanitiseSvg(svg);
  return clean === null
    ? { ok: false, problem: 'unreadable' }
    : drawn('image/svg+xml', Buffer.from(clean, 'utf8'));
}

/** The logo once sharp has drawn it: a PNG as sharp wrote it, an SVG as given; with the PNG for letterheads. */
async function drawn(mime: LogoMime, input: Buffer): Promise<LogoResult> {
  const sharp = await loadSharp();
  try {
    const picture = mime === 'image/png' ? await pngPicture(sharp, input) : await svgPicture(sharp, input);
    if (!picture) return { ok: false, problem: 'unreadable' };
    const bytes = mime === 'image/png' ? picture.data : input;
    return {
      ok: true,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      mime,
      bytes,
      width: picture.info.width,
      height: picture.info.height,
      printPng: await sharp(picture.data).flatten({ background: '#ffffff' }).png().toBuffer(),
    };
  } catch {
    // A truncated or corrupt file passes the first checks and fails when decoded or drawn.
    return { ok: false, problem: 'unreadable' };
  }
}

/** The text from the root `<svg` on, if the bytes are UTF-8 text whose first element is `<svg>`; else null. */
function svgFrom(input: Buffer): string | null {
  let text: string;
  try {
    // A byte order mark is dropped by the decoder.
    text = new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    return null;
  }
  const start = SVG_PROLOG.exec(text)?.[0].length ?? 0;
  return /^<svg[\s/>]/.test(text.slice(start, start + 5)) ? text.slice(start) : null;
}

type Picture = { data: Buffer; info: { width: number; height: number } };

/** At most LOGO_MAX_SIDE pixels on the longer side, never enlarged; as a PNG, without metadata. */
const fitted = (image: ReturnType<Sharp>): Promise<Picture> =>
  image
    .resize({ width: LOGO_MAX_SIDE, height: LOGO_MAX_SIDE, fit: 'inside', withoutEnlargement: true })
    .png()
    .toBuffer({ resolveWithObject: true });

async function pngPicture(sharp: Sharp, input: Buffer): Promise<Picture | null> {
  const image = sharp(input, { limitInputPixels: MAX_PIXELS });
  return (await image.metadata()).format === 'png' ? fitted(image) : null;
}

/** The SVG drawn with its longer side at LOGO_MAX_SIDE pixels, whatever size it declares. */
async function svgPicture(sharp: Sharp, bytes: Buffer): Promise<Picture | null> {
  const meta = await sharp(bytes, { limitInputPixels: MAX_PIXELS }).metadata();
  if (meta.format !== 'svg') return null;
  // Its declared size is read at 72 dpi; librsvg draws at any density (sharp accepts 1–100,000).
  const density = Math.min(100_000, Math.max(1, (72 * LOGO_MAX_SIDE) / Math.max(meta.width, meta.height)));
  return fitted(sharp(bytes, { density, limitInputPixels: MAX_PIXELS }));
}
