import { z } from 'zod';
import type { TimeZone } from '../core/time-zone.js';
import { parseLocalInput, toLocalInput } from '../web/datetime-input.js';
import { choiceField, dateTimeField, optionalIdField, textField } from '../web/forms.js';
import { POST_CATEGORIES, type Post, type PostCategory, type PostStatus } from './types.js';

/** What an author submits for a post, parsed from the form; checked further by savePost. */
export interface PostInput {
  title: string;
  /** '' asks for one made from the title. */
  slug: string;
  category: PostCategory;
  excerpt: string;
  body: string;
  status: PostStatus;
  /** null: now, when publishing. */
  publishedAt: Date | null;
  pinned: boolean;
  /** A cover uploaded with this or an earlier submission of the form. */
  coverId: number | null;
  coverAlt: string;
}

/** Characters of Markdown a post may have: a long article is about 20,000. */
export const POST_BODY_MAX = 100_000;

export const postSchema = z.object({
  title: textField({ max: 200, label: 'admin.news.form.title' }),
  slug: textField({ max: 80, required: false, label: 'admin.news.form.slug' }).transform((v) =>
    v.toLowerCase(),
  ),
  category: z.enum(POST_CATEGORIES, { error: 'news.form.category_invalid' }),
  excerpt: textField({
    max: 300,
    required: false,
    multiline: true,
    trim: false,
    label: 'admin.news.form.excerpt',
  }).transform((v) => v.replace(/\s+/g, ' ').trim()),
  body: textField({ max: POST_BODY_MAX, multiline: true, trim: false, label: 'admin.news.form.body_name' }),
  status: choiceField(['draft', 'published'], 'admin.news.form.status'),
  published_at: dateTimeField({ label: 'admin.news.form.published_at_name', required: false }),
  pinned: choiceField(['1'], 'admin.news.form.pinned').optional(),
  cover_id: optionalIdField().optional(),
  remove_cover: choiceField(['1'], 'admin.news.form.remove_cover').optional(),
  cover_alt: textField({ max: 200, required: false, label: 'admin.news.form.cover_alt' }).optional(),
});

export const POST_FORM_FIELDS = [
  'title',
  'slug',
  'category',
  'excerpt',
  'body',
  'status',
  'published_at',
  'pinned',
  'cover_id',
  'cover_alt',
] as const;

/** The parsed form as a post; its publication time was typed on the clocks of `zone`. */
export function toPostInput(data: z.infer<typeof postSchema>, zone: TimeZone): PostInput {
  return {
    title: data.title,
    slug: data.slug,
    category: data.category,
    excerpt: data.excerpt,
    body: data.body,
    status: data.status,
    publishedAt: data.published_at === '' ? null : parseLocalInput(data.published_at, zone),
    pinned: data.pinned === '1',
    coverId: data.remove_cover === '1' ? null : (data.cover_id ?? null),
    coverAlt: data.cover_alt ?? '',
  };
}

/** A stored post as the values of its edit form (the publication time on the clocks of `zone`). */
export const postFormValues = (post: Post, zone: TimeZone): Record<string, string> => ({
  title: post.title,
  slug: post.slug,
  category: post.category,
  excerpt: post.excerpt,
  body: post.body,
  status: post.status,
  published_at: post.publishedAt ? toLocalInput(post.publishedAt, zone) : '',
  pinned: post.pinned ? '1' : '',
  cover_id: post.coverId === null ? '' : String(post.coverId),
  cover_alt: post.coverAlt,
});
