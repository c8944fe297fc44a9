import type { PactRepository } from '../pledges/pact-repository.js';
import type { Pact } from '../pledges/types.js';
import type { ComplianceRepository } from './compliance-repository.js';
import { type PactCompliance, summarise } from './summary.js';

const MAX_DERIVED = 64;

/**
 * Compliance numbers without a recount on every page view. Each result is kept with the compliance epoch it was
 * computed at; reading the epoch is three indexed rows (src/db/cache-epoch-repository.ts), and every change that can
 * move a number (a signing, a void, a directory or pact change, an exemption beginning or ending) moves it, in any
 * process. A stale entry is recomputed on the next read, so a reader never sees numbers older than the last
 * committed change.
 */
export function complianceCache(repos: { compliance: ComplianceRepository; pacts: PactRepository }) {
  let epoch = '';
  // Promises, not results: readers that arrive while a summary is being computed wait for that one computation.
  let openPacts: Promise<PactCompliance[]> | null = null;
  const byPact = new Map<number, Promise<PactCompliance>>();
  // Lists derived from the same data (a unit's people in order), least recently read first.
  const derived = new Map<string, Promise<unknown>>();

  const current = async (): Promise<void> => {
    const now = await repos.compliance.epoch();
    if (now === epoch) return;
    epoch = now;
    openPacts = null;
    byPact.clear();
    derived.clear();
  };

  const compute = (pact: Pact): Promise<PactCompliance> => {
    let result = byPact.get(pact.id);
    if (!result) {
      result = repos.compliance.perUnit(pact.id).then((units) => summarise(pact, units));
      const kept = result;
      byPact.set(pact.id, kept);
      kept.catch(() => byPact.get(pact.id) === kept && byPact.delete(pact.id));
    }
    return result;
  };

  return {
    /** A pact's compliance now. */
    async forPact(pact: Pact): Promise<PactCompliance> {
      await current();
      return compute(pact);
    },
    /**
     * Something computed from what the compliance epoch covers (signings, who is required, names), kept under `key`
     * until the epoch moves, like the summaries: e.g. a unit's outstanding people in name order, which the
     * drill-down pages through. At most MAX_DERIVED are kept (a unit of 50,000 is 200 kB of ids).
     */
    async derived<T>(key: string, compute: () => Promise<T>): Promise<T> {
      await current();
      let result = derived.get(key) as Promise<T> | undefined;
      if (result !== undefined) {
        derived.delete(key);
      } else {
        result = compute();
        const kept = result;
        kept.catch(() => derived.get(key) === kept && derived.delete(key));
        if (derived.size >= MAX_DERIVED) derived.delete(derived.keys().next().value as string);
      }
      derived.set(key, result);
      return result;
    },
    /** Every open pact's compliance, the soonest deadline first. */
    async openPacts(): Promise<PactCompliance[]> {
      await current();
      if (!openPacts) {
        const kept = repos.pacts
          .listByStatus('open')
          .then((pacts) =>
            Promise.all(
              pacts.sort((a, b) => a.deadline.localeCompare(b.deadline) || a.id - b.id).map(compute),
            ),
          );
        openPacts = kept;
        kept.catch(() => {
          if (openPacts === kept) openPacts = null;
        });
      }
      return openPacts;
    },
  };
}

export type ComplianceCache = ReturnType<typeof complianceCache>;
