import cluster from 'node:cluster';
import { ClusterMemoryStoreWorker } from '@express-rate-limit/cluster-memory-store';
import type { Store } from 'express-rate-limit';

/**
 * Where a limiter counts. In a cluster worker: in the primary, for all workers together, so that a limit is per
 * address and not per address and worker (see src/cluster.ts). Alone: in this process (express-rate-limit's
 * memory store). `prefix` names the limiter, so two limiters never count each other's requests.
 *
 * When the count cannot be had (the primary's answer comes later than the store's fixed 1 s, as it does after a
 * worker was busy for longer than that), the request goes on uncounted and the error is logged: a 500 for a
 * login or an API call because the limiter was slow helps nobody, and the account lockout still guards passwords.
 */
export function rateLimitStore(
  prefix: string,
  store: Store | undefined = cluster.isWorker ? new ClusterMemoryStoreWorker({ prefix }) : undefined,
): { store?: Store; passOnStoreError: true } {
  return store ? { store, passOnStoreError: true } : { passOnStoreError: true };
}
