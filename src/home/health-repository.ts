import type { Db } from '../db/database.js';

export function healthRepository(db: Db) {
  const ping = db.prepare<[], number>('SELECT 1').pluck();
  return {
    /** True when the database answers a query. */
    databaseAnswers: (): boolean => {
      try {
        return ping.get() === 1;
      } catch {
        return false;
      }
    },
  };
}

export type HealthRepository = ReturnType<typeof healthRepository>;
