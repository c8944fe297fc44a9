import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupDatabase } from '../../src/db/backup.js';
import { makePact, signAs } from '../helpers/pacts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

describe('online backup (npm run backup)', () => {
  let t: TestApp;
  beforeEach(() => {
    t = createTestApp();
  });
  afterEach(() => t.close());

  const target = () => join(dirname(t.config.databasePath), 'cadangan', 'ikrar-salinan.sqlite');

  async function signedOffice() {
    const unit = t.make.unit({ name: 'Dinas Komunikasi dan Informatika' });
    const pact = makePact(t.services, { audience: 'all' });
    for (let i = 0; i < 5; i++) signAs(t.services, pact, await t.make.user({ unitId: unit.id }));
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
      for (const table of ['users', 'signatures', 'ledger', 'audit_events']) {
        expect(count(copy, table), table).toBe(count(t.db, table));
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
