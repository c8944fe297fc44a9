import { expect } from 'vitest';

/** Text as EJS escaped it, read back. */
const unescaped = (text: string): string =>
  text
    .replace(/&#34;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The message shown beside a field (field.ejs: `<div id="NAME-error">`). */
export const besideField = (html: string, field: string) => {
  const text = new RegExp(`id="${field}-error"[^>]*>([^<]*)<`).exec(html)?.[1];
  return text === undefined ? undefined : unescaped(text.trim());
};

/** The error summary's items: where each links to, and what it says. */
export const summaryOf = (html: string) => {
  const box = /<div class="alert alert-danger error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';
  return [...box.matchAll(/<a href="#([\w-]+)"[^>]*>([^<]*)<\/a>/g)].map((m) => [
    m[1],
    unescaped(m[2]?.trim() ?? ''),
  ]);
};

/** Messages that say nothing of their field: what no form answers with any more. */
export const BARE_MESSAGES = ['Wajib diisi.', 'Isian tidak sah.', 'Isian terlalu panjang.', 'Gagal'];

/**
 * A refused form as the GOV.UK pattern has it: the summary lists `expected` (field, message) in this order, each
 * linking to an element of that id on the page, with the same message beside the field; no bare message anywhere.
 */
export function expectNamedErrors(html: string, expected: [string, string][]): void {
  expect(summaryOf(html)).toEqual(expected);
  for (const [field, message] of expected) {
    expect(html, `no element #${field} for the summary's link`).toMatch(new RegExp(`id="${field}"`));
    expect(besideField(html, field), `the message beside ${field}`).toBe(message);
  }
  const box = /<div class="alert alert-danger error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';
  for (const bare of BARE_MESSAGES) expect(box).not.toContain(bare);
}
