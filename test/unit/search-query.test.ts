import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ftsQuery,
  SEARCH_MAX_CHARS,
  SNIPPET_MARK,
  searchTerms,
  snippetHtml,
} from '../../src/news/search-query.js';

const { start: S, end: E } = SNIPPET_MARK;

describe('the words of a search', () => {
  it('keeps letters and digits only, lowercased', () => {
    expect(searchTerms('Pemilu 2024: Netralitas ASN!')).toEqual(['pemilu', '2024', 'netralitas', 'asn']);
  });

  it('keeps letters of any script and their diacritics', () => {
    expect(searchTerms('Café KÖLN 北京')).toEqual(['café', 'köln', '北京']);
  });

  it('keeps a letter typed with a combining accent (decomposed, NFD) inside its word', () => {
    expect(searchTerms('Pe\u0301milu')).toHaveLength(1);
  });

  it('counts a repeated word once, whatever its case', () => {
    expect(searchTerms('Pemilu pemilu PEMILU pemilu')).toEqual(['pemilu']);
  });

  it('keeps at most the first 8 different words', () => {
    expect(searchTerms('satu dua tiga empat lima enam tujuh delapan sembilan sepuluh')).toEqual([
      'satu',
      'dua',
      'tiga',
      'empat',
      'lima',
      'enam',
      'tujuh',
      'delapan',
    ]);
  });

  it('reads only the first 200 characters (a word crossing the limit is cut there)', () => {
    expect(SEARCH_MAX_CHARS).toBe(200);
    const query = `${'x'.repeat(197)} pemilu netralitas`;
    expect(searchTerms(query)).toEqual(['x'.repeat(197), 'pe']);
  });

  it('has no words in punctuation, spaces or FTS operators alone', () => {
    for (const query of ['', '   ', '"', '*', '-', '^', '(', ')', ':', '"*()-:^+{}[],.;!?', '\u200b\u00a0']) {
      expect(searchTerms(query)).toEqual([]);
    }
  });
});

describe('the FTS5 expression of a search', () => {
  it('quotes every word and matches it as a prefix, all words required', () => {
    expect(ftsQuery('Pemil Jawa Tengah')).toBe('"pemil"* "jawa"* "tengah"*');
  });

  it('turns FTS syntax a reader typed into plain quoted words', () => {
    expect(ftsQuery('NEAR(pemilu asn, 5)')).toBe('"near"* "pemilu"* "asn"* "5"*');
    expect(ftsQuery('pemilu AND asn OR NOT pns')).toBe('"pemilu"* "and"* "asn"* "or"* "not"* "pns"*');
    expect(ftsQuery('title:netralitas')).toBe('"title"* "netralitas"*');
    expect(ftsQuery('-pemilu ^asn "pns')).toBe('"pemilu"* "asn"* "pns"*');
    expect(ftsQuery('{title excerpt}: "a" + b*')).toBe('"title"* "excerpt"* "a"* "b"*');
  });

  it('is null when there is no word to look for', () => {
    for (const query of ['', ' ', '"', '*', '(', '-', '^', '"""', '*:*', '...', '"(*)-^:+']) {
      expect(ftsQuery(query)).toBeNull();
    }
  });

  it('holds at most 8 terms, however long the query', () => {
    const words = Array.from({ length: 500 }, (_, i) => `kata${i}`).join(' ');
    const match = ftsQuery(words) as string;
    expect(match.split(' ')).toHaveLength(8);
    expect(match.startsWith('"kata0"* "kata1"*')).toBe(true);
  });
});

