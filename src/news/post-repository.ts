import type { Db } from '../db/database.js';
import type { CoverVariant, ProcessedCover } from './cover-image.js';
import { type CoverImage, coverImage } from './cover-urls.js';
import type { Post, PostCategory, PostDraft, PostHit, PostSummary } from './types.js';

interface PostRow {
  id: number;
  slug: string;
  title: string;
  category: PostCategory;
  excerpt: string;
  body: string;
  body_html: string;
  status: Post['status'];
  published_at: string | null;
  pinned: number;
  cover_id: number | null;
  cover_alt: string;
  author_id: number | null;
  unit_id: number | null;
  unit_name: string | null;
  cover_width: number | null;
  cover_height: number | null;
  view_count: number;
  created_at: string;
  updated_at: string;
}

type SummaryRow = Pick<
  PostRow,
  | 'id'
  | 'slug'
  | 'title'
  | 'category'
  | 'excerpt'
  | 'status'
  | 'published_at'
  | 'pinned'
  | 'cover_id'
  | 'cover_alt'
  | 'unit_name'
  | 'cover_width'
  | 'cover_height'
  | 'view_count'
>;

const toSummary = (row: SummaryRow): PostSummary => ({
  id: row.id,
  slug: row.slug,
  title: row.title,
  category: row.category,
  excerpt: row.excerpt,
  status: row.status,
  publishedAt: row.published_at,
  pinned: row.pinned === 1,
  cover:
    row.cover_id === null || row.cover_width === null || row.cover_height === null
      ? null
      : coverImage(row.cover_id, row.cover_width, row.cover_height, row.cover_alt),
  unitName: row.unit_name,
  viewCount: row.view_count,
});

