import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// The two engines' migrations (db/migrations/sqlite, db/migrations/postgres) must give one schema: the same tables
// and views, columns, nullability, keys, unique rules and references, and the same triggers. What the checks and
// triggers DO is held equal by the whole suite, which runs on both engines (the guards in tamper-evidence, the
// counts in compliance-counts, the unit paths in unit-paths…). This file runs in the PostgreSQL project only (it
// needs both engines at once).

/** What each engine has and the other has not, on purpose. */
const ONLY_SQLITE_TABLES = [
  'posts_fts',
  'posts_fts_config',
  'posts_fts_data',
  'posts_fts_docsize',
  'posts_fts_idx',
];
const ONLY_SQLITE_TRIGGERS = ['posts_fts_delete', 'posts_fts_insert', 'posts_fts_update'];
const ONLY_POSTGRES_COLUMNS = ['posts.search'];
const ONLY_POSTGRES_TRIGGERS = [
  'ledger_no_truncate',
  'scans_no_truncate',
  'seal_certificates_no_truncate',
  'signatures_no_truncate',
  'unit_agreement_record_history_no_truncate',
  'unit_agreement_records_no_truncate',
  'unit_agreements_no_truncate',
];

interface Shape {
  tables: string[];
  views: string[];
  /** table.column: NOT NULL or NULL. */
  columns: Record<string, 'NOT NULL' | 'NULL'>;
  primaryKeys: Record<string, string>;
  /** table(columns) for each unique rule, "partial" when it has a WHERE. */
  uniques: string[];
  /** table.column -> table.column */
  references: string[];
  triggers: string[];
}

