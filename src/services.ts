import { auditRepository } from './audit/repository.js';
import { keyedQueue } from './auth/keyed-queue.js';
import { sessionRepository } from './auth/session-repository.js';
import { complianceCache } from './compliance/compliance-cache.js';
import { complianceRepository } from './compliance/compliance-repository.js';
import { boardState, liveBoard } from './compliance/live-board.js';
import { peopleRepository } from './compliance/people-repository.js';
import { type Clock, systemClock } from './core/clock.js';
import { passwordLinkRepository } from './credentials/password-link-repository.js';
import { cacheEpochRepository } from './db/cache-epoch-repository.js';
import { type Db, inTransaction } from './db/database.js';
import { groupCommit } from './db/group-commit.js';
import { writeBehind } from './db/write-behind.js';
import { rosterImportRepository } from './directory/roster/repository.js';
import { unitRepository } from './directory/unit-repository.js';
import { userRepository } from './directory/user-repository.js';
import { healthRepository } from './home/health-repository.js';
import { ledgerRepository } from './ledger/repository.js';
import { outboxRepository } from './mail/outbox-repository.js';
import { postRepository } from './news/post-repository.js';
import { viewCounter } from './news/view-counter.js';
import { pactRepository } from './pledges/pact-repository.js';
import { signatureRepository } from './pledges/signature-repository.js';
import { reminderRepository } from './reminders/reminder-repository.js';
import { settingsRepository } from './settings/repository.js';
import { pageCache } from './web/page-cache.js';

/** How long an anonymous reader's page may be served from memory (see pageCache). */
const PAGE_CACHE_TTL_MS = 10_000;

/**
 * Everything the web layer and the operations need, built from one open database: repositories, the clock, the
 * per-account password-attempt queue, the caches (compliance, public pages) and the post-view counter. No I/O
 * happens here.
 */
export function createServices(db: Db, clock: Clock = systemClock) {
  const pacts = pactRepository(db);
  const complianceCounts = complianceRepository(db);
  const compliance = complianceCache({ compliance: complianceCounts, pacts });
  const posts = postRepository(db);
  const sessions = sessionRepository(db);
  return {
    db,
    clock,
    audit: auditRepository(db),
    compliance,
    complianceCounts,
    /** Server-Sent Events for the live ceremony boards of this process. */
    liveBoard: liveBoard({
      epoch: complianceCounts.epoch,
      state: (pactId) => {
        const pact = pacts.findById(pactId);
        return pact && pact.status !== 'draft' ? boardState(compliance.forPact(pact)) : null;
      },
    }),
    compliancePeople: peopleRepository(db),
    /** Signings from the web, committed several to a transaction (see groupCommit). */
    groupCommit: groupCommit(db),
    health: healthRepository(db),
    ledger: ledgerRepository(db),
    outbox: outboxRepository(db),
    pages: pageCache({
      version: cacheEpochRepository(db).all,
      now: () => clock.now().getTime(),
      ttlMs: PAGE_CACHE_TTL_MS,
      maxEntries: 500,
    }),
    pacts,
    passwordLinks: passwordLinkRepository(db),
    /** One password check at a time per account (see checkPasswordAttempt). */
    passwordAttempts: keyedQueue(),
    posts,
    /** Post views waiting to be written (see viewCounter); the server flushes them. */
    postViews: viewCounter((counts) =>
      inTransaction(db, () => {
        for (const [id, n] of counts) posts.addViews(id, n);
      }),
    ),
    reminders: reminderRepository(db),
    sessions,
    /**
     * Sessions' new expiry times waiting to be written (see SqliteSessionStore.touch); the server flushes them with
     * the post views.
     */
    sessionTouches: writeBehind<string, number>(Math.max, (touches) =>
      inTransaction(db, () => {
        for (const [sid, expiresAt] of touches) sessions.touch(sid, expiresAt);
      }),
    ),
    rosterImports: rosterImportRepository(db),
    settings: settingsRepository(db),
    signatures: signatureRepository(db),
    units: unitRepository(db),
    users: userRepository(db),
  };
}

export type Services = ReturnType<typeof createServices>;
