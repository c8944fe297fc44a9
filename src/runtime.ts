import { keyedQueue } from './auth/keyed-queue.js';
import { complianceCache } from './compliance/compliance-cache.js';
import { boardState, liveBoard } from './compliance/live-board.js';
import type { Clock } from './core/clock.js';
import { type Db, inTransaction } from './db/database.js';
import { groupCommit } from './db/group-commit.js';
import { recentEpochs } from './db/recent-epochs.js';
import { versionedCache } from './db/versioned-cache.js';
import { writeBehind } from './db/write-behind.js';
import { viewCounter } from './news/view-counter.js';
import type { Repositories } from './repositories.js';
import { SESSION_COOKIE } from './sessions/session-store.js';
import { type InstanceSettings, readInstanceSettings } from './settings/instance.js';
import { LANGUAGE_VARY, languageOf } from './web/language.js';
import { pageCache } from './web/page-cache.js';
import { databaseRateLimits, rateLimitStore } from './web/rate-limit-store.js';

/** How long an anonymous reader's page may be served from memory (see pageCache). */
const PAGE_CACHE_TTL_MS = 10_000;

/**
 * What runs in this process beside the stored data: caches in front of it, queues and writes held back to be done
 * together. Each is per process; caches are keyed on the database's cache epochs, so a change made by another
 * process is seen at the next read.
 */
export function createRuntime(db: Db, repositories: Repositories, clock: Clock) {
  const { complianceCounts, pacts, posts, sessions, settings, units } = repositories;
  const compliance = complianceCache({ compliance: complianceCounts, pacts });
  const settingsVersion = recentEpochs(repositories.cacheEpochs.settings, db);
  return {
    /** The instance settings every page shows, read again when the settings epoch moves. */
    instanceSettings: versionedCache<void, InstanceSettings>(settingsVersion, () =>
      readInstanceSettings(settings),
    ),
    /** Each unit's time zone, its own or inherited (see zoneOfUnit), read again when the settings epoch moves. */
    unitTimeZones: versionedCache(settingsVersion, (unitId: number) => units.timeZoneOf(unitId)),
    /** Compliance summaries of pacts, recomputed when the compliance epoch moves. */
    complianceCache: compliance,
    /** Server-Sent Events for the live ceremony boards of this process. */
    liveBoard: liveBoard({
      epoch: complianceCounts.epoch,
      state: async (pactId) => {
        const pact = await pacts.findById(pactId);
        return pact && pact.status !== 'draft' ? boardState(await compliance.forPact(pact)) : null;
      },
    }),
    /** Signings from the web, committed several to a transaction (see groupCommit). */
    groupCommit: groupCommit(db),
    /** Public pages for anonymous readers, served from memory (see pageCache). */
    pageCache: pageCache({
      sessionCookie: SESSION_COOKIE,
      version: recentEpochs(repositories.cacheEpochs.all, db),
      now: () => clock.now().getTime(),
      ttlMs: PAGE_CACHE_TTL_MS,
      maxEntries: 500,
      // A reader without a session reads the language of their cookie or their browser.
      variant: { of: (req) => languageOf(req), vary: LANGUAGE_VARY },
    }),
    /**
     * Where rate limiters count: on PostgreSQL in the database, so that every app node counts the same requests; on
     * SQLite in memory (this process, or the cluster's primary).
     */
    rateLimits:
      db.engine === 'postgres' ? databaseRateLimits(repositories.rateLimitCounters) : rateLimitStore,
    /** One password check at a time per account (see checkPasswordAttempt). */
    passwordAttempts: keyedQueue(),
    /** Post views waiting to be written (see viewCounter); the server flushes them. */
    postViews: viewCounter((counts) =>
      inTransaction(db, async () => {
        for (const [id, n] of counts) await posts.addViews(id, n);
      }),
    ),
    /**
     * Sessions' new expiry times waiting to be written (see DatabaseSessionStore.touch); the server flushes them with
     * the post views.
     */
    sessionTouches: writeBehind<string, number>(Math.max, (touches) =>
      inTransaction(db, async () => {
        for (const [sid, expiresAt] of touches) await sessions.touch(sid, expiresAt);
      }),
    ),
  };
}

export type Runtime = ReturnType<typeof createRuntime>;