const toPost = (row: PostRow): Post => ({
  ...toSummary(row),
  coverId: row.cover_id,
  coverAlt: row.cover_alt,
  body: row.body,
  bodyHtml: row.body_html,
  authorId: row.author_id,
  unitId: row.unit_id,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const SUMMARY_COLUMNS = `p.id, p.slug, p.title, p.category, p.excerpt, p.status, p.published_at, p.pinned, p.cover_id,
  p.cover_alt, u.name AS unit_name, i.width AS cover_width, i.height AS cover_height, p.view_count`;
const FROM_POSTS = `FROM posts p LEFT JOIN units u ON u.id = p.unit_id LEFT JOIN post_images i ON i.id = p.cover_id`;
/** Published and due: what the public may see. @now is an ISO timestamp. */
const VISIBLE = "p.status = 'published' AND p.published_at <= @now";
/** `@category` null means every category. */
const IN_CATEGORY = '(@category IS NULL OR p.category = @category)';
const NEWEST_FIRST = 'ORDER BY p.published_at DESC, p.id DESC';

const maxIso = (a: string, b: string): string => (a > b ? a : b);

/** Characters that mark where a search match starts and ends in a snippet; they cannot occur in stored text. */
export const SNIPPET_MARK = { start: '\u0002', end: '\u0003' } as const;

export function postRepository(db: Db) {
  const byId = db.prepare<[number], PostRow>(
    `SELECT p.*, u.name AS unit_name, i.width AS cover_width, i.height AS cover_height ${FROM_POSTS} WHERE p.id = ?`,
  );
  const visibleBySlug = db.prepare<{ slug: string; now: string }, PostRow>(
    `SELECT p.*, u.name AS unit_name, i.width AS cover_width, i.height AS cover_height ${FROM_POSTS} WHERE p.slug = @slug AND ${VISIBLE}`,
  );
  const slugOwner = db.prepare<[string], number>('SELECT id FROM posts WHERE slug = ?').pluck();
  const insert = db.prepare(
    `INSERT INTO posts (slug, title, category, excerpt, body, body_html, body_text, status, published_at, pinned,
                        cover_id, cover_alt, author_id, unit_id, created_at, updated_at)
     VALUES (@slug, @title, @category, @excerpt, @body, @bodyHtml, @bodyText, @status, @publishedAt, @pinned,
             @coverId, @coverAlt, @authorId, @unitId, @now, @now)`,
  );
  const update = db.prepare(
    `UPDATE posts SET slug = @slug, title = @title, category = @category, excerpt = @excerpt, body = @body,
                      body_html = @bodyHtml, body_text = @bodyText, status = @status, published_at = @publishedAt,
                      pinned = @pinned, cover_id = @coverId, cover_alt = @coverAlt, updated_at = @now
     WHERE id = @id`,
  );
  const remove = db.prepare('DELETE FROM posts WHERE id = ?');

  const countVisible = db
    .prepare<{ now: string; category: string | null }, number>(
      `SELECT count(*) FROM posts p WHERE ${VISIBLE} AND ${IN_CATEGORY}`,
    )
    .pluck();
  const pageVisible = db.prepare<
    { now: string; category: string | null; limit: number; offset: number },
    SummaryRow
  >(
    `SELECT ${SUMMARY_COLUMNS} ${FROM_POSTS} WHERE ${VISIBLE} AND ${IN_CATEGORY} ${NEWEST_FIRST}
     LIMIT @limit OFFSET @offset`,
  );
  const pinnedVisible = db.prepare<{ now: string; limit: number }, SummaryRow>(
    `SELECT ${SUMMARY_COLUMNS} ${FROM_POSTS} WHERE ${VISIBLE} AND p.pinned = 1 ${NEWEST_FIRST} LIMIT @limit`,
  );
  // The FTS table is searched first (MATCH), then joined to posts for visibility; rank orders by relevance.
  const MATCHES = `FROM posts_fts f JOIN posts p ON p.id = f.rowid LEFT JOIN units u ON u.id = p.unit_id
     LEFT JOIN post_images i ON i.id = p.cover_id WHERE posts_fts MATCH @match AND ${VISIBLE} AND ${IN_CATEGORY}`;
  const countMatches = db
    .prepare<{ match: string; now: string; category: string | null }, number>(`SELECT count(*) ${MATCHES}`)
    .pluck();
  const pageMatches = db.prepare<
    { match: string; now: string; category: string | null; limit: number; offset: number },
    SummaryRow & { snippet: string }
  >(
    `SELECT ${SUMMARY_COLUMNS},
            snippet(posts_fts, -1, '${SNIPPET_MARK.start}', '${SNIPPET_MARK.end}', '…', 24) AS snippet
     ${MATCHES} ORDER BY rank, p.published_at DESC LIMIT @limit OFFSET @offset`,
  );
  const neighbour = (direction: 'older' | 'newer') =>
    db.prepare<{ now: string; publishedAt: string; id: number }, Pick<PostRow, 'slug' | 'title'>>(
      direction === 'older'
        ? `SELECT p.slug, p.title FROM posts p WHERE ${VISIBLE}
             AND (p.published_at < @publishedAt OR (p.published_at = @publishedAt AND p.id < @id))
           ORDER BY p.published_at DESC, p.id DESC LIMIT 1`
        : `SELECT p.slug, p.title FROM posts p WHERE ${VISIBLE}
             AND (p.published_at > @publishedAt OR (p.published_at = @publishedAt AND p.id > @id))
           ORDER BY p.published_at ASC, p.id ASC LIMIT 1`,
    );
  const older = neighbour('older');
  const newer = neighbour('newer');

  const nextScheduled = db
    .prepare<{ now: string }, string | null>(
      "SELECT min(published_at) FROM posts WHERE status = 'published' AND published_at > @now",
    )
    .pluck();
  const viewCount = db.prepare<[number], number>('SELECT view_count FROM posts WHERE id = ?').pluck();
  /** `@unitId` null: every unit's posts. */
  const OF_UNIT = '(@unitId IS NULL OR p.unit_id = @unitId)';
  const countAll = db
    .prepare<{ unitId: number | null }, number>(`SELECT count(*) FROM posts p WHERE ${OF_UNIT}`)
    .pluck();
  const pageAll = db.prepare<{ unitId: number | null; limit: number; offset: number }, SummaryRow>(
    `SELECT ${SUMMARY_COLUMNS} ${FROM_POSTS} WHERE ${OF_UNIT}
     ORDER BY p.status = 'published', coalesce(p.published_at, p.updated_at) DESC, p.id DESC
     LIMIT @limit OFFSET @offset`,
  );
  const addViews = db.prepare('UPDATE posts SET view_count = view_count + @n WHERE id = @id');
  const visibleForListing = db.prepare<
    { now: string; limit: number },
    SummaryRow & Pick<PostRow, 'updated_at' | 'body_html'>
  >(
    `SELECT ${SUMMARY_COLUMNS}, p.updated_at, p.body_html ${FROM_POSTS} WHERE ${VISIBLE} ${NEWEST_FIRST} LIMIT @limit`,
  );

  const sitemapEntries = db.prepare<{ now: string; limit: number }, { slug: string; lastmod: string }>(
    `SELECT p.slug, max(p.updated_at, p.published_at) AS lastmod FROM posts p WHERE ${VISIBLE} ${NEWEST_FIRST}
     LIMIT @limit`,
  );

  const insertImage = db.prepare(
    'INSERT INTO post_images (sha256, width, height, created_by, created_at) VALUES (@sha256, @width, @height, @by, @now)',
  );
  const insertVariant = db.prepare(
    `INSERT INTO post_image_variants (image_id, kind, width, height, mime, bytes)
     VALUES (@imageId, @kind, @width, @height, @mime, @bytes)`,
  );
  const variant = db.prepare<[number, string, number], CoverVariant>(
    'SELECT kind, width, height, mime, bytes FROM post_image_variants WHERE image_id = ? AND kind = ? AND width = ?',
  );
  const shareVariant = db.prepare<[number], CoverVariant>(
    "SELECT kind, width, height, mime, bytes FROM post_image_variants WHERE image_id = ? AND kind = 'share'",
  );
  const imageById = db.prepare<
    [number],
    { id: number; width: number; height: number; created_by: number | null }
  >('SELECT id, width, height, created_by FROM post_images WHERE id = ?');
  const imageVisible = db
    .prepare<{ id: number; now: string }, number>(
      `SELECT count(*) FROM posts p WHERE p.cover_id = @id AND ${VISIBLE}`,
    )
    .pluck();

  return {
    findById: (id: number): Post | undefined => {
      const row = byId.get(id);
      return row && toPost(row);
    },
    /** The post at this slug if the public may see it at `now`. */
    findVisibleBySlug: (slug: string, now: Date): Post | undefined => {
      const row = visibleBySlug.get({ slug, now: now.toISOString() });
      return row && toPost(row);
    },
    /** The id of the post using this slug, if any. */
    slugOwner: (slug: string): number | undefined => slugOwner.get(slug),
    insert: (
      draft: PostDraft,
      author: { authorId: number | null; unitId: number | null },
      at: Date,
    ): number =>
      Number(
        insert.run({ ...draft, ...author, pinned: draft.pinned ? 1 : 0, now: at.toISOString() })
          .lastInsertRowid,
      ),
    update: (id: number, draft: PostDraft, at: Date): boolean =>
      update.run({ id, ...draft, pinned: draft.pinned ? 1 : 0, now: at.toISOString() }).changes > 0,
    delete: (id: number): boolean => remove.run(id).changes > 0,

    countVisible: (now: Date, category: PostCategory | null): number =>
      countVisible.get({ now: now.toISOString(), category }) as number,
    pageVisible: (now: Date, category: PostCategory | null, limit: number, offset: number): PostSummary[] =>
      pageVisible.all({ now: now.toISOString(), category, limit, offset }).map(toSummary),
    pinnedVisible: (now: Date, limit: number): PostSummary[] =>
      pinnedVisible.all({ now: now.toISOString(), limit }).map(toSummary),
    /** Visible posts matching an FTS5 expression (build it with ftsQuery, never from raw input). */
    countMatches: (match: string, now: Date, category: PostCategory | null): number =>
      countMatches.get({ match, now: now.toISOString(), category }) as number,
    pageMatches: (
      match: string,
      now: Date,
      category: PostCategory | null,
      limit: number,
      offset: number,
    ): PostHit[] =>
      pageMatches
        .all({ match, now: now.toISOString(), category, limit, offset })
        .map((row) => ({ ...toSummary(row), snippet: row.snippet })),
    /** The visible posts just older and just newer than this one. */
    neighbours: (post: Pick<Post, 'id' | 'publishedAt'>, now: Date) => {
      const at = { now: now.toISOString(), publishedAt: post.publishedAt ?? '', id: post.id };
      return { older: older.get(at), newer: newer.get(at) };
    },
    /** The newest visible posts with what the feed needs. */
    visibleForListing: (now: Date, limit: number) =>
      visibleForListing.all({ now: now.toISOString(), limit }).map((row) => {
        const publishedAt = row.published_at as string;
        // A post written before it came due changed, for a reader, when it appeared.
        return {
          ...toSummary(row),
          publishedAt,
          updatedAt: maxIso(row.updated_at, publishedAt),
          bodyHtml: row.body_html,
        };
      }),

    /** When the next scheduled post comes due, if one is waiting. */
    nextScheduledAfter: (now: Date): Date | null => {
      const at = nextScheduled.get({ now: now.toISOString() });
      return at ? new Date(at) : null;
    },
    /** The stored view count (views counted since the last flush are not in it yet). */
    viewCount: (id: number): number => viewCount.get(id) ?? 0,
    /** Slug and last change of the newest visible posts, for the sitemap. */
    sitemapEntries: (now: Date, limit: number) => sitemapEntries.all({ now: now.toISOString(), limit }),
    countAll: (unitId: number | null = null): number => countAll.get({ unitId }) as number,
    /** Posts for the admin list (one unit's, or all): drafts and scheduled first, then the published, newest first. */
    pageAll: (unitId: number | null, limit: number, offset: number): PostSummary[] =>
      pageAll.all({ unitId, limit, offset }).map(toSummary),
    /** Adds counted views in one transaction per batch (the caller wraps it). */
    addViews: (id: number, n: number): void => {
      addViews.run({ id, n });
    },

    insertImage: (image: ProcessedCover, createdBy: number | null, at: Date): number => {
      const imageId = Number(
        insertImage.run({ ...image, by: createdBy, now: at.toISOString() }).lastInsertRowid,
      );
      for (const v of image.variants) insertVariant.run({ imageId, ...v });
      return imageId;
    },
    /** A stored cover (alt text empty: it belongs to a post) and who uploaded it. */
    image: (id: number): (CoverImage & { createdBy: number | null }) | undefined => {
      const row = imageById.get(id);
      return row && { ...coverImage(row.id, row.width, row.height, ''), createdBy: row.created_by };
    },
    /** Whether a visible post uses this image as its cover (otherwise only staff may fetch it). */
    imageIsPublic: (id: number, now: Date): boolean =>
      (imageVisible.get({ id, now: now.toISOString() }) ?? 0) > 0,
    variant: (imageId: number, kind: 'webp' | 'share', width: number): CoverVariant | undefined =>
      variant.get(imageId, kind, width),
    shareVariant: (imageId: number): CoverVariant | undefined => shareVariant.get(imageId),
  };
}

export type PostRepository = ReturnType<typeof postRepository>;
