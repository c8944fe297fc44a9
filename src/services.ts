import { type Clock, systemClock } from './core/clock.js';
import type { Db } from './db/database.js';
import { createRepositories } from './repositories.js';
import { createRuntime } from './runtime.js';

/**
 * Everything the app is built from, for the composition root (app, server, startup) and the tests: the database,
 * the clock, what is stored (repositories) and what runs (caches, queues, held-back writes). Routers and operations
 * never import this type: each declares the narrow slice it uses, and is handed this whole object.
 */
export function createServices(db: Db, clock: Clock = systemClock) {
  const repositories = createRepositories(db);
  return { db, clock, ...repositories, ...createRuntime(db, repositories, clock) };
}

export type Services = ReturnType<typeof createServices>;
