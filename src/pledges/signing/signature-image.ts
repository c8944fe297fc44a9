import { createHash } from 'node:crypto';
import { PNG } from 'pngjs';

export const MAX_SIGNATURE_BYTES = 150 * 1024;
const MAX_WIDTH = 3000;
const MAX_HEIGHT = 1500;
const DATA_URL = /^data:image\/png;base64,([A-Za-z0-9+/]+={0,2})$/;
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export type SignatureImageResult =
  | { ok: true; png: Buffer | null; sha256: string | null }
  | { ok: false; problem: 'not_png' | 'too_large' };

/**
 * The drawn signature from the form (a PNG data URL from signature_pad), checked to be a real, reasonably sized
 * PNG by decoding it. An empty field or a blank (fully transparent) drawing means "signed with the typed name only".
 */
export function readSignatureImage(dataUrl: string): SignatureImageResult {
  if (dataUrl === '') return { ok: true, png: null, sha256: null };
  const match = DATA_URL.exec(dataUrl);
  if (!match?.[1]) return { ok: false, problem: 'not_png' };
  // base64 is 4/3 the size: refuse before decoding anything too big.
  if ((match[1].length * 3) / 4 > MAX_SIGNATURE_BYTES + 3) return { ok: false, problem: 'too_large' };
  const png = Buffer.from(match[1], 'base64');
  if (png.length > MAX_SIGNATURE_BYTES) return { ok: false, problem: 'too_large' };
  if (png.length < 33 || !png.subarray(0, 8).equals(PNG_MAGIC)) return { ok: false, problem: 'not_png' };
  // IHDR holds the size at fixed offsets: refuse a huge canvas before inflating it.
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  if (width === 0 || height === 0 || width > MAX_WIDTH || height > MAX_HEIGHT)
    return { ok: false, problem: 'too_large' };
  let image: PNG;
  try {
    image = PNG.sync.read(png);
  } catch {
    return { ok: false, problem: 'not_png' };
  }
  if (isBlank(image)) return { ok: true, png: null, sha256: null };
  return { ok: true, png, sha256: createHash('sha256').update(png).digest('hex') };
}

function isBlank(image: PNG): boolean {
  for (let alpha = 3; alpha < image.data.length; alpha += 4) if (image.data[alpha] !== 0) return false;
  return true;
}
