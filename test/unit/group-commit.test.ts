import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../src/db/database.js';
import { groupCommit } from '../../src/db/group-commit.js';

describe('groupCommit', () => {
  let dir: string;
  let db: Db;
  /** A second connection to the same file: it sees only what has been committed. */
  let reader: Db;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ikrar-group-commit-'));
    db = openDatabase(join(dir, 'test.sqlite'));
    await sql`CREATE TABLE parents (id INTEGER PRIMARY KEY)`.execute(db.q);
    await sql`CREATE TABLE rows (name TEXT NOT NULL UNIQUE,
                                 parent_id INTEGER REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED)`.execute(
      db.q,
    );
    reader = openDatabase(join(dir, 'test.sqlite'));
  });
  afterEach(async () => {
    await reader.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (name: string, parentId: number | null = null) =>
    sql`INSERT INTO rows (name, parent_id) VALUES (${name}, ${parentId})`.execute(db.q);
  const committed = async () =>
    (await sql<{ name: string }>`SELECT name FROM rows ORDER BY name`.execute(reader.q)).rows.map((row) =>
      String(row.name),
    );

  it('commits the writes of one turn together and answers each caller after the commit', async () => {
    const commits = groupCommit(db);
    const seenByOthers: string[][] = [];
    const runs = ['a', 'b', 'c'].map((name) =>
      commits.run(async () => {
        await insert(name);
        seenByOthers.push(await committed());
        return name.toUpperCase();
      }),
    );
    // Nothing is written before the turn ends.
    expect(await committed()).toEqual([]);
    await expect(Promise.all(runs)).resolves.toEqual(['A', 'B', 'C']);
    // One transaction: while it ran, no other connection saw any of its rows; now all three are there.
    expect(seenByOthers).toEqual([[], [], []]);
    expect(await committed()).toEqual(['a', 'b', 'c']);
  });

  it('rolls back only the work that threw, and tells only its caller', async () => {
    const commits = groupCommit(db);
    const first = commits.run(() => insert('a'));
    const failing = commits.run(async () => {
      await insert('b');
      await insert('a'); // UNIQUE: throws after 'b' was written in the same piece of work
    });
    const third = commits.run(() => insert('c'));
    await expect(failing).rejects.toThrow(/UNIQUE/);
    await expect(first).resolves.toBeDefined();
    await expect(third).resolves.toBeDefined();
    expect(await committed()).toEqual(['a', 'c']);
  });

  it('fails every caller of a batch whose commit fails, and writes nothing of it', async () => {
    const commits = groupCommit(db);
    const runs = [
      commits.run(() => insert('a')),
      // A deferred foreign key is checked at COMMIT: the whole transaction is refused there.
      commits.run(() => insert('orphan', 404)),
    ];
    const outcomes = await Promise.allSettled(runs);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(await committed()).toEqual([]);
    // The connection is usable afterwards.
    await commits.run(() => insert('b'));
    expect(await committed()).toEqual(['b']);
  });

  it('writes nothing of a batch when an error ends the whole transaction (a full disk), and fails every caller', async () => {
    const commits = groupCommit(db);
    // Pragmas and the transaction flag: only SQLite's own handle has them.
    const sqlite = db.sqlite as NonNullable<Db['sqlite']>;
    const pages = sqlite.pragma('page_count', { simple: true }) as number;
    // A database that may not grow by more than a few pages: a big row fills it mid-batch (SQLITE_FULL).
    sqlite.pragma(`max_page_count = ${pages + 4}`);
    const bigRow = () => sql`INSERT INTO rows (name) VALUES (${`big-${'x'.repeat(400_000)}`})`.execute(db.q);
    const ranAfter: boolean[] = [];
    const runs = [
      commits.run(() => insert('a')),
      commits.run(bigRow),
      commits.run(async () => {
        ranAfter.push(true);
        await insert('c');
      }),
    ];
    const outcomes = await Promise.allSettled(runs);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(ranAfter).toEqual([]);
    expect(await committed()).toEqual([]);
    expect(sqlite.inTransaction).toBe(false);
  });

  it('commits at most maxBatch pieces together; the rest go in the next commit', async () => {
    const commits = groupCommit(db, { maxBatch: 2 });
    const seenByOthers: string[][] = [];
    const runs = ['a', 'b', 'c'].map((name) =>
      commits.run(async () => {
        await insert(name);
        seenByOthers.push(await committed());
      }),
    );
    await Promise.all(runs);
    expect(seenByOthers).toEqual([[], [], ['a', 'b']]);
    expect(await committed()).toEqual(['a', 'b', 'c']);
  });

  it('commits work that arrives later in a commit of its own', async () => {
    const commits = groupCommit(db);
    await commits.run(() => insert('a'));
    expect(await committed()).toEqual(['a']);
    await commits.run(() => insert('b'));
    expect(await committed()).toEqual(['a', 'b']);
  });
});
