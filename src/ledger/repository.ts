import type { Db } from '../db/database.js';

export type LedgerKind = 'sign' | 'void';

export interface LedgerEntry {
  seq: number;
  kind: LedgerKind;
  signatureId: number;
  at: string;
  payload: string;
  prevHash: string;
  hash: string;
}

export interface LedgerCheck {
  at: string;
  ok: boolean;
  entries: number;
  headSeq: number | null;
  headHash: string | null;
  firstBadSeq: number | null;
  problem: string | null;
}

interface EntryRow {
  seq: number;
  kind: LedgerKind;
  signature_id: number;
  at: string;
  payload: string;
  prev_hash: string;
  hash: string;
}

const toEntry = (row: EntryRow): LedgerEntry => ({
  seq: row.seq,
  kind: row.kind,
  signatureId: row.signature_id,
  at: row.at,
  payload: row.payload,
  prevHash: row.prev_hash,
  hash: row.hash,
});

export function ledgerRepository(db: Db) {
  const head = db.prepare<[], EntryRow>('SELECT * FROM ledger ORDER BY seq DESC LIMIT 1');
  const bySeq = db.prepare<[number], EntryRow>('SELECT * FROM ledger WHERE seq = ?');
  const insert = db.prepare(
    `INSERT INTO ledger (seq, kind, signature_id, at, payload, prev_hash, hash)
     VALUES (@seq, @kind, @signatureId, @at, @payload, @prevHash, @hash)`,
  );
  const voidFor = db.prepare<[number], EntryRow>(
    "SELECT * FROM ledger WHERE signature_id = ? AND kind = 'void' ORDER BY seq LIMIT 1",
  );
  const inOrder = db.prepare<[], EntryRow>('SELECT * FROM ledger ORDER BY seq');
  const insertCheck = db.prepare(
    `INSERT INTO ledger_checks (at, ok, entries, head_seq, head_hash, first_bad_seq, problem)
     VALUES (@at, @ok, @entries, @headSeq, @headHash, @firstBadSeq, @problem)`,
  );
  const lastCheck = db.prepare<
    [],
    {
      at: string;
      ok: number;
      entries: number;
      head_seq: number | null;
      head_hash: string | null;
      first_bad_seq: number | null;
      problem: string | null;
    }
  >('SELECT * FROM ledger_checks ORDER BY id DESC LIMIT 1');
  return {
    head: (): LedgerEntry | undefined => {
      const row = head.get();
      return row && toEntry(row);
    },
    findBySeq: (seq: number): LedgerEntry | undefined => {
      const row = bySeq.get(seq);
      return row && toEntry(row);
    },
    findVoidFor: (signatureId: number): LedgerEntry | undefined => {
      const row = voidFor.get(signatureId);
      return row && toEntry(row);
    },
    /** Call inside the write transaction that also writes what the entry records. */
    insert: (entry: LedgerEntry): void => {
      insert.run(entry);
    },
    /** Every entry, oldest first. */
    *entries(): Generator<LedgerEntry> {
      for (const row of inOrder.iterate()) yield toEntry(row);
    },
    recordCheck: (check: LedgerCheck): void => {
      insertCheck.run({ ...check, ok: check.ok ? 1 : 0 });
    },
    lastCheck: (): LedgerCheck | undefined => {
      const row = lastCheck.get();
      return (
        row && {
          at: row.at,
          ok: row.ok === 1,
          entries: row.entries,
          headSeq: row.head_seq,
          headHash: row.head_hash,
          firstBadSeq: row.first_bad_seq,
          problem: row.problem,
        }
      );
    },
  };
}

export type LedgerRepository = ReturnType<typeof ledgerRepository>;
