import {
  DummyDriver,
  Kysely,
  type RawBuilder,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import { templateStatement } from '../../src/db/template-statement.js';

// Kysely's own SQLite compiler, with no database behind it: what the short path must agree with.
const kysely = new Kysely({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});
const compiled = (query: RawBuilder<unknown>) => {
  const { sql: text, parameters } = query.compile(kysely);
  return { sql: text, parameters };
};

describe('templateStatement', () => {
  it('writes what the compiler writes for templates of plain values', () => {
    const at = new Date('2026-12-07T00:00:00Z').toISOString();
    const queries = [
      sql`SELECT * FROM users WHERE id = ${7}`,
      sql`SELECT 1`,
      sql`INSERT INTO t (a, b, c, d) VALUES (${'teks ? dengan tanda tanya'}, ${null}, ${at}, ${Buffer.from('png')})`,
      sql`UPDATE t SET n = n + ${1} WHERE name = ${'x'} AND owner = ${42}`,
      sql`${5}`,
    ];
    for (const query of queries) expect(templateStatement(query)).toEqual(compiled(query));
  });

  it('gives the same text for every run of one template, with the values of that run', () => {
    const lookup = (id: number) => sql`SELECT * FROM pacts WHERE id = ${id}`;
    expect(templateStatement(lookup(1))).toEqual({
      sql: 'SELECT * FROM pacts WHERE id = ?',
      parameters: [1],
    });
    expect(templateStatement(lookup(2))).toEqual({
      sql: 'SELECT * FROM pacts WHERE id = ?',
      parameters: [2],
    });
  });

  it('leaves to the compiler what is not a plain value', () => {
    const ids = [1, 2, 3];
    const queries = [
      sql`SELECT * FROM units WHERE id IN (${sql.join(ids)})`,
      sql`SELECT * FROM ${sql.table('units')}`,
      sql`SELECT * FROM units WHERE ${sql`active = 1`}`,
      sql`SAVEPOINT ${sql.id('sp1')}`,
      sql`SELECT ${sql.lit(3)}`,
      sql.raw('SELECT 1'),
    ];
    for (const query of queries) expect(templateStatement(query)).toBeNull();
  });
});