describe('a search snippet as HTML', () => {
  it('marks each match and escapes everything else', () => {
    const html = snippetHtml(`Rapat <b>tim</b> & "${S}Pemilu${E}" O'Brien ${S}ASN${E}…`);
    expect(html).toBe(
      'Rapat &lt;b&gt;tim&lt;/b&gt; &amp; &#34;<mark>Pemilu</mark>&#34; O&#39;Brien <mark>ASN</mark>…',
    );
  });

  it('does not let text that looks like a mark tag become one', () => {
    const html = snippetHtml(`<mark>palsu</mark> ${S}asli${E} <script>alert(1)</script>`);
    expect(html).toBe(
      '&lt;mark&gt;palsu&lt;/mark&gt; <mark>asli</mark> &lt;script&gt;alert(1)&lt;/script&gt;',
    );
    expect(html).not.toContain('<script');
  });

  it('is the plain text when nothing is marked', () => {
    expect(snippetHtml('Tanpa tanda apa pun')).toBe('Tanpa tanda apa pun');
  });
});

describe('FTS5 expressions against a real FTS5 table', () => {
  let db: Database.Database;
  beforeEach(() => {
    db = new Database(':memory:');
    db.exec(
      "CREATE VIRTUAL TABLE x USING fts5(t, tokenize = 'unicode61 remove_diacritics 2');" +
        "INSERT INTO x(t) VALUES ('Pemilu Serentak 2024 di Jawa Tengah'), ('Netralitas ASN dan pakta integritas'), ('Café rakyat');",
    );
  });
  afterEach(() => db.close());

  const search = (query: string): string[] | null => {
    const match = ftsQuery(query);
    if (match === null) return null;
    return db
      .prepare<[string], { t: string }>('SELECT t FROM x WHERE x MATCH ? ORDER BY rowid')
      .all(match)
      .map((row) => row.t);
  };

  const NASTY = [
    '"',
    '""',
    '"pemilu',
    'pemilu"',
    '*',
    '**',
    '*pemilu',
    'NEAR(',
    'NEAR(a b, 2)',
    'NEAR',
    'AND',
    'OR',
    'NOT',
    'pemilu AND',
    'AND pemilu',
    'pemilu NOT',
    '-',
    '-pemilu',
    '--',
    'title:x',
    't:pemilu',
    '{t}:pemilu',
    '- t : pemilu',
    '^',
    '^pemilu',
    '(',
    ')',
    '(pemilu',
    'pemilu)',
    'a OR (',
    '+',
    'a + b',
    "'; DROP TABLE x; --",
    '%',
    '_',
    '\\',
    '\u0000pemilu',
    '💥 pemilu 🦄',
    'pe\u0301milu',
    'zero\u200bwidth',
    'بحث عربي',
    '北京 上海',
    'x'.repeat(10_000),
    `${'pemilu '.repeat(2_000)}`,
    Array.from({ length: 300 }, (_, i) => `w${i}`).join(' '),
  ];

  it.each(NASTY.map((q) => [q.length > 40 ? `${q.slice(0, 40)}… (${q.length} chars)` : q, q]))(
    'never makes MATCH throw for %j',
    (_label, query) => {
      expect(() => search(query)).not.toThrow();
    },
  );

  it('finds by prefix, ignoring case and diacritics', () => {
    expect(search('pemil')).toEqual(['Pemilu Serentak 2024 di Jawa Tengah']);
    expect(search('PÉMILU')).toEqual(['Pemilu Serentak 2024 di Jawa Tengah']);
    expect(search('cafe')).toEqual(['Café rakyat']);
  });

  it('finds a word typed with a decomposed accent (NFD) like the same word typed precomposed', () => {
    expect(search('Pe\u0301milu')).toEqual(['Pemilu Serentak 2024 di Jawa Tengah']);
  });

  it('requires every word', () => {
    expect(search('pemilu jawa')).toEqual(['Pemilu Serentak 2024 di Jawa Tengah']);
    expect(search('pemilu netralitas')).toEqual([]);
  });

  it('reads operators a reader typed as words to find, not as syntax', () => {
    expect(search('pemilu OR netralitas')).toEqual([]);
    expect(search('"pemilu')).toEqual(['Pemilu Serentak 2024 di Jawa Tengah']);
    expect(search('NEAR(pemilu jawa)')).toEqual([]);
    expect(search('-netralitas pemilu')).toEqual([]);
  });
});
