import { type RawBuilder, sql } from 'kysely';
import { allRows, countOf, type Db, firstRow, run } from '../db/database.js';
import { laterOf } from '../db/dialect.js';
import type { CoverVariant, ProcessedCover } from './cover-image.js';
import { type CoverImage, coverImage } from './cover-urls.js';
import { BODY_START_CHARS, postDescription } from './post-description.js';
import { ftsExpression, SNIPPET_MARK, tsQueryExpression } from './search-query.js';
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
> & {
  /** The first BODY_START_CHARS characters of body_html: enough for the description. */
  body_start: string;
};

const toSummary = (row: SummaryRow): PostSummary => ({
  id: row.id,
  slug: row.slug,
  title: row.title,
  category: row.category,
  excerpt: row.excerpt,
  description: postDescription(row.excerpt, row.body_start),
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
  ...toSummary({ ...row, body_start: row.body_html }),
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
  p.cover_alt, u.name AS unit_name, i.width AS cover_width, i.height AS cover_height, p.view_count,
  substr(p.body_html, 1, ${BODY_START_CHARS}) AS body_start`;
const FROM_POSTS = `FROM posts p LEFT JOIN units u ON u.id = p.unit_id LEFT JOIN post_images i ON i.id = p.cover_id`;
const NEWEST_FIRST = 'ORDER BY p.published_at DESC, p.id DESC';
const summaryColumns = sql.raw(SUMMARY_COLUMNS);
const fromPosts = sql.raw(FROM_POSTS);
const newestFirst = sql.raw(NEWEST_FIRST);
const postColumns = sql.raw('p.*, u.name AS unit_name, i.width AS cover_width, i.height AS cover_height');
/** Published and due: what the public may see at `now`. */
const visible = (now: Date) => sql`p.status = 'published' AND p.published_at <= ${now.toISOString()}`;
/** `category` null means every category. */
const inCategory = (category: PostCategory | null) =>
  category === null ? sql`` : sql`AND p.category = ${category}`;
/** `unitId` null: every unit's posts. */
const ofUnit = (unitId: number | null) => (unitId === null ? sql`` : sql`WHERE p.unit_id = ${unitId}`);

const maxIso = (a: string, b: string): string => (a > b ? a : b);

export function postRepository(db: Db) {
  // SQLite: the FTS5 table is searched first (MATCH), then joined to posts for visibility; rank orders by relevance.
  // PostgreSQL: the posts' own tsvector column (migration 015), through its GIN index.
  const postgres = db.engine === 'postgres';
  const tsQuery = (terms: readonly string[]) => sql`to_tsquery('ikrar_search', ${tsQueryExpression(terms)})`;
  const matches = (terms: readonly string[], now: Date, category: PostCategory | null) =>
    postgres
      ? sql`FROM posts p LEFT JOIN units u ON u.id = p.unit_id LEFT JOIN post_images i ON i.id = p.cover_id
            WHERE p.search @@ ${tsQuery(terms)} AND ${visible(now)} ${inCategory(category)}`
      : sql`FROM posts_fts f JOIN posts p ON p.id = f.rowid LEFT JOIN units u ON u.id = p.unit_id
            LEFT JOIN post_images i ON i.id = p.cover_id
            WHERE posts_fts MATCH ${ftsExpression(terms)} AND ${visible(now)} ${inCategory(category)}`;
  // A passage around the matches, marked; about 24 words, as FTS5's snippet() gives. PostgreSQL: from the body if
  // it matches, else the excerpt, else the title (FTS5 picks the column with the best match).
  // ts_headline drops what looks like an HTML tag ("<b>" typed in a post): angle brackets go in as control
  // characters, which it copies as they are, and come back out in toHit.
  const headline = (column: RawBuilder<unknown>, terms: readonly string[]) =>
    sql`ts_headline('ikrar_search', replace(replace(${column}, '<', chr(4)), '>', chr(5)), ${tsQuery(terms)},
                    ${`StartSel=${SNIPPET_MARK.start}, StopSel=${SNIPPET_MARK.end}, MaxWords=24, MinWords=12`})`;
  const matchesIn = (column: RawBuilder<unknown>, terms: readonly string[]) =>
    sql`to_tsvector('ikrar_search', ${column}) @@ ${tsQuery(terms)}`;
  const snippet = (terms: readonly string[]) =>
    postgres
      ? sql`CASE WHEN ${matchesIn(sql`p.body_text`, terms)} THEN ${headline(sql`p.body_text`, terms)}
                 WHEN ${matchesIn(sql`p.excerpt`, terms)} THEN ${headline(sql`p.excerpt`, terms)}
                 ELSE ${headline(sql`p.title`, terms)} END`
      : sql`snippet(posts_fts, -1, ${SNIPPET_MARK.start}, ${SNIPPET_MARK.end}, '…', 24)`;
  const byRelevance = (terms: readonly string[]) =>
    postgres ? sql`ORDER BY ts_rank(p.search, ${tsQuery(terms)}) DESC` : sql`ORDER BY rank`;
  const count = (query: RawBuilder<{ n: number }>) => countOf(db, query);
  const post = async (query: RawBuilder<PostRow>): Promise<Post | undefined> => {
    const row = await firstRow(db, query);
    return row && toPost(row);
  };
  const summaries = async (query: RawBuilder<SummaryRow>): Promise<PostSummary[]> =>
    (await allRows(db, query)).map(toSummary);

  return {
    findById: (id: number): Promise<Post | undefined> =>
      post(sql<PostRow>`SELECT ${postColumns} ${fromPosts} WHERE p.id = ${id}`),
    /** The post at this slug if the public may see it at `now`. */
    findVisibleBySlug: (slug: string, now: Date): Promise<Post | undefined> =>
      post(sql<PostRow>`SELECT ${postColumns} ${fromPosts} WHERE p.slug = ${slug} AND ${visible(now)}`),
    /** The id of the post using this slug, if any. */
    slugOwner: async (slug: string): Promise<number | undefined> =>
      (await firstRow(db, sql<{ id: number }>`SELECT id FROM posts WHERE slug = ${slug}`))?.id,
    insert: async (
      draft: PostDraft,
      author: { authorId: number | null; unitId: number | null },
      at: Date,
    ): Promise<number> => {
      const now = at.toISOString();
      const row = await firstRow(
        db,
        sql<{ id: number }>`
          INSERT INTO posts (slug, title, category, excerpt, body, body_html, body_text, status, published_at, pinned,
                             cover_id, cover_alt, author_id, unit_id, created_at, updated_at)
          VALUES (${draft.slug}, ${draft.title}, ${draft.category}, ${draft.excerpt}, ${draft.body}, ${draft.bodyHtml},
                  ${draft.bodyText}, ${draft.status}, ${draft.publishedAt}, ${draft.pinned ? 1 : 0}, ${draft.coverId},
                  ${draft.coverAlt}, ${author.authorId}, ${author.unitId}, ${now}, ${now})
          RETURNING id`,
      );
      return (row as { id: number }).id;
    },
    update: async (id: number, draft: PostDraft, at: Date): Promise<boolean> =>
      (await run(
        db,
        sql`UPDATE posts SET slug = ${draft.slug}, title = ${draft.title}, category = ${draft.category},
                             excerpt = ${draft.excerpt}, body = ${draft.body}, body_html = ${draft.bodyHtml},
                             body_text = ${draft.bodyText}, status = ${draft.status},
                             published_at = ${draft.publishedAt}, pinned = ${draft.pinned ? 1 : 0},
                             cover_id = ${draft.coverId}, cover_alt = ${draft.coverAlt}, updated_at = ${at.toISOString()}
            WHERE id = ${id}`,
      )) > 0,
    delete: async (id: number): Promise<boolean> =>
      (await run(db, sql`DELETE FROM posts WHERE id = ${id}`)) > 0,

    countVisible: (now: Date, category: PostCategory | null): Promise<number> =>
      count(
        sql<{ n: number }>`SELECT count(*) AS n FROM posts p WHERE ${visible(now)} ${inCategory(category)}`,
      ),
    pageVisible: (
      now: Date,
      category: PostCategory | null,
      limit: number,
      offset: number,
    ): Promise<PostSummary[]> =>
      summaries(
        sql<SummaryRow>`SELECT ${summaryColumns} ${fromPosts} WHERE ${visible(now)} ${inCategory(category)}
                        ${newestFirst} LIMIT ${limit} OFFSET ${offset}`,
      ),
    pinnedVisible: (now: Date, limit: number): Promise<PostSummary[]> =>
      summaries(
        sql<SummaryRow>`SELECT ${summaryColumns} ${fromPosts} WHERE ${visible(now)} AND p.pinned = 1 ${newestFirst}
                        LIMIT ${limit}`,
      ),
    /** Visible posts containing every word (each also as a prefix); the words come from searchTerms. */
    countMatches: (terms: readonly string[], now: Date, category: PostCategory | null): Promise<number> =>
      count(sql<{ n: number }>`SELECT count(*) AS n ${matches(terms, now, category)}`),
    pageMatches: async (
      terms: readonly string[],
      now: Date,
      category: PostCategory | null,
      limit: number,
      offset: number,
    ): Promise<PostHit[]> =>
      (
        await allRows(
          db,
          sql<SummaryRow & { snippet: string }>`
            SELECT ${summaryColumns}, ${snippet(terms)} AS snippet
            ${matches(terms, now, category)} ${byRelevance(terms)}, p.published_at DESC
            LIMIT ${limit} OFFSET ${offset}`,
        )
      ).map((row) => ({
        ...toSummary(row),
        snippet: postgres ? row.snippet.replaceAll('\u0004', '<').replaceAll('\u0005', '>') : row.snippet,
      })),
    /** The visible posts just older and just newer than this one. */
    neighbours: async (post: Pick<Post, 'id' | 'publishedAt'>, now: Date) => {
      const publishedAt = post.publishedAt ?? '';
      const older = await firstRow(
        db,
        sql<Pick<PostRow, 'slug' | 'title'>>`
          SELECT p.slug, p.title FROM posts p WHERE ${visible(now)}
            AND (p.published_at < ${publishedAt} OR (p.published_at = ${publishedAt} AND p.id < ${post.id}))
          ORDER BY p.published_at DESC, p.id DESC LIMIT 1`,
      );
      const newer = await firstRow(
        db,
        sql<Pick<PostRow, 'slug' | 'title'>>`
          SELECT p.slug, p.title FROM posts p WHERE ${visible(now)}
            AND (p.published_at > ${publishedAt} OR (p.published_at = ${publishedAt} AND p.id > ${post.id}))
          ORDER BY p.published_at ASC, p.id ASC LIMIT 1`,
      );
      return { older, newer };
    },
    /** The newest visible posts with what the feed needs. */
    visibleForListing: async (now: Date, limit: number) =>
      (
        await allRows(
          db,
          sql<SummaryRow & Pick<PostRow, 'updated_at' | 'body_html'>>`
            SELECT ${summaryColumns}, p.updated_at, p.body_html ${fromPosts} WHERE ${visible(now)} ${newestFirst}
            LIMIT ${limit}`,
        )
      ).map((row) => {
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
    nextScheduledAfter: async (now: Date): Promise<Date | null> => {
      const at = (
        await firstRow(
          db,
          sql<{ at: string | null }>`SELECT min(published_at) AS at FROM posts
                                     WHERE status = 'published' AND published_at > ${now.toISOString()}`,
        )
      )?.at;
      return at ? new Date(at) : null;
    },
    /** The stored view count (views counted since the last flush are not in it yet). */
    viewCount: async (id: number): Promise<number> =>
      (await firstRow(db, sql<{ view_count: number }>`SELECT view_count FROM posts WHERE id = ${id}`))
        ?.view_count ?? 0,
    /** Slug and last change of the newest visible posts, for the sitemap. */
    sitemapEntries: (now: Date, limit: number) =>
      allRows(
        db,
        sql<{ slug: string; lastmod: string }>`
          SELECT p.slug, ${laterOf(db, sql`p.updated_at`, sql`p.published_at`)} AS lastmod FROM posts p WHERE ${visible(now)}
          ${newestFirst} LIMIT ${limit}`,
      ),
    countAll: (unitId: number | null = null): Promise<number> =>
      count(sql<{ n: number }>`SELECT count(*) AS n FROM posts p ${ofUnit(unitId)}`),
    /** Posts for the admin list (one unit's, or all): drafts and scheduled first, then the published, newest first. */
    pageAll: (unitId: number | null, limit: number, offset: number): Promise<PostSummary[]> =>
      summaries(
        sql<SummaryRow>`SELECT ${summaryColumns} ${fromPosts} ${ofUnit(unitId)}
                        ORDER BY p.status = 'published', coalesce(p.published_at, p.updated_at) DESC, p.id DESC
                        LIMIT ${limit} OFFSET ${offset}`,
      ),
    /** Adds counted views in one transaction per batch (the caller wraps it). */
    addViews: async (id: number, n: number): Promise<void> => {
      await run(db, sql`UPDATE posts SET view_count = view_count + ${n} WHERE id = ${id}`);
    },

    insertImage: async (image: ProcessedCover, createdBy: number | null, at: Date): Promise<number> => {
      const row = await firstRow(
        db,
        sql<{ id: number }>`
          INSERT INTO post_images (sha256, width, height, created_by, created_at)
          VALUES (${image.sha256}, ${image.width}, ${image.height}, ${createdBy}, ${at.toISOString()})
          RETURNING id`,
      );
      const imageId = (row as { id: number }).id;
      for (const v of image.variants) {
        await run(
          db,
          sql`INSERT INTO post_image_variants (image_id, kind, width, height, mime, bytes)
              VALUES (${imageId}, ${v.kind}, ${v.width}, ${v.height}, ${v.mime}, ${v.bytes})`,
        );
      }
      return imageId;
    },
    /** A stored cover (alt text empty: it belongs to a post) and who uploaded it. */
    image: async (id: number): Promise<(CoverImage & { createdBy: number | null }) | undefined> => {
      const row = await firstRow(
        db,
        sql<{ id: number; width: number; height: number; created_by: number | null }>`
          SELECT id, width, height, created_by FROM post_images WHERE id = ${id}`,
      );
      return row && { ...coverImage(row.id, row.width, row.height, ''), createdBy: row.created_by };
    },
    /** Whether a visible post uses this image as its cover (otherwise only staff may fetch it). */
    imageIsPublic: async (id: number, now: Date): Promise<boolean> =>
      (await count(
        sql<{ n: number }>`SELECT count(*) AS n FROM posts p WHERE p.cover_id = ${id} AND ${visible(now)}`,
      )) > 0,
    variant: (imageId: number, kind: 'webp' | 'share', width: number): Promise<CoverVariant | undefined> =>
      firstRow(
        db,
        sql<CoverVariant>`SELECT kind, width, height, mime, bytes FROM post_image_variants
                          WHERE image_id = ${imageId} AND kind = ${kind} AND width = ${width}`,
      ),
    shareVariant: (imageId: number): Promise<CoverVariant | undefined> =>
      firstRow(
        db,
        sql<CoverVariant>`SELECT kind, width, height, mime, bytes FROM post_image_variants
                          WHERE image_id = ${imageId} AND kind = 'share'`,
      ),
  };
}

export type PostRepository = ReturnType<typeof postRepository>;
