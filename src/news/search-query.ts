import ejs from 'ejs';

/** Characters that mark where a search match starts and ends in a snippet; they cannot occur in stored text. */
export const SNIPPET_MARK = { start: '\u0002', end: '\u0003' } as const;

/** Longer queries are cut: nobody types 200 characters into a news search, and FTS work grows with terms. */
export const SEARCH_MAX_CHARS = 200;
const MAX_TERMS = 8;

/** The words of a search as a reader typed it: letters (with their marks) and digits, at most 8 words of the first 200 chars. */
export function searchTerms(query: string): string[] {
  // NFC first: an accent typed as a separate combining mark joins its letter instead of splitting the word.
  const words =
    query
      .slice(0, SEARCH_MAX_CHARS)
      .normalize('NFC')
      .match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
  return [...new Set(words.map((w) => w.toLocaleLowerCase('id')))].slice(0, MAX_TERMS);
}

/**
 * An FTS5 MATCH expression that finds posts containing every word (each also as a prefix: "pemil" finds
 * "pemilu"), or null when the query has no words. Each word is quoted, so FTS syntax typed by a reader (`"`,
 * `*`, `NEAR(`, `AND`, `-`, `:`) is never parsed as syntax.
 */
export function ftsQuery(query: string): string | null {
  const terms = searchTerms(query);
  return terms.length === 0 ? null : ftsExpression(terms);
}

/** SQLite's FTS5 expression for words from searchTerms: every word, each also as a prefix, each quoted. */
export const ftsExpression = (terms: readonly string[]): string =>
  terms.map((term) => `"${term}"*`).join(' ');

/**
 * PostgreSQL's to_tsquery text for words from searchTerms: every word (`&`), each also as a prefix (`:*`). The words
 * hold only letters, marks and digits, so nothing in them is tsquery syntax.
 */
export const tsQueryExpression = (terms: readonly string[]): string =>
  terms.map((term) => `${term}:*`).join(' & ');

/** A snippet from the repository as HTML: the text escaped, each match in <mark>. */
export function snippetHtml(snippet: string): string {
  return ejs
    .escapeXML(snippet)
    .replaceAll(SNIPPET_MARK.start, '<mark>')
    .replaceAll(SNIPPET_MARK.end, '</mark>');
}
