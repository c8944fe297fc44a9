import cluster from 'node:cluster';
import { ClusterMemoryStoreWorker } from '@express-rate-limit/cluster-memory-store';
import type { Store } from 'express-rate-limit';

/**
 * Where a limiter counts. In a cluster worker: in the primary, for all workers together, so that a limit is per
 * address and not per address and worker (see src/cluster.ts). Alone: in this process (express-rate-limit's
 * memory store). `prefix` names the limiter, so two limiters never count each other's requests.
 */
export function rateLimitStore(prefix: string): { store?: Store } {
  return cluster.isWorker ? { store: new ClusterMemoryStoreWorker({ prefix }) } : {};
}
