import { type RawBuilder, sql } from 'kysely';

/**
 * Where a person stands with their account (src/credentials/activation-status.ts) as an SQL condition on the users
 * row `alias`, for lists that filter or count by it. hasTakenOverAccount in SQL: set a password or ever logged in;
 * a letter is an activation link ever made for them.
 */
export function activationCondition(kind: 'active' | 'letter' | 'never', alias: string): RawBuilder<unknown> {
  const user = sql.table(alias);
  const takenOver = sql`(${user}.password_hash IS NOT NULL OR ${user}.password_changed_at IS NOT NULL OR ${user}.last_login_at IS NOT NULL)`;
  const hasLetter = sql`EXISTS (SELECT 1 FROM password_links pl WHERE pl.purpose = 'activation' AND pl.user_id = ${user}.id)`;
  switch (kind) {
    case 'active':
      return takenOver;
    case 'letter':
      return sql`NOT ${takenOver} AND ${hasLetter}`;
    case 'never':
      return sql`NOT ${takenOver} AND NOT ${hasLetter}`;
  }
}
