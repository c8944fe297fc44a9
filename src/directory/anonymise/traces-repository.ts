import { sql } from 'kysely';
import { allRows, type Db, run } from '../../db/database.js';
import type { RosterHeader, StoredRow } from '../roster/types.js';

/** An audit event about a person: one they did (`byThem`), one done to their record (`toThem`), or both. */
export interface EventAbout {
  id: number;
  action: string;
  byThem: boolean;
  toThem: boolean;
  details: Record<string, unknown>;
}

/** A batch of the rows a roster import still keeps, with the roster columns of its cells. */
export interface KeptRosterRows {
  importId: number;
  columns: RosterHeader['columns'];
  rows: StoredRow[];
}

/** How many kept roster rows are read at a time. */
const ROSTER_BATCH = 2000;

/**
 * What anonymising a person erases or rewrites outside their own record and signatures (src/directory/anonymise/):
 * only rows about them, each found through an index (the audit log by actor and by target, the outbox by address,
 * rate-limit counters by key, a roster import's rows by import). Call inside the operation's transaction.
 */
export function personalTracesRepository(db: Db) {
  return {
    /**
     * Deletes what was addressed to the person: their password links and activation codes, their reminder and
     * escalation records, and the mail kept or sent to any of their addresses (in any case). Returns how many rows
     * went.
     */
    async deleteAddressedTo(userId: number, emails: readonly string[]): Promise<number> {
      let deleted = await run(db, sql`DELETE FROM password_links WHERE user_id = ${userId}`);
      deleted += await run(db, sql`DELETE FROM reminders WHERE user_id = ${userId}`);
      for (const email of emails) {
        deleted += await run(db, sql`DELETE FROM outbox WHERE lower(to_address) = lower(${email})`);
      }
      return deleted;
    },
    /** The audit events the person did or that were done to their record, oldest first. */
    async eventsAbout(userId: number): Promise<EventAbout[]> {
      const rows = await allRows(
        db,
        sql<{
          id: number;
          action: string;
          actor_user_id: number | null;
          target_type: string | null;
          target_id: string | null;
          details: string;
        }>`
          SELECT id, action, actor_user_id, target_type, target_id, details FROM audit_events
          WHERE actor_user_id = ${userId}
          UNION
          SELECT id, action, actor_user_id, target_type, target_id, details FROM audit_events
          WHERE target_type = 'user' AND target_id = ${String(userId)}
          ORDER BY id`,
      );
      return rows.map((row) => ({
        id: Number(row.id),
        action: row.action,
        byThem: row.actor_user_id === userId,
        toThem: row.target_type === 'user' && row.target_id === String(userId),
        details: JSON.parse(row.details) as Record<string, unknown>,
      }));
    },
    /** Rewrites the details of one audit event. */
    async setEventDetails(id: number, details: Record<string, unknown>): Promise<void> {
      await run(db, sql`UPDATE audit_events SET details = ${JSON.stringify(details)} WHERE id = ${id}`);
    },
    /** Forgets the IP address and browser of every event the person did; returns how many events had them. */
    forgetDevicesOf: (userId: number): Promise<number> =>
      run(
        db,
        sql`UPDATE audit_events SET ip = NULL, user_agent = NULL
            WHERE actor_user_id = ${userId} AND (ip IS NOT NULL OR user_agent IS NOT NULL)`,
      ),
    /**
     * The rows roster imports still keep (a day: see src/directory/roster/preview.ts), import by import, a batch at
     * a time, each with its import's roster columns.
     */
    async *keptRosterRows(): AsyncGenerator<KeptRosterRows> {
      const imports = await allRows(
        db,
        sql<{
          id: number;
          header: string;
        }>`SELECT id, header FROM roster_imports WHERE header IS NOT NULL ORDER BY id`,
      );
      for (const record of imports) {
        const { columns } = JSON.parse(record.header) as RosterHeader;
        for (let after = 0; ; ) {
          const batch = await allRows(
            db,
            sql<{ row: string; outcome: string }>`
              SELECT row, outcome FROM roster_import_rows
              WHERE import_id = ${record.id} AND line > ${after} ORDER BY line LIMIT ${ROSTER_BATCH}`,
          );
          const rows = batch.map(
            (stored): StoredRow => ({ row: JSON.parse(stored.row), outcome: JSON.parse(stored.outcome) }),
          );
          const last = rows.at(-1);
          if (!last) break;
          yield { importId: record.id, columns, rows };
          after = last.row.line;
        }
      }
    },
    /** Rewrites one kept roster row (its line stays). */
    async setRosterRow(importId: number, stored: StoredRow): Promise<void> {
      await run(
        db,
        sql`UPDATE roster_import_rows SET row = ${JSON.stringify(stored.row)}, outcome = ${JSON.stringify(stored.outcome)}
            WHERE import_id = ${importId} AND line = ${stored.row.line}`,
      );
    },
    /** Deletes the rate-limit counters with these keys (PostgreSQL deployments count in the database). */
    async deleteRateLimitCounters(keys: readonly string[]): Promise<number> {
      let deleted = 0;
      for (const key of keys) deleted += await run(db, sql`DELETE FROM rate_limit_hits WHERE key = ${key}`);
      return deleted;
    },
  };
}

export type PersonalTracesRepository = ReturnType<typeof personalTracesRepository>;
