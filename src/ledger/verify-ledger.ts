import type { Clock } from '../clock.js';
import { chainHash, GENESIS_HASH } from './chain.js';
import type { LedgerCheck, LedgerRepository } from './repository.js';

/**
 * Recomputes the whole chain in stored order and reports the first entry that does not fit: a seq out of order
 * or missing, a prev_hash that is not the previous hash, or a hash that does not match its payload. Records the
 * result for /admin/ledger.
 */
export function verifyLedger(ledger: LedgerRepository, clock: Clock): LedgerCheck {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let entries = 0;
  let failure: { seq: number; problem: string } | null = null;
  for (const entry of ledger.entries()) {
    entries += 1;
    if (entry.seq !== expectedSeq) {
      failure = {
        seq: Math.min(entry.seq, expectedSeq),
        problem: `seq ${entry.seq} found where ${expectedSeq} was expected`,
      };
    } else if (entry.prevHash !== prevHash) {
      failure = { seq: entry.seq, problem: 'prev_hash does not match the previous entry' };
    } else if (chainHash(entry.prevHash, entry.payload) !== entry.hash) {
      failure = { seq: entry.seq, problem: 'hash does not match the payload' };
    }
    if (failure) break;
    expectedSeq += 1;
    prevHash = entry.hash;
  }
  const head = failure ? undefined : ledger.head();
  const check: LedgerCheck = {
    at: clock.now().toISOString(),
    ok: failure === null,
    entries,
    headSeq: head?.seq ?? null,
    headHash: head?.hash ?? null,
    firstBadSeq: failure?.seq ?? null,
    problem: failure?.problem ?? null,
  };
  ledger.recordCheck(check);
  return check;
}
