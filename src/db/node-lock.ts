import { sql } from 'kysely';
import type { Db } from './ambient-db.js';

/**
 * Runs `work` unless another app node on the same PostgreSQL database is running work under the same lock: a session
 * advisory lock (keyed on `lock` and the schema, as every lock of Ikrar is) taken without waiting, held on one
 * connection for the whole of `work` and let go when it ends or fails, or when that connection dies. Resolves to
 * whether `work` ran. SQLite serves one machine, where the caller decides which process runs it: `work` always runs.
 */
export async function asTheOnlyNode(db: Db, lock: number, work: () => Promise<void>): Promise<boolean> {
  if (db.engine !== 'postgres') {
    await work();
    return true;
  }
  return db.q.connection().execute(async (connection) => {
    const { rows } = await sql<{ got: boolean }>`
      SELECT pg_try_advisory_lock(${lock}, hashtext(current_schema())) AS got`.execute(connection);
    if (!rows[0]?.got) return false;
    try {
      await work();
      return true;
    } finally {
      await sql`SELECT pg_advisory_unlock(${lock}, hashtext(current_schema()))`.execute(connection);
    }
  });
}
