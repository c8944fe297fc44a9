import cluster from 'node:cluster';
import { ClusterMemoryStoreWorker } from '@express-rate-limit/cluster-memory-store';
import type { Options, Store } from 'express-rate-limit';

/** Where limiters count: a store per limiter (`prefix` names it), and what to do when the count cannot be had. */
export type RateLimits = (prefix: string) => { store?: Store; passOnStoreError: true };

/**
 * Counting in memory (SQLite deployments). In a cluster worker: in the primary, for all workers together, so that
 * a limit is per address and not per address and worker (see src/cluster.ts). Alone: in this process
 * (express-rate-limit's memory store). `prefix` names the limiter, so two limiters never count each other's
 * requests.
 *
 * When the count cannot be had (the primary's answer comes later than the store's fixed 1 s, as it does after a
 * worker was busy for longer than that; the database does not answer), the request goes on uncounted and the
 * error is logged: a 500 for a login or an API call because the limiter was slow helps nobody, and the account
 * lockout still guards passwords.
 */
export function rateLimitStore(
  prefix: string,
  store: Store | undefined = cluster.isWorker ? new ClusterMemoryStoreWorker({ prefix }) : undefined,
): { store?: Store; passOnStoreError: true } {
  return store ? { store, passOnStoreError: true } : { passOnStoreError: true };
}

/** The key of a limiter's counter in the database: the limiter's name (its `prefix`), then what it counts by. */
export const counterKey = (prefix: string, key: string): string => `${prefix}:${key}`;

/** The counters a database keeps (src/db/rate-limit-repository.ts). */
export interface RateLimitCounters {
  hit(key: string, nowMs: number, windowMs: number): Promise<{ hits: number; resetsAt: number }>;
  unhit(key: string): Promise<void>;
  reset(key: string): Promise<void>;
  pruneEnded(nowMs: number): Promise<number>;
}

/** Windows that ended are forgotten at most this often, by whichever limiter counts next. */
const PRUNE_EVERY_MS = 10 * 60 * 1000;

/**
 * Counting in the database (PostgreSQL deployments): every app node counts in the same rows, so an address gets
 * its limit once across all nodes, not once per node. One write per counted request, to an unlogged table.
 */
export function databaseRateLimits(counters: RateLimitCounters, now: () => number = Date.now): RateLimits {
  let lastPrune = now();
  return (prefix) => {
    let windowMs = 60_000;
    const store: Store = {
      prefix,
      init: (options: Options) => {
        windowMs = options.windowMs;
      },
      increment: async (key) => {
        const at = now();
        if (at - lastPrune > PRUNE_EVERY_MS) {
          lastPrune = at;
          await counters.pruneEnded(at);
        }
        const { hits, resetsAt } = await counters.hit(counterKey(prefix, key), at, windowMs);
        return { totalHits: hits, resetTime: new Date(resetsAt) };
      },
      decrement: (key) => counters.unhit(counterKey(prefix, key)),
      resetKey: (key) => counters.reset(counterKey(prefix, key)),
    };
    return { store, passOnStoreError: true };
  };
}
