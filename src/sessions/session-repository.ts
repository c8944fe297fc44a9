import type { Db } from '../db/database.js';

export function sessionRepository(db: Db) {
  const get = db.prepare<[string, number], { sess: string; expires_at: number }>(
    'SELECT sess, expires_at FROM sessions WHERE sid = ? AND expires_at > ?',
  );
  const upsert = db.prepare(
    `INSERT INTO sessions (sid, sess, expires_at, user_id) VALUES (@sid, @sess, @expiresAt, @userId)
     ON CONFLICT (sid) DO UPDATE SET sess = excluded.sess, expires_at = excluded.expires_at, user_id = excluded.user_id`,
  );
  const touch = db.prepare('UPDATE sessions SET expires_at = ? WHERE sid = ?');
  const destroy = db.prepare('DELETE FROM sessions WHERE sid = ?');
  const destroyExpired = db.prepare('DELETE FROM sessions WHERE expires_at <= ?');
  const destroyForUser = db.prepare('DELETE FROM sessions WHERE user_id = ? AND sid <> ?');
  const countLive = db
    .prepare<[number], number>('SELECT count(*) FROM sessions WHERE expires_at > ?')
    .pluck();
  return {
    /** The live session's JSON and when it expires (epoch ms). */
    get: (sid: string, nowMs: number): { sess: string; expiresAt: number } | undefined => {
      const row = get.get(sid, nowMs);
      return row && { sess: row.sess, expiresAt: row.expires_at };
    },
    save: (sid: string, sess: string, expiresAt: number, userId: number | null): void => {
      upsert.run({ sid, sess, expiresAt, userId });
    },
    touch: (sid: string, expiresAt: number): void => {
      touch.run(expiresAt, sid);
    },
    destroy: (sid: string): void => {
      destroy.run(sid);
    },
    destroyExpired: (nowMs: number): number => destroyExpired.run(nowMs).changes,
    /** Ends every session of a user except `keepSid` (pass '' to end them all). */
    destroyForUser: (userId: number, keepSid: string): number => destroyForUser.run(userId, keepSid).changes,
    countLive: (nowMs: number): number => countLive.get(nowMs) as number,
  };
}

export type SessionRepository = ReturnType<typeof sessionRepository>;
