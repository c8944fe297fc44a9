import { sql } from 'kysely';
import { type Db, firstRow } from '../db/database.js';

export function healthRepository(db: Db) {
  return {
    /** True when the database answers a query. */
    databaseAnswers: async (): Promise<boolean> => {
      try {
        return (await firstRow(db, sql<{ one: number }>`SELECT 1 AS one`))?.one === 1;
      } catch {
        return false;
      }
    },
  };
}

export type HealthRepository = ReturnType<typeof healthRepository>;
