import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { allRows, type Db, inTransaction, run } from '../../src/db/database.js';
import { openMigratedDatabase } from '../helpers/template-database.js';

// Statements find the transaction of their own async context; everyone else's wait for it to end. On SQLite a
// statement runs straight on the one connection (see sqliteDb), so these check that it never lands inside a
// transaction it does not belong to.
describe('transactions in async contexts', () => {
  let db: Db;
  let release: () => Promise<void>;
  let dir: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ikrar-ambient-'));
    ({ db, release } = await openMigratedDatabase(join(dir, 'ikrar.sqlite'), inject('testDatabase')));
  });
  afterEach(async () => {
    await release();
    rmSync(dir, { recursive: true, force: true });
  });

  const put = (key: string) =>
    run(
      db,
      sql`INSERT INTO settings (key, value, updated_at) VALUES (${key}, 'x', '2024-01-01T00:00:00.000Z')`,
    );
  const keys = async () =>
    (
      await allRows(db, sql<{ key: string }>`SELECT key FROM settings WHERE key LIKE 'uji.%' ORDER BY key`)
    ).map((row) => row.key);
  const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

  it('keeps a write made outside while a transaction is open out of that transaction when it rolls back', async () => {
    let inside!: () => void;
    const opened = new Promise<void>((resolve) => {
      inside = resolve;
    });
    const failing = inTransaction(db, async () => {
      await put('uji.dalam');
      inside();
      await tick();
      throw new Error('batal');
    });
    await opened;
    // Another request's write while the transaction is open: it waits, and stays when the transaction rolls back.
    const outside = put('uji.luar');
    await expect(failing).rejects.toThrow('batal');
    await outside;
    expect(await keys()).toEqual(['uji.luar']);
  });

  it('does not let a read outside see what an open transaction has written', async () => {
    let inside!: () => void;
    const opened = new Promise<void>((resolve) => {
      inside = resolve;
    });
    let finish!: () => void;
    const held = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const events: string[] = [];
    const committing = inTransaction(db, async () => {
      await put('uji.baru');
      inside();
      await held;
    }).then(() => events.push('commit'));
    await opened;
    const seen = keys().then((found) => {
      events.push('read');
      return found;
    });
    if (db.engine === 'sqlite') {
      // One connection: the read waits for the commit, then sees it.
      await tick();
      finish();
      const [found] = await Promise.all([seen, committing]);
      expect(events).toEqual(['commit', 'read']);
      expect(found).toEqual(['uji.baru']);
    } else {
      // Its own connection: it answers while the transaction is still open (were it to wait, this would hang), with
      // what was committed before. (However long opening that connection takes: a fixed pause here was flaky.)
      expect(await seen).toEqual([]);
      finish();
      await committing;
      expect(events).toEqual(['read', 'commit']);
    }
    expect(await keys()).toEqual(['uji.baru']);
  });

  it('runs a transaction’s own statements inside it, and a nested one as a savepoint', async () => {
    await expect(
      inTransaction(db, async () => {
        await put('uji.satu');
        await inTransaction(db, () => put('uji.dua')).catch(() => {});
        await inTransaction(db, async () => {
          await put('uji.tiga');
          throw new Error('hanya savepoint ini');
        }).catch(() => {});
        expect(await keys()).toEqual(['uji.dua', 'uji.satu']);
        throw new Error('semuanya');
      }),
    ).rejects.toThrow('semuanya');
    expect(await keys()).toEqual([]);
  });
});
