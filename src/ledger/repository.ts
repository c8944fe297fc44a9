import { type RawBuilder, sql } from 'kysely';
import { allRows, countOf, type Db, firstRow, run } from '../db/database.js';

/** A signing online, a signing on paper recorded by someone else (migration 024), a void. */
export type LedgerKind = 'sign' | 'paper' | 'void';

/**
 * 1: an entry written before migration 028, whose payload held the signer's personal data; 2: every entry written
 * since, and those the one-time upgrade rewrote (see LEDGER_FORMAT and docs/ARCHITECTURE.md, "The ledger commits to
 * people, it does not hold them").
 */
export type LedgerFormat = 1 | 2;

/** The format every new entry is written in: the only one the database accepts since migration 028. */
export const LEDGER_FORMAT: LedgerFormat = 2;

export interface LedgerEntry {
  seq: number;
  kind: LedgerKind;
  signatureId: number;
  at: string;
  payload: string;
  prevHash: string;
  hash: string;
  format: LedgerFormat;
  /** The hash the entry had before the upgrade to format 2 rewrote it; null for an entry written as format 2. */
  legacyHash: string | null;
}

/** The record of the one-time upgrade of the ledger's format-1 entries (migration 028). */
export interface LedgerFormatUpgrade {
  at: string;
  entries: number;
  saltsGiven: number;
  oldHeadSeq: number;
  oldHeadHash: string;
  newHeadHash: string;
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
  format: number;
  legacy_hash: string | null;
}

const toEntry = (row: EntryRow): LedgerEntry => ({
  seq: row.seq,
  kind: row.kind,
  signatureId: row.signature_id,
  at: row.at,
  payload: row.payload,
  prevHash: row.prev_hash,
  hash: row.hash,
  format: Number(row.format) === 1 ? 1 : 2,
  legacyHash: row.legacy_hash,
});

interface UpgradeRow {
  at: string;
  entries: number;
  salts_given: number;
  old_head_seq: number;
  old_head_hash: string;
  new_head_hash: string;
}

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
        sql`INSERT INTO ledger (seq, kind, signature_id, at, payload, prev_hash, hash, format)
            VALUES (${entry.seq}, ${entry.kind}, ${entry.signatureId}, ${entry.at}, ${entry.payload},
                    ${entry.prevHash}, ${entry.hash}, ${entry.format})`,
      );
    },
    /** How many entries are still in format 1 (none once the upgrade has run). */
    countFormatOne: (): Promise<number> =>
      countOf(db, sql`SELECT count(*) AS n FROM ledger WHERE format = 1`),
    /**
     * The upgrade's rewrite of one format-1 entry (the only UPDATE the ledger's trigger allows): the new payload and
     * hashes, the old hash kept in legacy_hash. Call under lockForAppend, in the upgrade's transaction.
     */
    rewriteAsFormatTwo: async (
      seq: number,
      entry: Pick<LedgerEntry, 'payload' | 'prevHash' | 'hash'>,
    ): Promise<void> => {
      await run(
        db,
        sql`UPDATE ledger SET payload = ${entry.payload}, prev_hash = ${entry.prevHash}, hash = ${entry.hash},
                              format = 2, legacy_hash = hash
            WHERE seq = ${seq} AND format = 1`,
      );
    },
    recordUpgrade: async (upgrade: LedgerFormatUpgrade): Promise<void> => {
      await run(
        db,
        sql`INSERT INTO ledger_format_upgrades (at, entries, salts_given, old_head_seq, old_head_hash, new_head_hash)
            VALUES (${upgrade.at}, ${upgrade.entries}, ${upgrade.saltsGiven}, ${upgrade.oldHeadSeq},
                    ${upgrade.oldHeadHash}, ${upgrade.newHeadHash})`,
      );
    },
    /** The upgrade of the format-1 entries, if there was one (there is at most one: after it none are left). */
    formatUpgrade: async (): Promise<LedgerFormatUpgrade | undefined> => {
      const row = await firstRow(
        db,
        sql<UpgradeRow>`SELECT * FROM ledger_format_upgrades ORDER BY id DESC LIMIT 1`,
      );
      return (
        row && {
          at: row.at,
          entries: row.entries,
          saltsGiven: row.salts_given,
          oldHeadSeq: row.old_head_seq,
          oldHeadHash: row.old_head_hash,
          newHeadHash: row.new_head_hash,
        }
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
