import { type Actor, recordEvent } from '../audit/record-event.js';
import type { AuditRepository } from '../audit/repository.js';
import type { Clock } from '../core/clock.js';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/database.js';
import { type CoverProblem, processCover } from './cover-image.js';
import type { PostRepository } from './post-repository.js';

export type StoreCoverResult = { ok: true; imageId: number } | { ok: false; problem: CoverProblem };

/**
 * Checks and resizes an uploaded cover and stores its variants. Stored before the post is saved, so that a form
 * sent back with mistakes keeps the image (its id rides along in a hidden field) instead of asking for it again.
 */
export async function storeCover(
  services: { db: Db; posts: PostRepository; audit: AuditRepository; clock: Clock },
  options: { file: Buffer; actor: Actor },
): Promise<StoreCoverResult> {
  const cover = await processCover(options.file);
  if (!cover.ok) return cover;
  return inTransaction(services.db, async () => {
    const now = services.clock.now();
    const imageId = await services.posts.insertImage(cover, options.actor.userId, now);
    await recordEvent(services.audit, {
      actor: options.actor,
      action: 'post.image_uploaded',
      target: { type: 'post_image', id: imageId },
      details: { sha256: cover.sha256, width: cover.width, height: cover.height },
      at: now,
    });
    return { ok: true, imageId } as const;
  });
}
