import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { appendEntry, entryPayload } from '../../src/ledger/append-entry.js';
import { canonicalPayload, chainHash, GENESIS_HASH } from '../../src/ledger/chain.js';
import { ledgerRepository } from '../../src/ledger/repository.js';
import { verifyLedger } from '../../src/ledger/verify-ledger.js';

const clock = { now: () => new Date('2026-11-28T03:00:00Z') };

describe('canonical payload and chain hash', () => {
  it('writes the same facts as the same bytes, whatever the key order', () => {
    const a = canonicalPayload({ b: 2, a: 'x', c: null });
    const b = canonicalPayload({ c: null, a: 'x', b: 2 });
    expect(a).toBe(b);
    expect(a).toBe('{"a":"x","b":2,"c":null}');
  });

  it('hashes sha256(prev_hash ‖ payload) in hex', () => {
    const payload = canonicalPayload({ receiptCode: 'ABCD' });
    const expected = createHash('sha256').update(`${GENESIS_HASH}${payload}`).digest('hex');
    expect(chainHash(GENESIS_HASH, payload)).toBe(expected);
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });
});

describe('the ledger table and its check', () => {
  let db: Db;
  /** A new migrated in-memory database (SQLite's own handle: the pragma below). */
  const open = async () => {
    db = openDatabase(':memory:');
    await migrate(db);
    if (!db.sqlite) throw new Error('these tests switch SQLite foreign keys off');
    // Ledger rows reference signatures; these tests are about the chain, so the references are switched off.
    db.sqlite.pragma('foreign_keys = OFF');
  };
  beforeEach(open);
  afterEach(() => db.close());

  const fill = async (count: number) => {
    const ledger = ledgerRepository(db);
    for (let i = 1; i <= count; i += 1) {
      await appendEntry(ledger, {
        kind: 'sign',
        signatureId: i,
        at: clock.now(),
        facts: { receiptCode: `KODE${i}`, signatureId: i },
      });
    }
    return ledger;
  };
  /** Runs each statement of a script, one at a time. */
  const exec = async (script: string) => {
    for (const statement of script.split(';')) {
      if (statement.trim() !== '') await sql.raw(statement).execute(db.q);
    }
  };
  /** What someone with file access might do: switch the guards off and rewrite history. */
  const tamper = async (script: string) => {
    await exec('DROP TRIGGER ledger_no_update; DROP TRIGGER ledger_no_delete; DROP TRIGGER ledger_gapless;');
    await exec(script);
  };

  it('chains each entry to the one before, from the genesis hash, with gapless seq', async () => {
    const ledger = await fill(3);
    const entries = [];
    for await (const entry of ledger.entries()) entries.push(entry);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(entries[0]?.prevHash).toBe(GENESIS_HASH);
    expect(entries[1]?.prevHash).toBe(entries[0]?.hash);
    expect(entries[2]?.prevHash).toBe(entries[1]?.hash);
    expect(await verifyLedger(ledger, clock)).toMatchObject({
      ok: true,
      entries: 3,
      headSeq: 3,
      firstBadSeq: null,
    });
  });

  it('refuses UPDATE and DELETE, an entry that does not follow the head, and one not in format 2', async () => {
    await fill(2);
    await expect(exec("UPDATE ledger SET payload = '{}' WHERE seq = 1")).rejects.toThrow(/append-only/);
    await expect(exec('DELETE FROM ledger WHERE seq = 2')).rejects.toThrow(/append-only/);
    await expect(
      exec(
        `INSERT INTO ledger (seq, kind, signature_id, at, payload, prev_hash, hash, format)
         VALUES (5, 'sign', 1, 'x', '{}', '${GENESIS_HASH}', '${GENESIS_HASH}', 2)`,
      ),
    ).rejects.toThrow(/follow the head/);
    // Without a format, as the code before migration 028 wrote: the column's default (1) is refused.
    await expect(
      exec(
        `INSERT INTO ledger (seq, kind, signature_id, at, payload, prev_hash, hash)
         VALUES (3, 'sign', 3, 'x', '{}', '${GENESIS_HASH}', '${GENESIS_HASH}')`,
      ),
    ).rejects.toThrow(/format 2/);
  });

  it('finds a modified payload and names its seq', async () => {
    const ledger = await fill(5);
    await tamper(`UPDATE ledger SET payload = '{"receiptCode":"PALSU"}' WHERE seq = 3`);
    expect(await verifyLedger(ledger, clock)).toMatchObject({
      ok: false,
      firstBadSeq: 3,
      problem: 'hash tidak cocok dengan isi entri',
    });
  });

  it('finds a deleted row: the seq after the gap is reported', async () => {
    const ledger = await fill(5);
    await tamper('DELETE FROM ledger WHERE seq = 2');
    expect(await verifyLedger(ledger, clock)).toMatchObject({ ok: false, firstBadSeq: 2 });
  });

  it('finds reordered rows (two entries swapped) at the first one out of place', async () => {
    const ledger = await fill(5);
    await tamper(`
      UPDATE ledger SET seq = 100 WHERE seq = 2;
      UPDATE ledger SET seq = 2 WHERE seq = 4;
      UPDATE ledger SET seq = 4 WHERE seq = 100;`);
    expect(await verifyLedger(ledger, clock)).toMatchObject({ ok: false, firstBadSeq: 2 });
  });

  it('finds a rehashed entry whose successor no longer links to it', async () => {
    const ledger = await fill(4);
    // A forger who rewrites an entry consistently (payload, columns and its own hash) still breaks the next link.
    const forged = entryPayload('sign', clock.now().toISOString(), { receiptCode: 'PALSU', signatureId: 2 });
    const prev = (await ledger.findBySeq(1))?.hash as string;
    await tamper(
      `UPDATE ledger SET payload = '${forged}', hash = '${chainHash(prev, forged)}' WHERE seq = 2`,
    );
    expect(await verifyLedger(ledger, clock)).toMatchObject({
      ok: false,
      firstBadSeq: 3,
      problem: 'hash sebelumnya (prev_hash) tidak sama dengan hash entri sebelumnya',
    });
  });

  it('finds columns edited to say something else than the payload (kind, time, signature)', async () => {
    for (const edit of [
      "UPDATE ledger SET kind = 'void' WHERE seq = 2",
      "UPDATE ledger SET at = '2020-01-01T00:00:00.000Z' WHERE seq = 2",
      'UPDATE ledger SET signature_id = 99 WHERE seq = 2',
    ]) {
      await db.close();
      await open();
      const ledger = await fill(3);
      await tamper(edit);
      expect(await verifyLedger(ledger, clock), edit).toMatchObject({ ok: false, firstBadSeq: 2 });
    }
  });

  it('notices that the end of the chain is gone when a previous check saw it longer', async () => {
    const ledger = await fill(5);
    await ledger.recordCheck(await verifyLedger(ledger, clock));
    await tamper('DELETE FROM ledger WHERE seq >= 4');
    expect(await verifyLedger(ledger, clock)).toMatchObject({ ok: false, firstBadSeq: 4 });
  });
});
