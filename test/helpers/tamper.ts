import { sql } from 'kysely';
import type { Db } from '../../src/db/database.js';

/**
 * Switches off the database's guard triggers, as someone with direct access to the database could, before a test
 * edits rows behind the app's back. PostgreSQL names a trigger together with its table.
 */
export async function dropTriggers(db: Db, names: readonly string[]): Promise<void> {
  for (const name of names) {
    if (db.engine === 'sqlite') {
      await sql`DROP TRIGGER IF EXISTS ${sql.id(name)}`.execute(db.q);
      continue;
    }
    const tables = await sql<{ table: string }>`
      SELECT DISTINCT event_object_table AS table FROM information_schema.triggers
      WHERE trigger_schema = current_schema() AND trigger_name = ${name}`.execute(db.q);
    for (const { table } of tables.rows) {
      await sql`DROP TRIGGER IF EXISTS ${sql.id(name)} ON ${sql.id(table)}`.execute(db.q);
    }
  }
}
