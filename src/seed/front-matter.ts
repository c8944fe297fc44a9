/**
 * A small, strict reader of a Markdown file that opens with a header block (the demo posts in db/seeds/posts/):
 *
 *   ---
 *   title: Tata Cara Menandatangani Pakta
 *   pinned: true
 *   ---
 *
 *   The Markdown body…
 *
 * Each header line is `key: value`: a lowercase key (letters, digits, `_`), a colon, one space, then the value to
 * the end of the line, taken as written (no quotes, escapes, lists, comments or continuation lines). The header is
 * closed by a second `---` line and followed by one blank line; the body is everything after that, without the
 * file's final newline. This is not YAML: no front-matter or YAML package is installed, and the seed needs only
 * this. Anything else is refused, naming the file and line.
 */

/** A file the reader refuses: the message names the file and, where there is one, the line. */
export class FrontMatterError extends Error {
  constructor(file: string, line: number | null, problem: string) {
    super(`${file}${line === null ? '' : `:${line}`}: ${problem}`);
    this.name = 'FrontMatterError';
  }
}

export interface FrontMatter {
  /** Each key of the header, with its value. */
  fields: ReadonlyMap<string, string>;
  /** The Markdown after the header and its blank line, without the file's final newline. */
  body: string;
  /** A FrontMatterError about `key`'s line (for values the caller refuses). */
  errorAt: (key: string, problem: string) => FrontMatterError;
}

export interface HeaderKeys {
  required: readonly string[];
  optional: readonly string[];
}

const DELIMITER = '---';
const FIELD = /^([a-z][a-z0-9_]*): (.*)$/;

/** Reads `text` (the content of `file`, named in errors) as a header of `keys` and a Markdown body. */
export function parseFrontMatter(text: string, file: string, keys: HeaderKeys): FrontMatter {
  const fail = (line: number | null, problem: string) => new FrontMatterError(file, line, problem);
  if (text.includes('\r')) throw fail(null, 'has CR characters: save it with LF line endings');
  const lines = text.split('\n');
  if (lines[0] !== DELIMITER) throw fail(1, `the file must start with a "${DELIMITER}" line`);
  const close = lines.indexOf(DELIMITER, 1);
  if (close === -1) throw fail(null, `the header has no closing "${DELIMITER}" line`);

  const known = [...keys.required, ...keys.optional];
  const fields = new Map<string, string>();
  const lineOf = new Map<string, number>();
  for (let i = 1; i < close; i += 1) {
    const number = i + 1;
    const match = FIELD.exec(lines[i] as string);
    if (!match) throw fail(number, 'expected "key: value" (a lowercase key, a colon and one space)');
    const [, key, value] = match as unknown as [string, string, string];
    if (!known.includes(key)) throw fail(number, `unknown key "${key}" (known: ${known.join(', ')})`);
    if (fields.has(key)) throw fail(number, `"${key}" again (first on line ${lineOf.get(key)})`);
    if (value.trim() === '') throw fail(number, `"${key}" has no value`);
    if (value !== value.trim()) throw fail(number, `the value of "${key}" has spaces around it`);
    fields.set(key, value);
    lineOf.set(key, number);
  }
  const missing = keys.required.filter((key) => !fields.has(key));
  if (missing.length > 0) throw fail(null, `the header lacks ${missing.map((key) => `"${key}"`).join(', ')}`);

  if (lines[close + 1] !== '')
    throw fail(close + 2, `expected a blank line after the closing "${DELIMITER}"`);
  const body = lines
    .slice(close + 2)
    .join('\n')
    .replace(/\n$/, '');
  if (body.trim() === '') throw fail(null, 'the body is empty');
  return { fields, body, errorAt: (key, problem) => fail(lineOf.get(key) ?? null, problem) };
}
