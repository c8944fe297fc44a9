import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { type Db, openDatabase } from '../../src/db/database.js';
import { type Migration, migrate, migrationsDir, readMigrations } from '../../src/db/migrate.js';
import { openPostgres } from '../../src/db/postgres-database.js';

const tableExists = async (db: Db, name: string): Promise<boolean> =>
  (await db.q.introspection.getTables()).some((table) => table.name === name && !table.isView);

const recordedVersions = async (db: Db): Promise<number[]> =>
  (
    await sql<{ version: number }>`SELECT version FROM schema_migrations ORDER BY version`.execute(db.q)
  ).rows.map((row) => Number(row.version));

/** The migrations of the database's engine, as migrate() reads them by default. */
const migrationsOf = (db: Db) => readMigrations(migrationsDir(db.engine));

describe('migrate', () => {
  let db: Db;

  beforeEach(() => {
    db = openDatabase(':memory:');
  });

  afterEach(async () => {
    await db.close();
  });

  it('applies every migration in db/migrations once, in order', async () => {
    const files = migrationsOf(db);
    expect(files.length).toBeGreaterThan(0);
    const applied = await migrate(db);
    expect(applied[0]).toBe(1);
    expect(applied).toEqual(files.map((m) => m.version));
    expect([...applied].sort((a, b) => a - b)).toEqual(applied);
    for (const table of ['units', 'users', 'audit_events', 'settings', 'sessions']) {
      expect(await tableExists(db, table), table).toBe(true);
    }
  });

  it('applies nothing the second time', async () => {
    await migrate(db);
    expect(await migrate(db)).toEqual([]);
  });

  it('records one row per migration file, with its name and time', async () => {
    const at = new Date('2024-02-14T01:00:00.000Z');
    await migrate(db, migrationsOf(db), () => at);
    const { rows } = await sql<{ version: number; name: string; appliedAt: string }>`
      SELECT version, name, applied_at AS "appliedAt" FROM schema_migrations ORDER BY version`.execute(db.q);
    expect(rows).toEqual(
      migrationsOf(db).map((m) => ({ version: m.version, name: m.name, appliedAt: at.toISOString() })),
    );
    expect(rows[0]?.name).toBe('foundation');
  });

  it('rolls back a failing migration entirely, keeping the ones before it', async () => {
    const migrations: Migration[] = [
      { version: 1, name: 'a', sql: 'CREATE TABLE a(x);' },
      { version: 2, name: 'b', sql: 'CREATE TABLE b(x); INSERT INTO nope VALUES (1);' },
    ];
    await expect(migrate(db, migrations)).rejects.toThrow(/nope/);
    expect(await tableExists(db, 'a')).toBe(true);
    expect(await tableExists(db, 'b')).toBe(false);
    expect(await recordedVersions(db)).toEqual([1]);
  });

  it('retries only the failed migration once it is fixed', async () => {
    const first: Migration = { version: 1, name: 'a', sql: 'CREATE TABLE a(x);' };
    await expect(
      migrate(db, [first, { version: 2, name: 'b', sql: 'CREATE TABLE b(x); INSERT INTO nope VALUES (1);' }]),
    ).rejects.toThrow();
    const applied = await migrate(db, [first, { version: 2, name: 'b', sql: 'CREATE TABLE b(x);' }]);
    expect(applied).toEqual([2]);
    expect(await tableExists(db, 'b')).toBe(true);
    expect(await recordedVersions(db)).toEqual([1, 2]);
  });

  it('rebuilds a table others refer to when the migration asks for foreign keys off, and checks them after', async () => {
    const parentAndChild: Migration = {
      version: 1,
      name: 'parent',
      sql: `CREATE TABLE parent (id INTEGER PRIMARY KEY, x TEXT CHECK (x <> ''));
            CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id));
            INSERT INTO parent VALUES (1, 'a'); INSERT INTO child VALUES (1, 1);`,
    };
    // SQLite's way of dropping a CHECK: a new table, the rows copied, the old one dropped, the new one renamed.
    const rebuild = (extra: string): Migration => ({
      version: 2,
      name: 'rebuild',
      sql: `-- migrate: foreign keys off
            CREATE TABLE parent_new (id INTEGER PRIMARY KEY, x TEXT);
            INSERT INTO parent_new SELECT * FROM parent ${extra};
            DROP TABLE parent;
            ALTER TABLE parent_new RENAME TO parent;`,
    });
    await migrate(db, [parentAndChild]);
    // A row left pointing at nothing refuses the whole migration.
    await expect(migrate(db, [parentAndChild, rebuild('WHERE id <> 1')])).rejects.toThrow(
      /rujukan yang putus/,
    );
    expect(await recordedVersions(db)).toEqual([1]);
    expect(db.sqlite?.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(await migrate(db, [parentAndChild, rebuild('')])).toEqual([2]);
    expect(db.sqlite?.pragma('foreign_keys', { simple: true })).toBe(1);
    await sql`INSERT INTO parent VALUES (2, '')`.execute(db.q);
    await expect(sql`INSERT INTO child VALUES (2, 99)`.execute(db.q)).rejects.toThrow(/FOREIGN KEY/);
  });

  it('refuses a migration file with a badly formed name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ikrar-migrations-'));
    try {
      writeFileSync(join(dir, '1_bad.sql'), 'CREATE TABLE t(x);');
      expect(() => readMigrations(dir)).toThrow(/1_bad\.sql/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const testDatabase = inject('testDatabase');
// Several app nodes on one PostgreSQL database may start at the same moment (a deploy restarts them all).
if (testDatabase.engine === 'postgres') {
  describe('migrate, on PostgreSQL by several nodes at once', () => {
    it('applies each migration once while three nodes migrate one empty schema together', async () => {
      const schema = `m_${randomBytes(6).toString('hex')}`;
      const nodes = [1, 2, 3].map(() => openPostgres(testDatabase.url, { schema, poolSize: 2 }));
      try {
        await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(nodes[0]?.q as Db['q']);
        const applied = await Promise.all(nodes.map((node) => migrate(node)));
        const files = migrationsOf(nodes[0] as Db).map((m) => m.version);
        // Every version applied by exactly one of them, and recorded once.
        expect(applied.flat().sort((a, b) => a - b)).toEqual(files);
        expect(await recordedVersions(nodes[1] as Db)).toEqual(files);
      } finally {
        await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(nodes[0]?.q as Db['q']);
        await Promise.all(nodes.map((node) => node.close()));
      }
    });
  });
}

describe('openDatabase', () => {
  it('turns foreign keys on: a user in a unit that does not exist is refused', async () => {
    const db = openDatabase(':memory:');
    try {
      await migrate(db);
      // A pragma: only SQLite's own handle reads it.
      expect(db.sqlite?.pragma('foreign_keys', { simple: true })).toBe(1);
      const now = new Date().toISOString();
      await expect(
        sql`INSERT INTO users (nip, email, full_name, unit_id, role, created_at, updated_at)
            VALUES ('198609262015051001', NULL, 'Budi Santoso', 999, 'signer', ${now}, ${now})`.execute(db.q),
      ).rejects.toThrow(/FOREIGN KEY/);
      const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM users`.execute(db.q);
      expect(rows[0]?.n).toBe(0);
    } finally {
      await db.close();
    }
  });
});
