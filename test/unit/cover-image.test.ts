import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  COVER_MAX_BYTES,
  type CoverResult,
  type CoverVariant,
  processCover,
} from '../../src/news/cover-image.js';

const RED = { r: 200, g: 40, b: 40 };

const canvas = (width: number, height: number, alpha = false) =>
  sharp({
    create: { width, height, channels: alpha ? 4 : 3, background: alpha ? { ...RED, alpha: 0 } : RED },
  });

const jpeg = (width: number, height: number) => canvas(width, height).jpeg().toBuffer();

function accepted(result: CoverResult) {
  if (!result.ok) throw new Error(`refused: ${result.problem}`);
  return result;
}

async function expectDecodesAsStated(variant: CoverVariant) {
  const meta = await sharp(variant.bytes).metadata();
  expect(meta.format).toBe(variant.kind === 'webp' ? 'webp' : 'jpeg');
  expect(variant.mime).toBe(variant.kind === 'webp' ? 'image/webp' : 'image/jpeg');
  expect([meta.width, meta.height]).toEqual([variant.width, variant.height]);
  expect(meta.exif).toBeUndefined();
}

describe('processing a news cover image', () => {
  it.each([
    ['JPEG', () => jpeg(1000, 500)],
    ['PNG with alpha', () => canvas(1000, 500, true).png().toBuffer()],
    ['WebP', () => canvas(1000, 500).webp().toBuffer()],
  ])('accepts a %s, hashes it and gives variants that decode as stated', async (_case, make) => {
    const input = await make();
    const result = accepted(await processCover(input));
    expect(result.sha256).toBe(createHash('sha256').update(input).digest('hex'));
    expect([result.width, result.height]).toEqual([1000, 500]);
    for (const variant of result.variants) await expectDecodesAsStated(variant);
  });

  it.each([
    [2000, [480, 960, 1600], 1200],
    [1000, [480, 960], 1000],
    [400, [400], 400],
  ])(
    'makes WebP variants for a %i px wide image without upscaling',
    async (width, webpWidths, shareWidth) => {
      const { variants } = accepted(await processCover(await jpeg(width, width / 2)));
      expect(variants.map((v) => [v.kind, v.width, v.height])).toEqual([
        ...webpWidths.map((w) => ['webp', w, w / 2]),
        ['share', shareWidth, shareWidth / 2],
      ]);
    },
  );

  it('flattens transparency onto white in the share JPEG', async () => {
    const { variants } = accepted(await processCover(await canvas(800, 400, true).png().toBuffer()));
    const share = variants.find((v) => v.kind === 'share');
    const { data, info } = await sharp(share?.bytes).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(3);
    expect([...data.subarray(0, 3)]).toEqual([255, 255, 255]);
  });

  it('applies the EXIF orientation and strips all metadata, GPS included', async () => {
    const input = await canvas(800, 400)
      .jpeg()
      .withExif({
        IFD0: { ImageDescription: 'rumah-pak-camat' },
        IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '6/1 58/1 30/1' },
      })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const before = await sharp(input).metadata();
    expect(before.orientation).toBe(6);
    expect(before.exif?.includes('rumah-pak-camat')).toBe(true);

    const result = accepted(await processCover(input));
    expect([result.width, result.height]).toEqual([400, 800]);
    expect(result.variants.map((v) => [v.kind, v.width, v.height])).toEqual([
      ['webp', 400, 800],
      ['share', 400, 800],
    ]);
    for (const variant of result.variants) {
      await expectDecodesAsStated(variant);
      expect(variant.bytes.includes('rumah-pak-camat')).toBe(false);
    }
  });

  it.each([
    ['an SVG', () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="800" height="400"/>')],
    [
      'an SVG with an XML declaration',
      () =>
        Buffer.from(
          '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="800" height="400"/>',
        ),
    ],
    ['a GIF', () => canvas(800, 400).gif().toBuffer()],
    ['a TIFF', () => canvas(800, 400).tiff().toBuffer()],
    ['an AVIF', () => canvas(800, 400).avif().toBuffer()],
  ])('refuses %s as an unsupported format', async (_case, make) => {
    expect(await processCover(await make())).toEqual({ ok: false, problem: 'unsupported_format' });
  });

  it.each([
    ['an HTML page', async () => Buffer.from('<!doctype html><script>alert(1)</script>')],
    [
      'a PNG header followed by garbage',
      async () => Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from('bukan gambar')]),
    ],
    ['a truncated JPEG', async () => (await jpeg(800, 400)).subarray(0, 400)],
    ['random bytes', async () => Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 37 + 11) % 256))],
  ])('refuses %s as not an image', async (_case, make) => {
    expect(await processCover(await make())).toEqual({ ok: false, problem: 'not_an_image' });
  });

  it('refuses an empty upload and one over the byte limit', async () => {
    expect(await processCover(Buffer.alloc(0))).toEqual({ ok: false, problem: 'empty' });
    const big = Buffer.concat([await jpeg(800, 400), Buffer.alloc(COVER_MAX_BYTES)]).subarray(
      0,
      COVER_MAX_BYTES + 1,
    );
    expect(await processCover(big)).toEqual({ ok: false, problem: 'too_large' });
  });

  it('refuses a small file that would decode to too many pixels', async () => {
    const bomb = await canvas(8000, 6000).png({ compressionLevel: 9 }).toBuffer();
    expect(bomb.length).toBeLessThan(COVER_MAX_BYTES);
    expect(await processCover(bomb)).toEqual({ ok: false, problem: 'too_large' });
  });

  it.each([
    [100, 100],
    [1000, 150],
  ])('refuses a %ix%i image as too small', async (width, height) => {
    expect(await processCover(await jpeg(width, height))).toEqual({ ok: false, problem: 'too_small' });
  });
});
