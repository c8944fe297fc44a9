import { readFileSync } from 'node:fs';
import { systemActor } from '../audit/record-event.js';
import type { AuditRepository } from '../audit/repository.js';
import type { Clock } from '../core/clock.js';
import { projectPath } from '../core/paths.js';
import type { TimeZone } from '../core/time-zone.js';
import type { Db } from '../db/database.js';
import type { UnitRepository } from '../directory/unit-repository.js';
import type { UserRepository } from '../directory/user-repository.js';
import type { PostRepository } from '../news/post-repository.js';
import { savePost } from '../news/save-post.js';
import { storeCover } from '../news/store-cover.js';
import { type DemoPublished, readDemoPosts } from './demo-posts.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The demo's news and announcements (db/seeds/posts/*.md, read by demo-posts.ts), written through the same
 * operations as the admin form: covers checked and resized, bodies rendered and sanitised, every write audited.
 * Dates are relative to now, or a fixed day and time on the instance's clocks (`timeZone`).
 */
export async function seedDemoPosts(services: {
  audit: AuditRepository;
  clock: Clock;
  db: Db;
  posts: PostRepository;
  timeZone: TimeZone;
  units: UnitRepository;
  users: UserRepository;
}): Promise<number> {
  const admin = await services.users.findByEmail('admin@ikrar.test');
  if (!admin) throw new Error('the demo admin must be seeded before the demo posts');
  const now = services.clock.now().getTime();
  const zone = services.timeZone;
  // The reader checked that every day and time is a real one.
  const publishedAt = (when: DemoPublished): Date => {
    if ('local' in when) return zone.instantOf(when.local) as Date;
    const then = new Date(now - when.daysAgo * DAY_MS);
    return when.time === undefined ? then : (zone.instantOf(`${zone.dayOf(then)}T${when.time}`) as Date);
  };
  let count = 0;
  for (const demo of readDemoPosts()) {
    const unit = await services.units.findByCode(demo.unitCode);
    let coverId: number | null = null;
    if (demo.cover) {
      const stored = await storeCover(services, {
        file: readFileSync(projectPath('db', 'seeds', 'covers', demo.cover.file)),
        actor: systemActor,
      });
      if (!stored.ok) throw new Error(`${demo.file}: cover ${demo.cover.file}: ${stored.problem}`);
      coverId = stored.imageId;
    }
    const result = await savePost(services, {
      postId: null,
      input: {
        title: demo.title,
        slug: demo.slug,
        category: demo.category,
        excerpt: demo.excerpt,
        body: demo.body,
        status: demo.status,
        publishedAt: demo.published === null ? null : publishedAt(demo.published),
        pinned: demo.pinned,
        coverId,
        coverAlt: demo.cover?.alt ?? '',
      },
      editor: { id: admin.id, role: 'admin', unitId: unit?.id ?? null },
      actor: systemActor,
    });
    if (!result.ok) throw new Error(`${demo.file}: ${JSON.stringify(result.errors)}`);
    count += 1;
  }
  return count;
}