function sqliteShape(path: string): Shape {
  const db = new Database(path, { readonly: true });
  try {
    const names = (type: string) =>
      db
        .prepare<[string], string>(
          "SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%'",
        )
        .pluck()
        .all(type)
        .filter((name) => name !== 'schema_migrations')
        .sort();
    const tables = names('table').filter((name) => !ONLY_SQLITE_TABLES.includes(name));
    const shape: Shape = {
      tables,
      views: names('view'),
      columns: {},
      primaryKeys: {},
      uniques: [],
      references: [],
      triggers: names('trigger').filter((name) => !ONLY_SQLITE_TRIGGERS.includes(name)),
    };
    for (const table of tables) {
      const columns = db
        .prepare<[string], { name: string; notnull: number; pk: number }>(
          'SELECT * FROM pragma_table_info(?)',
        )
        .all(table);
      for (const column of columns) {
        // SQLite lets an INTEGER PRIMARY KEY be declared without NOT NULL; it never is null.
        shape.columns[`${table}.${column.name}`] = column.notnull || column.pk ? 'NOT NULL' : 'NULL';
      }
      shape.primaryKeys[table] = columns
        .filter((column) => column.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((column) => column.name)
        .join(',');
      const indexes = db
        .prepare<[string], { name: string; unique: number; origin: string; partial: number }>(
          'SELECT * FROM pragma_index_list(?)',
        )
        .all(table);
      for (const index of indexes.filter((i) => i.unique && i.origin !== 'pk')) {
        const cols = db
          .prepare<[string], { name: string | null }>('SELECT name FROM pragma_index_info(?) ORDER BY seqno')
          .all(index.name)
          .map((c) => c.name ?? 'expression');
        shape.uniques.push(`${table}(${cols.join(',')})${index.partial ? ' partial' : ''}`);
      }
      for (const fk of db
        .prepare<[string], { from: string; table: string; to: string | null }>(
          'SELECT * FROM pragma_foreign_key_list(?)',
        )
        .all(table)) {
        shape.references.push(`${table}.${fk.from} -> ${fk.table}.${fk.to ?? 'id'}`);
      }
    }
    shape.uniques.sort();
    shape.references.sort();
    return shape;
  } finally {
    db.close();
  }
}

async function postgresShape(t: TestApp): Promise<Shape> {
  const rows = async <R>(query: ReturnType<typeof sql<R>>) => (await query.execute(t.db.q)).rows;
  const names = async (type: string) =>
    (
      await rows(sql<{ name: string }>`
        SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = current_schema() AND table_type = ${type} AND table_name <> 'schema_migrations'
        ORDER BY 1`)
    ).map((r) => r.name);
  const tables = await names('BASE TABLE');
  const shape: Shape = {
    tables,
    views: await names('VIEW'),
    columns: {},
    primaryKeys: {},
    uniques: [],
    references: [],
    triggers: (
      await rows(sql<{ name: string }>`
        SELECT DISTINCT t.tgname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal ORDER BY 1`)
    )
      .map((r) => r.name)
      .filter((name) => !ONLY_POSTGRES_TRIGGERS.includes(name)),
  };
  for (const column of await rows(sql<{ t: string; c: string; nullable: string }>`
      SELECT table_name AS t, column_name AS c, is_nullable AS nullable FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name IN (${sql.join(tables)})`)) {
    const key = `${column.t}.${column.c}`;
    if (!ONLY_POSTGRES_COLUMNS.includes(key))
      shape.columns[key] = column.nullable === 'NO' ? 'NOT NULL' : 'NULL';
  }
  const indexes = await rows(sql<{
    t: string;
    cols: string;
    primary: boolean;
    unique: boolean;
    partial: boolean;
  }>`
    SELECT c.relname AS t, i.indisprimary AS primary, i.indisunique AS unique, i.indpred IS NOT NULL AS partial,
           (SELECT string_agg(coalesce(a.attname, 'expression'), ',' ORDER BY k.n)
            FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
            LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum) AS cols
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
    WHERE c.relnamespace = current_schema()::regnamespace AND (i.indisunique OR i.indisprimary)`);
  for (const index of indexes.filter((i) => tables.includes(i.t))) {
    if (index.primary) shape.primaryKeys[index.t] = index.cols;
    else shape.uniques.push(`${index.t}(${index.cols})${index.partial ? ' partial' : ''}`);
  }
  for (const table of tables) shape.primaryKeys[table] ??= '';
  shape.references = (
    await rows(sql<{ ref: string }>`
      SELECT c.relname || '.' || a.attname || ' -> ' || rc.relname || '.' || ra.attname AS ref
      FROM pg_constraint k
      JOIN pg_class c ON c.oid = k.conrelid
      JOIN pg_class rc ON rc.oid = k.confrelid
      JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
      JOIN pg_attribute ra ON ra.attrelid = k.confrelid AND ra.attnum = k.confkey[1]
      WHERE k.contype = 'f' AND c.relnamespace = current_schema()::regnamespace`)
  )
    .map((r) => r.ref)
    .filter((ref) => tables.includes(ref.split('.')[0] as string));
  shape.uniques.sort();
  shape.references.sort();
  return shape;
}

describe('the schema on SQLite and on PostgreSQL', () => {
  let t: TestApp;
  let dir: string;
  let sqlite: Shape;
  let postgres: Shape;
  beforeAll(async () => {
    t = await createTestApp();
    dir = mkdtempSync(join(tmpdir(), 'ikrar-parity-'));
    const path = join(dir, 'ikrar.sqlite');
    const db = openDatabase(path);
    await migrate(db);
    await db.close();
    sqlite = sqliteShape(path);
    postgres = await postgresShape(t);
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has the same tables and views', () => {
    expect(postgres.tables).toEqual(sqlite.tables);
    expect(postgres.views).toEqual(sqlite.views);
  });

  it('has the same columns, each null or not alike', () => {
    expect(postgres.columns).toEqual(sqlite.columns);
  });

  it('has the same primary keys, unique rules and references', () => {
    expect(postgres.primaryKeys).toEqual(sqlite.primaryKeys);
    expect(postgres.uniques).toEqual(sqlite.uniques);
    expect(postgres.references).toEqual(sqlite.references);
  });

  it('has the same triggers', () => {
    expect(postgres.triggers).toEqual(sqlite.triggers);
  });
});
