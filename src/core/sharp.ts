type Sharp = typeof import('sharp').default;
let sharpModule: Promise<Sharp> | undefined;

/**
 * sharp and libvips, loaded with the first image that needs them (a cover, a photographed sheet) rather than at
 * start: about 20 MB of every worker's RSS that pages, signings and reports never use (see docs/CAPACITY.md,
 * "Memory per worker"). A long-running server: decoded images are not kept in memory between uploads.
 */
export const loadSharp = (): Promise<Sharp> =>
  (sharpModule ??= import('sharp').then(({ default: sharp }) => {
    sharp.cache(false);
    return sharp;
  }));

export type { Sharp };
