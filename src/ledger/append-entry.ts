import { canonicalPayload, chainHash, GENESIS_HASH } from './chain.js';
import type { LedgerEntry, LedgerKind, LedgerRepository } from './repository.js';

/**
 * Appends the next entry after the current head. Must run inside the same IMMEDIATE transaction as the change it
 * records: the write lock is what makes `seq` gapless and the chain linear across processes.
 */
export function appendEntry(
  ledger: LedgerRepository,
  entry: {
    kind: LedgerKind;
    signatureId: number;
    at: Date;
    facts: Record<string, string | number | boolean | null>;
  },
): LedgerEntry {
  const head = ledger.head();
  const at = entry.at.toISOString();
  const payload = canonicalPayload({ ...entry.facts, kind: entry.kind, at });
  const prevHash = head?.hash ?? GENESIS_HASH;
  const appended: LedgerEntry = {
    seq: (head?.seq ?? 0) + 1,
    kind: entry.kind,
    signatureId: entry.signatureId,
    at,
    payload,
    prevHash,
    hash: chainHash(prevHash, payload),
  };
  ledger.insert(appended);
  return appended;
}
