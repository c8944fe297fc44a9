import { marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { withoutUnprintable } from '../core/text.js';
import { parseMarkdownBounded } from './markdown-worker.js';

/** The elements a rendered pact or post may contain: text structure and links, nothing that runs or loads. */
export const MARKDOWN_TAGS = [
  'p',
  'br',
  'hr',
  'h2',
  'h3',
  'h4',
  'strong',
  'em',
  'b',
  'i',
  'u',
  's',
  'blockquote',
  'ol',
  'ul',
  'li',
  'a',
  'code',
  'pre',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
];

const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: MARKDOWN_TAGS,
  allowedAttributes: { a: ['href', 'title', 'rel'], ol: ['start'], th: ['scope'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  transformTags: {
    // Links leave the site without telling it where the reader came from, and cannot reach back into the page.
    a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow' }),
    // The page has its own h1: a Markdown "# title" becomes a section heading.
    h1: 'h2',
  },
};

/**
 * Markdown → HTML that is safe to place in a page with `<%-`: no script, no event attributes, no javascript: links.
 * Only for text that already passed `renderTypedMarkdown` (a stored pact body): parsing here is synchronous.
 */
export function renderMarkdown(markdown: string): string {
  const html = marked.parse(markdown, { async: false, gfm: true, breaks: false }) as string;
  return sanitizeHtml(html, ALLOWED);
}

/**
 * Markdown someone just typed, rendered safely (as renderMarkdown) with its plain text, or null when it is too
 * complex to parse in reasonable time (see parseMarkdownBounded): the form then says so instead of hanging.
 */
export async function renderTypedMarkdown(markdown: string): Promise<{ html: string; text: string } | null> {
  const raw = await parseMarkdownBounded(markdown);
  if (raw === null) return null;
  const html = sanitizeHtml(raw, ALLOWED);
  return { html, text: htmlText(html) };
}

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

/** The text a reader sees in rendered, sanitised HTML, without markup: what full-text search indexes. */
export function htmlText(renderedHtml: string): string {
  const html = renderedHtml.replace(/<\/(p|h\d|li|td|th|blockquote|pre)>|<br\s*\/?>/g, '$& ');
  const text = sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} });
  // Control characters (decoded from entities such as &#2;) are not text anyone reads; search snippets use two of
  // them as match markers.
  return withoutUnprintable(text)
    .replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity)
    .replace(/\s+/g, ' ')
    .trim();
}
