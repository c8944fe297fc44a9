import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { backupDatabase } from '../../src/db/backup.js';
import { backupPostgres } from '../../src/db/backup-postgres.js';
import { makePact, signAs } from '../helpers/pacts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const engine = inject('testDatabase').engine;

// SQLite: the online copy of the file.
if (engine === 'sqlite')
  describe('online backup (npm run backup)', () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await createTestApp();
    });
    afterEach(() => t.close());

    const target = () => join(dirname(t.config.databasePath), 'cadangan', 'ikrar-salinan.sqlite');

    async function signedOffice() {
      const unit = await t.make.unit({ name: 'Dinas Komunikasi dan Informatika' });
      const pact = await makePact(t.services, { audience: 'all' });
      for (let i = 0; i < 5; i++) await signAs(t.services, pact, await t.make.user({ unitId: unit.id }));
      return pact;
    }

    it('copies the database while the app holds it open, with everything committed, and checks the copy', async () => {
      await signedOffice();
      const steps: number[] = [];
      const outcome = await backupDatabase(t.config.databasePath, target(), (done) => steps.push(done));
      expect(outcome).toMatchObject({ ok: true });
      expect(steps.length).toBeGreaterThan(0);
      // One file to keep, nothing beside it.
      expect(readdirSync(dirname(target()))).toEqual(['ikrar-salinan.sqlite']);

      const copy = new Database(target(), { readonly: true });
      try {
        const count = (db: Database.Database, table: string) =>
          db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
        const countInApp = async (table: string) =>
          (await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(t.db.q)).rows[0]
            ?.n;
        for (const table of ['users', 'signatures', 'ledger', 'audit_events']) {
          expect(count(copy, table), table).toBe(await countInApp(table));
        }
        expect(count(copy, 'ledger')).toBe(5);
      } finally {
        copy.close();
      }
    });

    it('never overwrites a file, and says when there is no database', async () => {
      const existing = target();
      await backupDatabase(t.config.databasePath, existing);
      expect(await backupDatabase(t.config.databasePath, existing)).toEqual({
        ok: false,
        problem: 'target_exists',
      });
      const missing = join(dirname(t.config.databasePath), 'tidak-ada.sqlite');
      expect(await backupDatabase(missing, join(dirname(existing), 'lain.sqlite'))).toEqual({
        ok: false,
        problem: 'no_source',
      });
      expect(existsSync(join(dirname(existing), 'lain.sqlite'))).toBe(false);
    });

    it('says so when the copy cannot be written, and leaves nothing behind', async () => {
      // A folder that cannot be made: its parent is a file.
      const blocked = join(t.config.databasePath, 'cadangan', 'ikrar.sqlite');
      const outcome = await backupDatabase(t.config.databasePath, blocked);
      expect(outcome).toMatchObject({ ok: false, problem: 'cannot_write' });
      expect(readdirSync(dirname(t.config.databasePath)).filter((f) => f.includes('partial'))).toEqual([]);
    });
  });

// PostgreSQL: a pg_dump archive of the app's schema, restored into a database of its own.
if (engine === 'postgres')
  describe('backup of PostgreSQL (npm run backup)', () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await createTestApp();
    });
    afterEach(() => t.close());

    const location = () => ({
      databaseUrl: t.config.databaseUrl as string,
      databaseSchema: t.config.databaseSchema,
    });
    const target = () => join(dirname(t.config.databasePath), 'cadangan', 'ikrar.dump');

    it('dumps the database while the app holds it open, and the dump restores with everything committed', async () => {
      const unit = await t.make.unit({ name: 'Dinas Komunikasi dan Informatika' });
      const pact = await makePact(t.services, { audience: 'all' });
      for (let i = 0; i < 5; i++) await signAs(t.services, pact, await t.make.user({ unitId: unit.id }));
      const outcome = await backupPostgres(location(), target());
      expect(outcome).toMatchObject({ ok: true });
      expect(readdirSync(dirname(target()))).toEqual(['ikrar.dump']);

      const restored = `pulih_${Date.now()}`;
      const admin = new URL(t.config.databaseUrl as string);
      const server = new pg.Client({ connectionString: admin.href });
      await server.connect();
      await server.query(`CREATE DATABASE ${restored}`);
      try {
        const into = new URL(admin.href);
        into.pathname = `/${restored}`;
        const copy = new pg.Client({ connectionString: into.href });
        await copy.connect();
        try {
          // A dump of one schema leaves out the extensions, which live in public: the restore procedure makes them.
          await copy.query('CREATE EXTENSION citext; CREATE EXTENSION unaccent');
          execFileSync('pg_restore', ['--no-owner', '--exit-on-error', '--dbname', into.href, target()]);
          for (const table of ['users', 'signatures', 'ledger', 'audit_events']) {
            const inCopy = await copy.query(
              `SELECT count(*)::int AS n FROM ${t.config.databaseSchema}.${table}`,
            );
            const inApp = (
              await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(t.db.q)
            ).rows[0]?.n;
            expect(inCopy.rows[0].n, table).toBe(inApp);
          }
        } finally {
          await copy.end();
        }
      } finally {
        await server.query(`DROP DATABASE IF EXISTS ${restored} WITH (FORCE)`);
        await server.end();
      }
    });

    it('never overwrites a file, and says when the server cannot be reached', async () => {
      await backupPostgres(location(), target());
      expect(await backupPostgres(location(), target())).toEqual({ ok: false, problem: 'target_exists' });
      const elsewhere = join(dirname(target()), 'lain.dump');
      const unreachable = await backupPostgres(
        { databaseUrl: 'postgres://postgres@127.0.0.1:1/tidak_ada', databaseSchema: undefined },
        elsewhere,
      );
      expect(unreachable).toMatchObject({ ok: false, problem: 'no_source' });
      expect(existsSync(elsewhere)).toBe(false);
      expect(readdirSync(dirname(target())).filter((f) => f.includes('partial'))).toEqual([]);
    });
  });
