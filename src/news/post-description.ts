import { htmlText } from '../web/markdown.js';

/** About what search engines show of a description, and three or four lines on a card. */
export const DESCRIPTION_MAX_CHARS = 160;

/**
 * Characters of the rendered body a summary reads to find its first paragraph: a list need not carry whole bodies
 * (up to 100,000 characters each). A first paragraph longer than this is cut to DESCRIPTION_MAX_CHARS anyway.
 */
export const BODY_START_CHARS = 2000;

/** Text cut to at most `max` characters at the last space that fits, with an ellipsis when anything was cut. */
export function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = text.slice(0, max - 1);
  const space = room.lastIndexOf(' ');
  // One very long "word" (a pasted URL) is cut where it must be rather than leaving almost nothing.
  const kept = space >= max / 2 ? room.slice(0, space) : room;
  return `${kept.replace(/[\s,;:.–—-]+$/u, '')}…`;
}

/**
 * The first paragraph of a rendered, sanitised body as plain text (the whole start of the body when it has no
 * paragraph, e.g. only a list). `bodyHtml` may be cut short (BODY_START_CHARS); a tag cut in half is dropped.
 */
export function firstParagraphText(bodyHtml: string): string {
  const paragraph = /<p>([\s\S]*?)(?:<\/p>|$)/.exec(bodyHtml)?.[1] ?? bodyHtml;
  return htmlText(paragraph.replace(/<[^>]*$/, ''));
}

/**
 * What a card, a search engine and a shared link say of a post: the author's excerpt, or else the start of the
 * body's first paragraph, cut at a word. '' when the body has no text either.
 */
export function postDescription(excerpt: string, bodyHtml: string): string {
  if (excerpt.trim() !== '') return excerpt;
  return cutAtWord(firstParagraphText(bodyHtml), DESCRIPTION_MAX_CHARS);
}
