import { describe, expect, it } from 'vitest';
import { cutAtWord, firstParagraphText, postDescription } from '../../src/news/post-description.js';

describe('a post description', () => {
  it('is the excerpt when the author wrote one', () => {
    expect(postDescription('Ringkasan penulis.', '<p>Isi pertama.</p>')).toBe('Ringkasan penulis.');
  });

  it('is the first paragraph as text, skipping a heading before it and the paragraphs after it', () => {
    const html =
      '<h2>Latar</h2>\n<p>Rapat <strong>koordinasi</strong> &amp; <a href="https://x.id">apel</a>.</p>\n<p>Dua.</p>';
    expect(postDescription('', html)).toBe('Rapat koordinasi & apel.');
  });

  it('cuts a long paragraph at the last whole word within 160 characters, with an ellipsis', () => {
    const words = Array.from({ length: 40 }, (_, n) => `kata${n}`).join(' ');
    const description = postDescription('', `<p>${words}</p>`);
    expect(description.length).toBeLessThanOrEqual(160);
    expect(description).toMatch(/ kata\d+…$/);
    expect(words.startsWith(description.slice(0, -1))).toBe(true);
    expect(words[description.length - 1]).toBe(' ');
  });

  it('drops the punctuation a cut leaves at its end', () => {
    expect(cutAtWord('Satu dua, tiga empat lima enam', 12)).toBe('Satu dua…');
  });

  it('cuts one very long word where it must rather than leaving almost nothing', () => {
    const url = `https://contoh.go.id/${'a'.repeat(300)}`;
    const cut = cutAtWord(`Lihat ${url}`, 160);
    expect(cut).toHaveLength(160);
    expect(cut.startsWith('Lihat https://contoh.go.id/aaa')).toBe(true);
  });

  it('reads a body cut short in the middle of a tag without showing the half tag', () => {
    expect(firstParagraphText('<p>Awal yang panjang <str')).toBe('Awal yang panjang');
  });

  it('is empty when the body has no text', () => {
    expect(postDescription('', '<hr>')).toBe('');
  });
});
