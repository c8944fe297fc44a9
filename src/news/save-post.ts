import { type Actor, recordEvent } from '../audit/record-event.js';
import type { AuditRepository } from '../audit/repository.js';
import type { Clock } from '../core/clock.js';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/database.js';
import type { User } from '../directory/types.js';
import { renderTypedMarkdown } from '../web/markdown.js';
import type { PostInput } from './post-input.js';
import type { PostRepository } from './post-repository.js';
import { isValidSlug, slugFromTitle, uniqueSlug } from './slug.js';
import type { Post, PostDraft } from './types.js';

type NewsServices = { db: Db; posts: PostRepository; audit: AuditRepository; clock: Clock };
/** Who writes: a user (id null only for seeds and tests, which write as no one in particular). */
export type Editor = Pick<User, 'role' | 'unitId'> & { id: number | null };

export type SavePostResult = { ok: true; postId: number } | { ok: false; errors: Record<string, string> };

/**
 * Who may change a post: admins any post; operators only drafts of their own unit (publishing is an admin's
 * decision, and a published post is the province speaking).
 */
export const canEditPost = (editor: Editor, post: Pick<Post, 'status' | 'unitId'>): boolean =>
  editor.role === 'admin' ||
  (editor.role === 'operator' &&
    post.status === 'draft' &&
    post.unitId !== null &&
    post.unitId === editor.unitId);

/** Field → catalogue key for what the form's shape cannot tell; also settles the slug. */
async function checkInput(
  services: NewsServices,
  input: PostInput,
  editor: Editor,
  before: Post | undefined,
): Promise<{ errors: Record<string, string>; slug: string }> {
  const errors: Record<string, string> = {};
  const admin = editor.role === 'admin';
  if (input.status === 'published' && !admin) errors.status = 'news.form.publish_admin_only';
  // Pinning puts a post at the top of the home page: the province's decision, like publishing.
  if (input.pinned && !admin && !before?.pinned) errors.pinned = 'news.form.pin_admin_only';
  const takenByAnother = async (slug: string) => {
    const owner = await services.posts.slugOwner(slug);
    return owner !== undefined && owner !== before?.id;
  };
  let slug = input.slug;
  if (slug === '') {
    slug = await uniqueSlug(slugFromTitle(input.title) || input.category, takenByAnother);
  } else if (!isValidSlug(slug)) {
    errors.slug = 'news.form.slug_invalid';
  } else if (await takenByAnother(slug)) {
    errors.slug = 'news.form.slug_taken';
  }
  // Anyone but an admin may use only a cover they uploaded (or the one the post has): image ids are sequential.
  if (input.coverId !== null && input.coverId !== before?.coverId) {
    const image = await services.posts.image(input.coverId);
    if (!image || (!admin && image.createdBy !== editor.id)) errors.cover = 'news.form.cover_missing';
  }
  if (input.coverId !== null && input.coverAlt === '') errors.cover_alt = 'news.form.cover_alt_required';
  return { errors, slug };
}

function toDraft(input: PostInput, body: { html: string; text: string }, slug: string, now: Date): PostDraft {
  return {
    slug,
    title: input.title,
    category: input.category,
    excerpt: input.excerpt,
    body: input.body,
    bodyHtml: body.html,
    bodyText: body.text,
    status: input.status,
    // Publishing without a date publishes now; a draft keeps the date it was given, if any.
    publishedAt: (input.publishedAt ?? (input.status === 'published' ? now : null))?.toISOString() ?? null,
    pinned: input.pinned,
    coverId: input.coverId,
    coverAlt: input.coverId === null ? '' : input.coverAlt,
  };
}

/**
 * Writes a new post (postId null) or changes one, audited in the same transaction. The body is rendered first,
 * off the event loop and within a time limit (renderTypedMarkdown).
 */
export async function savePost(
  services: NewsServices,
  options: { postId: number | null; input: PostInput; editor: Editor; actor: Actor },
): Promise<SavePostResult> {
  const { postId, input, editor, actor } = options;
  const body = await renderTypedMarkdown(input.body);
  if (!body) return { ok: false, errors: { body: 'form.markdown_too_complex' } };
  return inTransaction(services.db, async (): Promise<SavePostResult> => {
    const before = postId === null ? undefined : await services.posts.findById(postId);
    if (postId !== null && !before) return { ok: false, errors: { _form: 'news.form.gone' } };
    if (before && !canEditPost(editor, before))
      return { ok: false, errors: { _form: 'news.form.not_allowed' } };
    const { errors, slug } = await checkInput(services, input, editor, before);
    if (Object.keys(errors).length > 0) return { ok: false, errors };

    const now = services.clock.now();
    const draft = toDraft(input, body, slug, now);
    let id: number;
    let action: 'post.created' | 'post.updated' | 'post.published' | 'post.unpublished';
    if (before) {
      await services.posts.update(before.id, draft, now);
      id = before.id;
      action =
        before.status === draft.status
          ? 'post.updated'
          : draft.status === 'published'
            ? 'post.published'
            : 'post.unpublished';
    } else {
      id = await services.posts.insert(draft, { authorId: editor.id, unitId: editor.unitId }, now);
      action = 'post.created';
    }
    await recordEvent(services.audit, {
      actor,
      action,
      target: { type: 'post', id },
      details: {
        title: draft.title,
        slug,
        status: draft.status,
        publishedAt: draft.publishedAt,
        pinned: draft.pinned,
      },
      at: now,
    });
    return { ok: true, postId: id };
  });
}

/** Deletes a post (admins only: the route's guard). */
export async function deletePost(
  services: NewsServices,
  options: { postId: number; actor: Actor },
): Promise<boolean> {
  return inTransaction(services.db, async () => {
    const post = await services.posts.findById(options.postId);
    if (!post || !(await services.posts.delete(post.id))) return false;
    await recordEvent(services.audit, {
      actor: options.actor,
      action: 'post.deleted',
      target: { type: 'post', id: post.id },
      details: { title: post.title, slug: post.slug, status: post.status },
      at: services.clock.now(),
    });
    return true;
  });
}
