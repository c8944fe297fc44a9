import type { Clock } from './core/clock.js';
import type { TimeZone } from './core/time-zone.js';
import type { Db } from './db/database.js';
import { createRepositories } from './repositories.js';
import { createRuntime } from './runtime.js';

/**
 * Everything the app is built from, for the composition root (app, server, startup) and the tests: the database,
 * the clock, the instance's time zone (config.timeZone: never defaulted, so that nothing falls back to Jakarta
 * unnoticed), what is stored (repositories) and what runs (caches, queues, held-back writes). Routers and
 * operations never import this type: each declares the narrow slice it uses, and is handed this whole object.
 */
export function createServices(db: Db, clock: Clock, timeZone: TimeZone) {
  const repositories = createRepositories(db);
  return { db, clock, timeZone, ...repositories, ...createRuntime(db, repositories, clock) };
}

export type Services = ReturnType<typeof createServices>;
