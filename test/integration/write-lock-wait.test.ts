import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { inTransaction, openDatabase } from '../../src/db/database.js';

/** Another process that takes the write lock, writes a row and holds the lock for `holdMs` before committing. */
function holdWriteLock(path: string, holdMs: number) {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const Database = require('better-sqlite3');
       const db = new Database(process.argv[1]);
       db.exec('BEGIN IMMEDIATE');
       db.exec("INSERT INTO rows (name) VALUES ('theirs')");
       process.stdout.write('locked\\n');
       setTimeout(() => { db.exec('COMMIT'); db.close(); }, ${holdMs});`,
      path,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the lock holder exited (${code})`)));
  });
  return { child, locked };
}

describe('several processes writing one database', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("waits for another process's long write (a large roster import) instead of failing", async () => {
    dir = mkdtempSync(join(tmpdir(), 'ikrar-lock-wait-'));
    const path = join(dir, 'test.sqlite');
    const db = openDatabase(path);
    await sql`CREATE TABLE rows (name TEXT NOT NULL)`.execute(db.q);
    // Longer than the 5 s SQLite waits by default in our old setting: a signing behind it would have failed.
    const holder = holdWriteLock(path, 7000);
    await holder.locked;
    const started = Date.now();
    await inTransaction(db, () => sql`INSERT INTO rows (name) VALUES ('ours')`.execute(db.q));
    expect(Date.now() - started).toBeGreaterThan(6000);
    const { rows } = await sql<{ name: string }>`SELECT name FROM rows ORDER BY rowid`.execute(db.q);
    expect(rows.map((row) => row.name)).toEqual(['theirs', 'ours']);
    await db.close();
  });
});
