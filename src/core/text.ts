// U+FFFD is what a body that was not valid UTF-8 decodes to; control characters (terminal escapes among them)
// have no place in a name, an email or any other single-line field.
// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
const UNPRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/;

export const hasUnprintable = (value: string): boolean => UNPRINTABLE.test(value);

const UNPRINTABLE_ALL = new RegExp(UNPRINTABLE.source, 'g');

/** The text with every unprintable character (as above) replaced by a space. */
/** The text cut to at most `max` characters, ending with '…' when cut. */
export const clipped = (value: string, max: number): string =>
  value.length <= max ? value : `${value.slice(0, max - 1).trimEnd()}…`;

export const withoutUnprintable = (value: string): string => value.replace(UNPRINTABLE_ALL, ' ');
