import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { sql } from 'kysely';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/database.js';
import type { Unit, User } from '../../src/directory/types.js';
import { verifyLedger } from '../../src/ledger/verify-ledger.js';
import { newReceiptCode } from '../../src/pledges/receipt-code.js';
import type { NewSignature } from '../../src/pledges/signature-repository.js';
import type { Pact } from '../../src/pledges/types.js';
import { checkRecords } from '../../src/pledges/verification/check-records.js';
import { upgradeLedgerFormat } from '../../src/pledges/verification/ledger-upgrade.js';
import { runLedgerVerify } from '../../src/pledges/verification/verify-command.js';
import { loggedInAdmin, pageText } from '../helpers/http.js';
import { makePact, postForm, signAs, signaturePng } from '../helpers/pacts.js';
import { dropTriggers } from '../helpers/tamper.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const GENESIS = '0'.repeat(64);
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const group = (code: string) => code.replace(/(.{4})(?=.)/g, '$1-');

/**
 * What a ledger entry recorded of a signing before migration 028, as the code of that time wrote it (kept here, not
 * in src/, which no longer writes it): the signer's NIP, name, position and pangkat in the hashed payload.
 */
function oldSigningFacts(
  s: Omit<NewSignature, 'signaturePng' | 'personSalt'> & { id: number },
  pactVersion: number,
): Record<string, string | number | boolean | null> {
  const facts = {
    receiptCode: s.receiptCode,
    signatureId: s.id,
    pactId: s.pactId,
    pactVersion,
    pactBodySha256: s.pactBodySha256,
    userId: s.userId,
    nip: s.nip,
    fullName: s.fullName,
    position: s.position,
    ...(s.pangkat !== null ? { pangkat: s.pangkat } : {}),
    unitId: s.unitId,
    unitName: s.unitName,
    wasHead: s.wasHead,
    ...(s.headKind !== null ? { headKind: s.headKind } : {}),
    signatureSha256: s.signatureSha256,
  };
  return s.paper
    ? {
        ...facts,
        paperSignedOn: s.paper.signedOn,
        paperPlace: s.paper.place,
        paperWitness: s.paper.witness,
        paperScanSha256: s.paper.scanSha256,
        recordedBy: s.paper.recordedBy,
        recordedAt: s.paper.recordedAt,
      }
    : facts;
}

