import { sql } from 'kysely';
import { countOf, type Db, firstRow, run } from '../db/database.js';

export function sessionRepository(db: Db) {
  return {
    /** The live session's JSON and when it expires (epoch ms). */
    get: async (sid: string, nowMs: number): Promise<{ sess: string; expiresAt: number } | undefined> => {
      const row = await firstRow(
        db,
        sql<{ sess: string; expires_at: number }>`
          SELECT sess, expires_at FROM sessions WHERE sid = ${sid} AND expires_at > ${nowMs}`,
      );
      return row && { sess: row.sess, expiresAt: Number(row.expires_at) };
    },
    save: async (sid: string, sess: string, expiresAt: number, userId: number | null): Promise<void> => {
      await run(
        db,
        sql`INSERT INTO sessions (sid, sess, expires_at, user_id) VALUES (${sid}, ${sess}, ${expiresAt}, ${userId})
            ON CONFLICT (sid) DO UPDATE
            SET sess = excluded.sess, expires_at = excluded.expires_at, user_id = excluded.user_id`,
      );
    },
    touch: async (sid: string, expiresAt: number): Promise<void> => {
      await run(db, sql`UPDATE sessions SET expires_at = ${expiresAt} WHERE sid = ${sid}`);
    },
    destroy: async (sid: string): Promise<void> => {
      await run(db, sql`DELETE FROM sessions WHERE sid = ${sid}`);
    },
    destroyExpired: (nowMs: number): Promise<number> =>
      run(db, sql`DELETE FROM sessions WHERE expires_at <= ${nowMs}`),
    /** Ends every session of a user except `keepSid` (pass '' to end them all). */
    destroyForUser: (userId: number, keepSid: string): Promise<number> =>
      run(db, sql`DELETE FROM sessions WHERE user_id = ${userId} AND sid <> ${keepSid}`),
    countLive: (nowMs: number): Promise<number> =>
      countOf(db, sql`SELECT count(*) AS n FROM sessions WHERE expires_at > ${nowMs}`),
  };
}

export type SessionRepository = ReturnType<typeof sessionRepository>;
