import sharp from 'sharp';
import { systemActor } from '../../src/audit/record-event.js';
import type { PostInput } from '../../src/news/post-input.js';
import { savePost } from '../../src/news/save-post.js';
import { storeCover } from '../../src/news/store-cover.js';
import type { Post } from '../../src/news/types.js';
import type { Services } from '../../src/services.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A post written through the real operation (rendered, sanitised, indexed, audited), published a day ago unless
 * told otherwise. `unitId` is the publishing unit; `authorId` must be an existing user or null.
 */
export async function makePost(
  services: Services,
  overrides: Partial<PostInput> & { unitId?: number | null; authorId?: number } = {},
): Promise<Post> {
  const { unitId = null, authorId, ...input } = overrides;
  const result = await savePost(services, {
    postId: null,
    input: {
      title: 'Sosialisasi Netralitas ASN di Kabupaten Temanggung',
      slug: '',
      category: 'berita',
      excerpt: 'Ringkasan berita uji.',
      body: 'Isi berita uji tentang **netralitas** ASN.',
      status: 'published',
      publishedAt: new Date(services.clock.now().getTime() - DAY_MS),
      pinned: false,
      coverId: null,
      coverAlt: '',
      ...input,
    },
    // Written as an admin, who may publish.
    editor: { id: authorId ?? null, role: 'admin', unitId },
    actor: systemActor,
  });
  if (!result.ok) throw new Error(`makePost: ${JSON.stringify(result.errors)}`);
  return (await services.posts.findById(result.postId)) as Post;
}

/** Changes a post through the real operation, as an admin's form would: what it has, with `changes`. */
export async function editPost(
  services: Services,
  post: Post,
  changes: Partial<PostInput> = {},
): Promise<void> {
  const result = await savePost(services, {
    postId: post.id,
    input: {
      title: post.title,
      slug: post.slug,
      category: post.category,
      excerpt: post.excerpt,
      body: post.body,
      status: post.status,
      publishedAt: post.publishedAt === null ? null : new Date(post.publishedAt),
      pinned: post.pinned,
      coverId: post.coverId,
      coverAlt: post.coverAlt,
      ...changes,
    },
    editor: { id: null, role: 'admin', unitId: null },
    actor: systemActor,
  });
  if (!result.ok) throw new Error(`editPost: ${JSON.stringify(result.errors)}`);
}

/** A plain JPEG of the given size, as a camera or an editor would upload. */
export const jpeg = (width = 1600, height = 900): Promise<Buffer> =>
  sharp({ create: { width, height, channels: 3, background: '#1f5130' } })
    .jpeg()
    .toBuffer();

/** A stored cover image (through the real check and resize), for posts made with makePost. */
export async function makeCover(services: Services, width = 1600, height = 900): Promise<number> {
  const stored = await storeCover(services, { file: await jpeg(width, height), actor: systemActor });
  if (!stored.ok) throw new Error(`makeCover: ${stored.problem}`);
  return stored.imageId;
}