describe('the one-time upgrade of a ledger written before format 2', () => {
  let t: TestApp;
  let unit: Unit;
  let pact: Pact;
  beforeEach(async () => {
    t = await createTestApp();
    unit = await t.make.unit({ name: 'Dinas Kesehatan' });
    pact = await makePact(t.services, { title: 'Pakta Netralitas Dinkes' });
  });
  afterEach(() => t.close());

  /** Appends an entry as the old code did: format 1, sha256(prev_hash ‖ canonical JSON). */
  async function appendOld(kind: 'sign' | 'paper' | 'void', signatureId: number, at: string, facts: object) {
    const head = await t.services.ledger.head();
    const payload = canonicalize({ ...facts, kind, at }) as string;
    const prevHash = head?.hash ?? GENESIS;
    const entry = {
      seq: (head?.seq ?? 0) + 1,
      kind,
      signatureId,
      at,
      payload,
      prevHash,
      hash: sha256(prevHash + payload),
      format: 1 as const,
      legacyHash: null,
    };
    await t.services.ledger.insert(entry);
    return entry;
  }

  /** A signing stored and recorded as before migration 028: no salt on the row, the person in the entry. */
  async function signedTheOldWay(person: User, options: { drawing?: boolean; paper?: boolean } = {}) {
    return inTransaction(t.db, async () => {
      await t.services.ledger.lockForAppend();
      const png = options.drawing ? signaturePng() : null;
      const at = t.clock.now().toISOString();
      const scan = options.paper
        ? await t.services.scans.insert(
            {
              mime: 'application/pdf',
              sha256: sha256('%PDF-1.4 lembar'),
              bytes: Buffer.from('%PDF-1.4 lembar'),
              fileName: 'lembar.pdf',
            },
            null,
            t.clock.now(),
          )
        : null;
      const signature: Omit<NewSignature, 'personSalt'> = {
        pactId: pact.id,
        userId: person.id,
        fullName: person.fullName,
        nip: person.nip,
        position: person.position,
        pangkat: person.pangkat,
        unitId: unit.id,
        unitName: unit.name,
        wasHead: false,
        headKind: null,
        signedAt: at,
        ip: '10.1.2.3',
        userAgent: 'uji',
        signaturePng: png,
        signatureSha256: png && sha256(png),
        pactBodySha256: pact.bodySha256 as string,
        receiptCode: newReceiptCode(),
        method: scan === null ? 'online' : 'paper',
        paper:
          scan === null
            ? null
            : {
                signedOn: at.slice(0, 10),
                place: 'Gedung Gradhika Bhakti Praja',
                witness: 'Drs. Sumarno, M.M.',
                scanId: scan,
                scanSha256: sha256('%PDF-1.4 lembar'),
                recordedBy: null,
                recordedAt: at,
              },
      };
      const id = await t.services.signatures.insert({ ...signature, personSalt: null });
      const entry = await appendOld(
        signature.paper ? 'paper' : 'sign',
        id,
        at,
        oldSigningFacts({ ...signature, id }, pact.version),
      );
      await t.services.signatures.setLedgerSeq(id, entry.seq);
      return { id, code: signature.receiptCode, entry };
    });
  }

  /**
   * Three signings and a void, as the old code recorded them; returns their entries' hashes in order. Since migration
   * 028 the database refuses a format-1 entry (the trigger ledger_format_two): it is switched off here, so that the
   * old entries can be written as they were before the migration.
   */
  async function oldLedger() {
    await dropTriggers(t.db, ['ledger_format_two']);
    const ani = await t.make.user({ unitId: unit.id, fullName: 'Ani Lestari', pangkat: 'Penata, III/c' });
    const budi = await t.make.user({ unitId: unit.id, fullName: 'Budi Santoso' });
    const citra = await t.make.user({ unitId: unit.id, fullName: 'Citra Dewi' });
    const first = await signedTheOldWay(ani, { drawing: true });
    const second = await signedTheOldWay(budi);
    const third = await signedTheOldWay(citra, { paper: true });
    const voidedAt = t.clock.now();
    await inTransaction(t.db, async () => {
      await t.services.ledger.lockForAppend();
      await t.services.signatures.void(second.id, ani.id, 'Salah orang', voidedAt);
      await appendOld('void', second.id, voidedAt.toISOString(), {
        receiptCode: second.code,
        signatureId: second.id,
        reason: 'Salah orang',
        voidedBy: ani.id,
      });
    });
    const hashes = (
      await sql<{ hash: string }>`SELECT hash FROM ledger ORDER BY seq`.execute(t.db.q)
    ).rows.map((row) => row.hash);
    return { people: { ani, budi, citra }, first, second, third, hashes };
  }

  const ledgerRows = async () =>
    (
      await sql<{ seq: number; format: number; payload: string; hash: string; legacy_hash: string | null }>`
        SELECT seq, format, payload, hash, legacy_hash FROM ledger ORDER BY seq`.execute(t.db.q)
    ).rows;

  it('rewrites every entry once, keeps each old hash, and leaves a ledger and records that verify', async () => {
    const { people, first, third, hashes } = await oldLedger();
    // Before: the old chain is intact, but its signings hold personal data the rows can no longer be checked by.
    expect(await verifyLedger(t.services.ledger, t.clock)).toMatchObject({ ok: true, entries: 4 });
    expect((await ledgerRows())[0]?.payload).toContain('"fullName":"Ani Lestari"');

    const result = await upgradeLedgerFormat(t.services, t.clock);
    expect(result).toMatchObject({
      upgraded: true,
      upgrade: { entries: 4, saltsGiven: 3, oldHeadSeq: 4, oldHeadHash: hashes[3] },
    });
    const rows = await ledgerRows();
    expect(rows.map((row) => row.legacy_hash)).toEqual(hashes);
    expect(rows.map((row) => row.format)).toEqual([2, 2, 2, 2]);
    for (const row of rows) {
      for (const personal of [
        'Ani Lestari',
        'Budi Santoso',
        'Citra Dewi',
        'Penata, III/c',
        'Analis Kebijakan',
        'Drs. Sumarno',
        people.ani.nip as string,
      ]) {
        expect(row.payload).not.toContain(personal);
      }
      expect(JSON.parse(row.payload)).toMatchObject({ format: 2 });
    }
    // Chained again from the genesis hash: sha256(prev_hash ‖ payload) over the new payloads.
    let prev = GENESIS;
    for (const row of rows) {
      expect(row.hash).toBe(sha256(prev + row.payload));
      prev = row.hash;
    }
    if (result.upgraded) expect(result.upgrade.newHeadHash).toBe(prev);

    // The commitment is sha256(salt ‖ canonical JSON of the person), with the salt each signature now has.
    const salt = (await t.services.signatures.findById(first.id))?.personSalt as string;
    expect(salt).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.parse(rows[0]?.payload as string).person).toBe(
      createHash('sha256')
        .update(Buffer.from(salt, 'hex'))
        .update(
          canonicalize({
            fullName: 'Ani Lestari',
            nip: people.ani.nip,
            pangkat: 'Penata, III/c',
            position: 'Analis Kebijakan',
          }) as string,
        )
        .digest('hex'),
    );

    expect(await checkRecords(t.services, t.clock, { record: false })).toMatchObject({
      ok: true,
      entries: 4,
    });
    const lines: string[] = [];
    expect(await runLedgerVerify(t.config, { log: (l) => lines.push(l), error: (l) => lines.push(l) })).toBe(
      0,
    );
    // A fresh check was recorded by the upgrade, and /admin/ledger tells the upgrade's story.
    expect(await t.services.ledger.lastCheck()).toMatchObject({ ok: true, headHash: prev });
    const { agent } = await loggedInAdmin(t);
    const ledgerPage = pageText((await agent.get('/admin/ledger')).text);
    expect(ledgerPage).toContain('Pembaruan format');
    expect(ledgerPage).toContain(hashes[3] as string);

    // A receipt printed before shows the old hash's prefix: its verification still shows that hash.
    const page = await request(t.app).get(`/verifikasi/${group(first.code)}`);
    expect(pageText(page.text)).toContain('SAH — tanda terima ini tercatat dan berlaku.');
    expect(pageText(page.text)).toContain(`Hash sebelum pembaruan format: ${hashes[0]}`);
    expect((await request(t.app).get(`/api/v1/verify/${third.code}`)).body).toMatchObject({
      status: 'valid',
      ledger: { seq: 3, hash: rows[2]?.hash, legacyHash: hashes[2], matchesChain: true },
    });
    // Anyone who kept the old head can match it against the upgrade's record.
    expect((await request(t.app).get('/api/v1/ledger/head')).body).toMatchObject({
      seq: 4,
      hash: prev,
      formatUpgrade: { oldHeadSeq: 4, oldHeadHash: hashes[3], newHeadHash: prev },
    });
  });

  it('does nothing a second time', async () => {
    await oldLedger();
    await upgradeLedgerFormat(t.services, t.clock);
    const after = await ledgerRows();
    const salts = (
      await sql<{ s: string }>`SELECT person_salt AS s FROM signatures ORDER BY id`.execute(t.db.q)
    ).rows;
    expect(await upgradeLedgerFormat(t.services, t.clock)).toEqual({
      upgraded: false,
      reason: 'nothing_to_do',
    });
    expect(await ledgerRows()).toEqual(after);
    expect(
      (await sql<{ s: string }>`SELECT person_salt AS s FROM signatures ORDER BY id`.execute(t.db.q)).rows,
    ).toEqual(salts);
    expect(
      Number(
        (await sql<{ n: number }>`SELECT count(*) AS n FROM ledger_format_upgrades`.execute(t.db.q)).rows[0]
          ?.n,
      ),
    ).toBe(1);
  });

  it('lets a new entry follow the upgraded chain, and the guard refuses any other rewrite', async () => {
    await oldLedger();
    await upgradeLedgerFormat(t.services, t.clock);
    const dewi = await t.make.user({ unitId: unit.id });
    await signAs(t.services, pact, dewi);
    expect(await checkRecords(t.services, t.clock, { record: false })).toMatchObject({
      ok: true,
      entries: 5,
    });
    await expect(sql`UPDATE ledger SET payload = '{}' WHERE seq = 1`.execute(t.db.q)).rejects.toThrow(
      /append-only/,
    );
    await expect(
      sql`UPDATE ledger SET format = 2, legacy_hash = hash WHERE seq = 5`.execute(t.db.q),
    ).rejects.toThrow(/append-only/);
  });

  /** What a node still running the code of before migration 028 writes: no format column (its default is 1). */
  async function appendAsTheOldCode(signatureId: number, facts: object) {
    const head = await t.services.ledger.head();
    const at = t.clock.now().toISOString();
    const payload = canonicalize({ ...facts, kind: 'sign', at }) as string;
    const prevHash = head?.hash ?? GENESIS;
    await sql`INSERT INTO ledger (seq, kind, signature_id, at, payload, prev_hash, hash)
              VALUES (${(head?.seq ?? 0) + 1}, 'sign', ${signatureId}, ${at}, ${payload}, ${prevHash},
                      ${sha256(prevHash + payload)})`.execute(t.db.q);
  }

  it('refuses an old-format entry from a node of the earlier version still running, on an empty ledger or after new entries', async () => {
    const dewi = await t.make.user({ unitId: unit.id, fullName: 'Dewi Anggraini' });
    const oldFacts = {
      receiptCode: 'ABCDEFGHJKLMNPQR',
      signatureId: 1,
      nip: dewi.nip,
      fullName: dewi.fullName,
    };
    await expect(appendAsTheOldCode(1, oldFacts)).rejects.toThrow(/format 2/);
    expect(await t.services.ledger.head()).toBeUndefined();

    const code = await signAs(t.services, pact, dewi);
    const signature = await t.services.signatures.findByReceiptCode(code);
    await expect(
      appendAsTheOldCode(signature?.id as number, { ...oldFacts, signatureId: signature?.id }),
    ).rejects.toThrow(/format 2/);
    const rows = await ledgerRows();
    expect(rows.map((row) => row.format)).toEqual([2]);
    expect(rows[0]?.payload).not.toContain('Dewi Anggraini');
    expect(await upgradeLedgerFormat(t.services, t.clock)).toEqual({
      upgraded: false,
      reason: 'nothing_to_do',
    });
    expect(await checkRecords(t.services, t.clock, { record: false })).toMatchObject({
      ok: true,
      entries: 1,
    });
  });

  it('rewrites no entry once the upgrade is recorded, not even a format-1 entry that got in after it', async () => {
    const { people } = await oldLedger();
    await upgradeLedgerFormat(t.services, t.clock);
    // The insert guard is off in this database (see oldLedger): an old node's entry gets in after the upgrade.
    const late = await t.make.user({ unitId: unit.id, fullName: 'Eko Prasetyo' });
    await appendAsTheOldCode(1, { receiptCode: 'ABCDEFGHJKLMNPQR', signatureId: 1, fullName: late.fullName });
    const before = await ledgerRows();
    expect(before.map((row) => row.format)).toEqual([2, 2, 2, 2, 1]);

    // Neither the upgrade's own rewrite (format 1 to 2, the old hash kept) nor a second upgrade may change it.
    await expect(
      sql`UPDATE ledger SET payload = '{}', format = 2, legacy_hash = hash WHERE seq = 5`.execute(t.db.q),
    ).rejects.toThrow(/append-only/);
    expect(await upgradeLedgerFormat(t.services, t.clock)).toMatchObject({
      upgraded: false,
      reason: 'refused',
    });
    expect(await ledgerRows()).toEqual(before);
    expect((await t.services.ledger.formatUpgrade())?.entries).toBe(4);
    expect((await t.services.users.findById(people.ani.id))?.fullName).toBe('Ani Lestari');
  });

  it('checks old receipts the old way while the upgrade has not run: unchanged ones verify, a changed one does not', async () => {
    const { third } = await oldLedger();
    expect(await checkRecords(t.services, t.clock, { record: false })).toMatchObject({
      ok: true,
      entries: 4,
    });

    await dropTriggers(t.db, ['signatures_anonymised_once']);
    await sql`UPDATE signatures SET position = 'Kepala Dinas' WHERE id = ${third.id}`.execute(t.db.q);
    expect(await checkRecords(t.services, t.clock, { record: false })).toMatchObject({
      ok: false,
      firstBadSeq: 3,
      problem: `tanda tangan #${third.id}: berbeda dari entri buku besar #3`,
    });
  });

  it('with the upgrade refused, still verifies an untouched old receipt, and not a changed one', async () => {
    const { first, second, third } = await oldLedger();
    await dropTriggers(t.db, ['ledger_no_update', 'signatures_anonymised_once']);
    await sql`UPDATE ledger SET payload = replace(payload, 'Budi Santoso', 'Budi Sentosa') WHERE seq = 2`.execute(
      t.db.q,
    );
    expect(await upgradeLedgerFormat(t.services, t.clock)).toMatchObject({
      upgraded: false,
      reason: 'refused',
    });

    const verified = async (code: string) => ({
      page: pageText((await request(t.app).get(`/verifikasi/${group(code)}`)).text),
      api: (await request(t.app).get(`/api/v1/verify/${code}`)).body as { status: string },
    });
    const untouched = await verified(first.code);
    expect(untouched.page).toContain('SAH — tanda terima ini tercatat dan berlaku.');
    expect(untouched.api.status).toBe('valid');
    // The paper signing (the witness in the entry, as then) too, until its row is changed.
    expect((await verified(third.code)).api.status).toBe('valid');
    await sql`UPDATE signatures SET full_name = 'Citra Dewi Lestari' WHERE id = ${third.id}`.execute(t.db.q);
    const changed = await verified(third.code);
    expect(changed.page).toContain('TIDAK DAPAT DIVERIFIKASI');
    expect(changed.api.status).toBe('unverified');
    // The entry that was changed does not verify either.
    expect((await verified(second.code)).api.status).toBe('unverified');
  });

  it('does not upgrade a broken old chain, and anonymising is then refused with a clear message', async () => {
    const { people, hashes } = await oldLedger();
    await dropTriggers(t.db, ['ledger_no_update']);
    await sql`UPDATE ledger SET payload = replace(payload, 'Budi Santoso', 'Budi Sentosa') WHERE seq = 2`.execute(
      t.db.q,
    );
    const before = await ledgerRows();
    const result = await upgradeLedgerFormat(t.services, t.clock);
    expect(result).toMatchObject({ upgraded: false, reason: 'refused' });
    expect(await ledgerRows()).toEqual(before);
    expect((await ledgerRows()).map((row) => row.hash)).toEqual(hashes);
    expect((await t.services.signatures.forUser(people.ani.id))[0]?.personSalt).toBeNull();

    await t.services.users.setStatus(people.citra.id, 'disabled', t.clock.now());
    const { agent } = await loggedInAdmin(t);
    const refused = await postForm(
      agent,
      `/admin/pengguna/${people.citra.id}`,
      `/admin/pengguna/${people.citra.id}/anonimkan`,
      { reason: 'Pensiun' },
    );
    expect(refused.status).toBe(409);
    expect(pageText(refused.text)).toContain('Buku besar masih memuat entri berformat lama');
    expect((await t.services.users.findById(people.citra.id))?.fullName).toBe('Citra Dewi');
  });
});
