import { canonicalPayload, chainHash, GENESIS_HASH } from './chain.js';
import {
  LEDGER_FORMAT,
  type LedgerEntry,
  type LedgerFormat,
  type LedgerKind,
  type LedgerRepository,
} from './repository.js';

/**
 * The payload of an entry: its facts with the kind, the time and the format, as canonical JSON. Also used to re-check
 * an entry, of format 1 too, whose payload says nothing of its format.
 */
export const entryPayload = (
  kind: LedgerKind,
  at: string,
  facts: Record<string, string | number | boolean | null>,
  format: LedgerFormat = LEDGER_FORMAT,
) => canonicalPayload(format === 1 ? { ...facts, kind, at } : { ...facts, kind, at, format });

/**
 * Appends the next entry after the current head. Must run inside the same transaction as the change it records,
 * after `ledger.lockForAppend()`: the lock (SQLite's IMMEDIATE write lock, PostgreSQL's advisory lock) is what
 * makes `seq` gapless and the chain linear across processes and nodes.
 */
export async function appendEntry(
  ledger: LedgerRepository,
  entry: {
    kind: LedgerKind;
    signatureId: number;
    at: Date;
    facts: Record<string, string | number | boolean | null>;
  },
): Promise<LedgerEntry> {
  const head = await ledger.head();
  const at = entry.at.toISOString();
  const payload = entryPayload(entry.kind, at, entry.facts);
  const prevHash = head?.hash ?? GENESIS_HASH;
  const appended: LedgerEntry = {
    seq: (head?.seq ?? 0) + 1,
    kind: entry.kind,
    signatureId: entry.signatureId,
    at,
    payload,
    prevHash,
    hash: chainHash(prevHash, payload),
    format: LEDGER_FORMAT,
    legacyHash: null,
  };
  await ledger.insert(appended);
  return appended;
}
