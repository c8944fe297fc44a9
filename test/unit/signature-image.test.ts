import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { MAX_SIGNATURE_BYTES, readSignatureImage } from '../../src/pledges/signing/signature-image.js';

const pngDataUrl = (width: number, height: number, draw: boolean) => {
  const png = new PNG({ width, height });
  if (draw) for (let x = 10; x < Math.min(width, 60); x += 1) png.data[(20 * width + x) * 4 + 3] = 255;
  return `data:image/png;base64,${PNG.sync.write(png).toString('base64')}`;
};

describe('reading the drawn signature', () => {
  it('accepts a real PNG with something drawn, and hashes it', () => {
    const result = readSignatureImage(pngDataUrl(300, 100, true));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.png?.subarray(1, 4).toString()).toBe('PNG');
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('treats an empty field and a blank drawing as signing with the typed name only', () => {
    expect(readSignatureImage('')).toEqual({ ok: true, png: null, sha256: null });
    expect(readSignatureImage(pngDataUrl(300, 100, false))).toEqual({ ok: true, png: null, sha256: null });
  });

  it.each([
    [
      'text posing as a PNG',
      `data:image/png;base64,${Buffer.from('bukan gambar sama sekali, hanya teks').toString('base64')}`,
    ],
    ['a JPEG data URL', 'data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ=='],
    [
      'an SVG data URL',
      `data:image/svg+xml;base64,${Buffer.from('<svg onload="alert(1)"/>').toString('base64')}`,
    ],
    ['no data URL at all', 'javascript:alert(1)'],
  ])('refuses %s', (_case, input) => {
    expect(readSignatureImage(input)).toEqual({ ok: false, problem: 'not_png' });
  });

  it('refuses a PNG with a broken body (bad CRC) although its header looks right', () => {
    const broken = Buffer.from(pngDataUrl(200, 80, true).split(',')[1] as string, 'base64');
    const at = broken.length - 20;
    broken[at] = (broken[at] as number) ^ 0xff;
    expect(readSignatureImage(`data:image/png;base64,${broken.toString('base64')}`)).toEqual({
      ok: false,
      problem: 'not_png',
    });
  });

  it('refuses a canvas too large to be a signature, before decoding it', () => {
    expect(readSignatureImage(pngDataUrl(4000, 100, true))).toEqual({ ok: false, problem: 'too_large' });
  });

  it('refuses more bytes than the limit', () => {
    const big = `data:image/png;base64,${'A'.repeat(Math.ceil((MAX_SIGNATURE_BYTES * 4) / 3) + 400)}`;
    expect(readSignatureImage(big)).toEqual({ ok: false, problem: 'too_large' });
  });
});
