export const POST_CATEGORIES = ['berita', 'pengumuman'] as const;
export type PostCategory = (typeof POST_CATEGORIES)[number];
export type PostStatus = 'draft' | 'published';

import type { CoverImage } from './cover-urls.js';

export interface Post {
  id: number;
  slug: string;
  title: string;
  category: PostCategory;
  excerpt: string;
  /** The excerpt, or the start of the body's first paragraph: what a card, a search engine and a shared link show. */
  description: string;
  /** Markdown as written. */
  body: string;
  /** Rendered and sanitised when saved. */
  bodyHtml: string;
  status: PostStatus;
  /** ISO; in the future for a scheduled post; null for a draft never given a date. */
  publishedAt: string | null;
  pinned: boolean;
  coverId: number | null;
  coverAlt: string;
  cover: CoverImage | null;
  authorId: number | null;
  unitId: number | null;
  /** The publishing unit's name, or null when the post has none. */
  unitName: string | null;
  viewCount: number;
  createdAt: string;
  updatedAt: string;
}

/** What a list shows of a post. */
export type PostSummary = Pick<
  Post,
  | 'id'
  | 'slug'
  | 'title'
  | 'category'
  | 'excerpt'
  | 'description'
  | 'status'
  | 'publishedAt'
  | 'pinned'
  | 'cover'
  | 'unitName'
  | 'viewCount'
>;

/** A search hit: the summary plus a snippet whose matches are marked with SNIPPET_MARK characters. */
export interface PostHit extends PostSummary {
  snippet: string;
}

/** The fields an author writes, checked and ready to store, with the body's plain text for search. */
export type PostDraft = Pick<
  Post,
  | 'slug'
  | 'title'
  | 'category'
  | 'excerpt'
  | 'body'
  | 'bodyHtml'
  | 'status'
  | 'publishedAt'
  | 'pinned'
  | 'coverId'
  | 'coverAlt'
> & {
  bodyText: string;
};

/** Where a post stands for the public now: a draft, published but not yet due (scheduled), or published. */
export function postState(
  post: Pick<Post, 'status' | 'publishedAt'>,
  now: Date,
): 'draft' | 'scheduled' | 'published' {
  if (post.status === 'draft') return 'draft';
  return post.publishedAt !== null && post.publishedAt <= now.toISOString() ? 'published' : 'scheduled';
}
