import type { PactRepository } from '../pledges/pact-repository.js';
import type { Pact } from '../pledges/types.js';
import type { ComplianceRepository } from './compliance-repository.js';
import { type PactCompliance, summarise } from './summary.js';

/**
 * Compliance numbers without a recount on every page view. Each result is kept with the compliance epoch it was
 * computed at; reading the epoch is one indexed row, and every change that can move a number (a signing, a void,
 * a directory or pact change) bumps it in its own transaction (triggers, migration 010), in any process. A stale
 * entry is recomputed on the next read, so a reader never sees numbers older than the last committed change.
 */
export function complianceCache(repos: { compliance: ComplianceRepository; pacts: PactRepository }) {
  let epoch = -1;
  let openPacts: PactCompliance[] | null = null;
  const byPact = new Map<number, PactCompliance>();

  const current = (): void => {
    const now = repos.compliance.epoch();
    if (now === epoch) return;
    epoch = now;
    openPacts = null;
    byPact.clear();
  };

  const compute = (pact: Pact): PactCompliance => {
    let result = byPact.get(pact.id);
    if (!result) {
      result = summarise(pact, repos.compliance.perUnit(pact.id));
      byPact.set(pact.id, result);
    }
    return result;
  };

  return {
    /** A pact's compliance now. */
    forPact(pact: Pact): PactCompliance {
      current();
      return compute(pact);
    },
    /** Every open pact's compliance, the soonest deadline first. */
    openPacts(): PactCompliance[] {
      current();
      openPacts ??= repos.pacts
        .listByStatus('open')
        .sort((a, b) => a.deadline.localeCompare(b.deadline) || a.id - b.id)
        .map(compute);
      return openPacts;
    },
  };
}

export type ComplianceCache = ReturnType<typeof complianceCache>;
