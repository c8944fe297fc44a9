import { COVER_SHARE_WIDTH, COVER_WIDTHS } from './cover-image.js';

/** What a page needs to show a cover: URLs of its stored widths, its intrinsic size (to reserve space) and alt text. */
export interface CoverImage {
  id: number;
  alt: string;
  width: number;
  height: number;
  /** The 960 px WebP (or the largest there is, for a narrower upload). */
  src: string;
  srcset: string;
  /** The JPEG for link previews and the feed, with its size. */
  share: { path: string; width: number; height: number };
}

/** The variant widths processCover stored for an image of this width. */
const storedWidths = (width: number): number[] => {
  const widths = COVER_WIDTHS.filter((w) => w <= width);
  return widths.length > 0 ? widths : [width];
};

export function coverImage(id: number, width: number, height: number, alt: string): CoverImage {
  const widths = storedWidths(width);
  const path = (w: number) => `/berita/gambar/${id}/${w}.webp`;
  const main = widths.includes(960) ? 960 : (widths.at(-1) as number);
  const shareWidth = Math.min(COVER_SHARE_WIDTH, width);
  return {
    id,
    alt,
    width: main,
    height: Math.round((main * height) / width),
    src: path(main),
    srcset: widths.map((w) => `${path(w)} ${w}w`).join(', '),
    share: {
      path: `/berita/gambar/${id}/bagikan.jpg`,
      width: shareWidth,
      height: Math.round((shareWidth * height) / width),
    },
  };
}
