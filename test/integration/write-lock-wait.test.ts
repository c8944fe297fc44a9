import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    db.exec('CREATE TABLE rows (name TEXT NOT NULL)');
    // Longer than the 5 s SQLite waits by default in our old setting: a signing behind it would have failed.
    const holder = holdWriteLock(path, 7000);
    await holder.locked;
    const started = Date.now();
    inTransaction(db, () => db.prepare("INSERT INTO rows (name) VALUES ('ours')").run());
    expect(Date.now() - started).toBeGreaterThan(6000);
    expect(db.prepare('SELECT name FROM rows ORDER BY rowid').pluck().all()).toEqual(['theirs', 'ours']);
    db.close();
  });
});
