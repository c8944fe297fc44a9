import { type RawBuilder, sql } from 'kysely';
import { allRows, type Db, firstRow, run } from '../db/database.js';

/** A signing online, a signing on paper recorded by someone else (migration 024), a void. */
export type LedgerKind = 'sign' | 'paper' | 'void';

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

interface CheckRow {
  at: string;
  ok: number;
  entries: number;
  head_seq: number | null;
  head_hash: string | null;
  first_bad_seq: number | null;
  problem: string | null;
}

/** The advisory lock key of appending to the ledger (PostgreSQL): "IKRL" in ASCII, and the schema's hash. */
const LEDGER_APPEND_LOCK = 0x494b524c;

export function ledgerRepository(db: Db) {
  const one = async (query: RawBuilder<EntryRow>): Promise<LedgerEntry | undefined> => {
    const row = await firstRow(db, query);
    return row && toEntry(row);
  };
  const entriesPage = (afterSeq: number, limit: number) =>
    allRows(db, sql<EntryRow>`SELECT * FROM ledger WHERE seq > ${afterSeq} ORDER BY seq LIMIT ${limit}`);

  return {
    /**
     * Waits for the right to append, held until the transaction ends; take it before the transaction's first write.
     * SQLite's IMMEDIATE transaction already holds the one write lock. On PostgreSQL writers on several nodes run at
     * once: this advisory lock keeps the chain one line (each entry links to the head it read) and, taken first,
     * orders every appender the same way, so two never wait for each other's rows.
     */
    lockForAppend: async (): Promise<void> => {
      if (db.engine === 'postgres')
        await run(db, sql`SELECT pg_advisory_xact_lock(${LEDGER_APPEND_LOCK}, hashtext(current_schema()))`);
    },
    head: () => one(sql`SELECT * FROM ledger ORDER BY seq DESC LIMIT 1`),
    findBySeq: (seq: number) => one(sql`SELECT * FROM ledger WHERE seq = ${seq}`),
    findVoidFor: (signatureId: number) =>
      one(
        sql`SELECT * FROM ledger WHERE signature_id = ${signatureId} AND kind = 'void' ORDER BY seq LIMIT 1`,
      ),
    /** Call inside the write transaction that also writes what the entry records. */
    insert: async (entry: LedgerEntry): Promise<void> => {
      await run(
        db,
        sql`INSERT INTO ledger (seq, kind, signature_id, at, payload, prev_hash, hash)
            VALUES (${entry.seq}, ${entry.kind}, ${entry.signatureId}, ${entry.at}, ${entry.payload},
                    ${entry.prevHash}, ${entry.hash})`,
      );
    },
    /** Every entry, oldest first, read a page at a time. */
    async *entries(): AsyncGenerator<LedgerEntry> {
      for (let afterSeq = 0; ; ) {
        const page = await entriesPage(afterSeq, ENTRIES_PAGE);
        for (const row of page) yield toEntry(row);
        if (page.length < ENTRIES_PAGE) return;
        afterSeq = (page.at(-1) as EntryRow).seq;
      }
    },
    recordCheck: async (check: LedgerCheck): Promise<void> => {
      await run(
        db,
        sql`INSERT INTO ledger_checks (at, ok, entries, head_seq, head_hash, first_bad_seq, problem)
            VALUES (${check.at}, ${check.ok ? 1 : 0}, ${check.entries}, ${check.headSeq}, ${check.headHash},
                    ${check.firstBadSeq}, ${check.problem})`,
      );
    },
    lastCheck: async (): Promise<LedgerCheck | undefined> => {
      const row = await firstRow(db, sql<CheckRow>`SELECT * FROM ledger_checks ORDER BY id DESC LIMIT 1`);
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

/** Ledger entries read at once by `entries`. */
const ENTRIES_PAGE = 1000;

export type LedgerRepository = ReturnType<typeof ledgerRepository>;
