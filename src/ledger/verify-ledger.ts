import type { Clock } from '../core/clock.js';
import { defaultTranslator } from '../web/i18n.js';
import { chainHash, GENESIS_HASH } from './chain.js';
import type { LedgerCheck, LedgerEntry, LedgerRepository } from './repository.js';

/**
 * Recomputes the whole chain and reports the first entry that does not fit: a seq out of order or missing, a
 * prev_hash that is not the previous hash, a hash that does not match its payload, or columns (kind, time,
 * signature, format) that say something else than the payload they are stored with. A chain that is shorter than at the
 * last recorded check has lost its end. Does not record the result (see checkRecords).
 */
export async function verifyLedger(ledger: LedgerRepository, clock: Clock): Promise<LedgerCheck> {
  // The chain is read a page at a time, not in one snapshot, and entries may be appended meanwhile. The last check
  // is read first, so that it can only name entries that existed before the chain was read; the head is the last
  // entry read, the one the check vouches for.
  const previous = await ledger.lastCheck();
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let entries = 0;
  let failure: { seq: number; problem: string } | null = null;
  let last: LedgerEntry | undefined;
  for await (const entry of ledger.entries()) {
    entries += 1;
    failure = entryProblem(entry, expectedSeq, prevHash);
    if (failure) break;
    expectedSeq += 1;
    prevHash = entry.hash;
    last = entry;
  }
  const head = failure ? undefined : last;
  if (!failure && previous?.ok && previous.headSeq !== null && previous.headSeq > (head?.seq ?? 0)) {
    failure = {
      seq: (head?.seq ?? 0) + 1,
      problem: defaultTranslator()('ledger.problem.end_gone', {
        seq: head?.seq ?? 0,
        last: previous.headSeq,
      }),
    };
  }
  return {
    at: clock.now().toISOString(),
    ok: failure === null,
    entries,
    headSeq: failure ? null : (head?.seq ?? null),
    headHash: failure ? null : (head?.hash ?? null),
    firstBadSeq: failure?.seq ?? null,
    problem: failure?.problem ?? null,
  };
}

/** Problems are stored with the check and shown on /admin/ledger and by `ledger:verify`, so they are written in Indonesian. */
function entryProblem(
  entry: LedgerEntry,
  expectedSeq: number,
  prevHash: string,
): { seq: number; problem: string } | null {
  const t = defaultTranslator();
  if (entry.seq !== expectedSeq) {
    return {
      seq: Math.min(entry.seq, expectedSeq),
      problem: t('ledger.problem.seq_out_of_order', { found: entry.seq, expected: expectedSeq }),
    };
  }
  if (entry.prevHash !== prevHash) return { seq: entry.seq, problem: t('ledger.problem.prev_hash') };
  if (chainHash(entry.prevHash, entry.payload) !== entry.hash) {
    return { seq: entry.seq, problem: t('ledger.problem.hash') };
  }
  let recorded: { kind?: unknown; at?: unknown; signatureId?: unknown; format?: unknown };
  try {
    recorded = JSON.parse(entry.payload) as typeof recorded;
  } catch {
    return { seq: entry.seq, problem: t('ledger.problem.not_json') };
  }
  if (
    recorded.kind !== entry.kind ||
    recorded.at !== entry.at ||
    recorded.signatureId !== entry.signatureId ||
    // A format-1 payload says nothing of its format; a format-2 one says 2.
    (recorded.format ?? 1) !== entry.format
  ) {
    return { seq: entry.seq, problem: t('ledger.problem.columns') };
  }
  return null;
}
