import slugify from '@sindresorhus/slugify';

export const SLUG_MAX_LENGTH = 80;

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

// Replaces slugify's English defaults ('&' → 'and', '♥' → 'love', '🦄' → 'unicorn'). An apostrophe joins its
// word ("Jum’at" → "jumat") instead of splitting it.
const REPLACEMENTS: [string, string][] = [
  ['&', ' dan '],
  ['♥', ' '],
  ['🦄', ' '],
  ["'", ''],
  ['’', ''],
];

// The dot after a one-letter abbreviation inside a run such as "S.H." or "H.M.", so that it becomes "sh", not "s-h".
const INITIAL_DOT = /(?<![\p{L}\p{N}])(\p{L})\.(?=\p{L})/gu;

/** slug cut to at most max characters, at its last hyphen that fits, or mid-word when no hyphen does. */
function shorten(slug: string, max: number): string {
  if (slug.length <= max) return slug;
  const cut = slug.lastIndexOf('-', max);
  return cut > 0 ? slug.slice(0, cut) : slug.slice(0, max);
}

/** A URL slug from a post title: lowercase ASCII letters, digits and single hyphens, at most 80 characters, cut at a word boundary. '' when the title has nothing usable. */
export function slugFromTitle(title: string): string {
  const slug = slugify(title.replace(INITIAL_DOT, '$1'), {
    customReplacements: REPLACEMENTS,
    // Indonesian titles separate their words with spaces; splitting "KemenPAN" or "DPRDnya" would only garble them.
    decamelize: false,
  });
  return shorten(slug, SLUG_MAX_LENGTH);
}

/** Whether text is a slug an admin may choose: /^[a-z0-9]+(?:-[a-z0-9]+)*$/ and 1..80 chars. */
export function isValidSlug(text: string): boolean {
  return text.length <= SLUG_MAX_LENGTH && SLUG.test(text);
}

/** base, or base-2, base-3 … the first one not taken (keeps within SLUG_MAX_LENGTH by shortening base at a hyphen when needed). */
export async function uniqueSlug(
  base: string,
  isTaken: (slug: string) => boolean | Promise<boolean>,
): Promise<string> {
  let slug = shorten(base, SLUG_MAX_LENGTH);
  for (let n = 2; await isTaken(slug); n++) {
    const suffix = `-${n}`;
    slug = shorten(base, SLUG_MAX_LENGTH - suffix.length) + suffix;
  }
  return slug;
}
