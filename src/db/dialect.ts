import { type RawBuilder, sql } from 'kysely';
import type { Db } from './database.js';

// The few places where SQLite and PostgreSQL spell the same thing differently. Repositories write one statement
// and take the differing fragment from here, so each rule is still written once.

/** The time now as the ISO 8601 text every instant is stored as ('2026-12-07T18:40:00.123Z'). */
export const nowIso = (db: Db): RawBuilder<string> =>
  db.engine === 'postgres'
    ? sql`to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
    : sql`strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;

/** LIKE as SQLite means it: ASCII letters match either case (PostgreSQL's LIKE tells case apart; ILIKE does not). */
export const likeAnyCase = (db: Db): RawBuilder<unknown> =>
  sql.raw(db.engine === 'postgres' ? 'ILIKE' : 'LIKE');

/**
 * `expression IN (values)`, the values bound as one parameter however many there are (an IN list of bound values
 * meets SQLite's limit of 32,766 parameters; an empty one is a syntax error in PostgreSQL). `type` is PostgreSQL's
 * type of the values (citext compares without case, as the column does).
 */
function inList(
  db: Db,
  expression: RawBuilder<unknown>,
  values: readonly (number | string)[],
  type: 'integer' | 'text' | 'citext',
): RawBuilder<unknown> {
  return db.engine === 'postgres'
    ? sql`${expression} = ANY(${[...values]}::${sql.raw(type)}[])`
    : sql`${expression} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`;
}

/** `expression IN (ids)` (see inList). */
export const inIds = (db: Db, expression: RawBuilder<unknown>, ids: readonly number[]): RawBuilder<unknown> =>
  inList(db, expression, ids, 'integer');

/** `expression IN (values)` for texts (see inList); `type` citext for a case-blind column. */
export const inTexts = (
  db: Db,
  expression: RawBuilder<unknown>,
  values: readonly string[],
  type: 'text' | 'citext' = 'text',
): RawBuilder<unknown> => inList(db, expression, values, type);

/**
 * What locks the rows a SELECT reads until its transaction ends (PostgreSQL); nothing on SQLite, whose transactions
 * hold the database's write lock from BEGIN (IMMEDIATE).
 */
export const forUpdate = (db: Db): RawBuilder<unknown> =>
  db.engine === 'postgres' ? sql`FOR UPDATE` : sql``;

/** The integer at `key` of a JSON object stored as text. */
export function jsonInteger(db: Db, column: RawBuilder<unknown>, key: string): RawBuilder<number> {
  return db.engine === 'postgres'
    ? sql<number>`((${column})::json ->> ${key})::integer`
    : sql<number>`json_extract(${column}, ${`$.${key}`})`;
}

/** The later of two texts that are never null (ISO timestamps). */
export const laterOf = (db: Db, a: RawBuilder<unknown>, b: RawBuilder<unknown>): RawBuilder<string> =>
  db.engine === 'postgres' ? sql<string>`greatest(${a}, ${b})` : sql<string>`max(${a}, ${b})`;

/** A text to sort by with ASCII case folded (SQLite's NOCASE collation). */
export const anyCase = (db: Db, column: RawBuilder<unknown>): RawBuilder<unknown> =>
  db.engine === 'postgres' ? sql`lower(${column})` : sql`${column} COLLATE NOCASE`;
