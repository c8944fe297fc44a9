import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../src/db/database.js';
import { type Migration, migrate, readMigrations } from '../../src/db/migrate.js';

const tableExists = (db: Db, name: string): boolean =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;

const recordedVersions = (db: Db): number[] =>
  db
    .prepare('SELECT version FROM schema_migrations ORDER BY version')
    .pluck()
    .all()
    .map((v) => Number(v));

describe('migrate', () => {
  let db: Db;

  beforeEach(() => {
    db = openDatabase(':memory:');
  });

  afterEach(() => {
    db.close();
  });

  it('applies every migration in db/migrations once, in order', () => {
    const files = readMigrations();
    expect(files.length).toBeGreaterThan(0);
    const applied = migrate(db);
    expect(applied[0]).toBe(1);
    expect(applied).toEqual(files.map((m) => m.version));
    expect([...applied].sort((a, b) => a - b)).toEqual(applied);
    for (const table of ['units', 'users', 'audit_events', 'settings', 'sessions']) {
      expect(tableExists(db, table), table).toBe(true);
    }
  });

  it('applies nothing the second time', () => {
    migrate(db);
    expect(migrate(db)).toEqual([]);
  });

  it('records one row per migration file, with its name and time', () => {
    const at = new Date('2024-02-14T01:00:00.000Z');
    migrate(db, readMigrations(), () => at);
    const rows = db
      .prepare('SELECT version, name, applied_at AS appliedAt FROM schema_migrations ORDER BY version')
      .all() as { version: number; name: string; appliedAt: string }[];
    expect(rows).toEqual(
      readMigrations().map((m) => ({ version: m.version, name: m.name, appliedAt: at.toISOString() })),
    );
    expect(rows[0]?.name).toBe('foundation');
  });

  it('rolls back a failing migration entirely, keeping the ones before it', () => {
    const migrations: Migration[] = [
      { version: 1, name: 'a', sql: 'CREATE TABLE a(x);' },
      { version: 2, name: 'b', sql: 'CREATE TABLE b(x); INSERT INTO nope VALUES (1);' },
    ];
    expect(() => migrate(db, migrations)).toThrow(/nope/);
    expect(tableExists(db, 'a')).toBe(true);
    expect(tableExists(db, 'b')).toBe(false);
    expect(recordedVersions(db)).toEqual([1]);
  });

  it('retries only the failed migration once it is fixed', () => {
    const first: Migration = { version: 1, name: 'a', sql: 'CREATE TABLE a(x);' };
    expect(() =>
      migrate(db, [first, { version: 2, name: 'b', sql: 'CREATE TABLE b(x); INSERT INTO nope VALUES (1);' }]),
    ).toThrow();
    const applied = migrate(db, [first, { version: 2, name: 'b', sql: 'CREATE TABLE b(x);' }]);
    expect(applied).toEqual([2]);
    expect(tableExists(db, 'b')).toBe(true);
    expect(recordedVersions(db)).toEqual([1, 2]);
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

describe('openDatabase', () => {
  it('turns foreign keys on: a user in a unit that does not exist is refused', () => {
    const db = openDatabase(':memory:');
    try {
      migrate(db);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      const now = new Date().toISOString();
      expect(() =>
        db
          .prepare(
            `INSERT INTO users (nip, email, full_name, unit_id, role, created_at, updated_at)
             VALUES ('198609262015051001', NULL, 'Budi Santoso', 999, 'signer', ?, ?)`,
          )
          .run(now, now),
      ).toThrow(/FOREIGN KEY/);
      expect(db.prepare('SELECT count(*) FROM users').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });
});
