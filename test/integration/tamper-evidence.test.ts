import { sql } from 'kysely';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { formatReceiptCode } from '../../src/pledges/receipt-code.js';
import { checkRecords } from '../../src/pledges/verification/check-records.js';
import { runLedgerVerify } from '../../src/pledges/verification/verify-command.js';
import { browser, loggedInAdmin, logIn, pageText } from '../helpers/http.js';
import { makePact, postForm, signThroughForm } from '../helpers/pacts.js';
import { dropTriggers } from '../helpers/tamper.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const UNVERIFIED = 'TIDAK DAPAT DIVERIFIKASI';

describe('records that were changed after signing', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  /** A signer in a unit who has signed an open all-ASN pact through the form; returns the stored receipt code. */
  const signedReceipt = async () => {
    const unit = await t.make.unit({ name: 'Dinas Uji Rekam' });
    const user = await t.make.user({ unitId: unit.id, email: 'rekam@uji.test', fullName: 'Ayu Kusumawati' });
    const pact = await makePact(t.services);
    const agent = browser(t.app);
    await logIn(agent, 'rekam@uji.test');
    const res = await signThroughForm(agent, pact.id, { consent: '1', full_name: user.fullName });
    const code = String(res.headers.location).split('/').pop() as string;
    return { code, user, pact, agent };
  };
  /** Runs one statement written out in full. */
  const exec = (statement: string) => sql.raw(statement).execute(t.db.q);
  /** What someone with the database file might do: switch the guards off and edit rows. */
  const tamper = async (statement: string) => {
    await dropTriggers(t.db, [
      'signatures_facts_frozen',
      'signatures_anonymised_once',
      'signatures_void_once',
      'pacts_frozen_once_open',
    ]);
    await exec(statement);
  };
  const verify = (code: string) => request(t.app).get(`/verifikasi/${formatReceiptCode(code)}`);
  const fullCheck = () => checkRecords(t.services, t.clock, { record: false });

  it('refuses, in the database itself, to change a signature, delete it, un-void it or change an opened pact', async () => {
    const { code, pact } = await signedReceipt();
    await expect(
      exec(`UPDATE signatures SET full_name = 'Orang Lain' WHERE receipt_code = '${code}'`),
    ).rejects.toThrow(/cannot be changed/);
    await expect(exec(`DELETE FROM signatures WHERE receipt_code = '${code}'`)).rejects.toThrow(
      /cannot be deleted/,
    );
    await expect(exec(`UPDATE pacts SET body = 'Teks lain' WHERE id = ${pact.id}`)).rejects.toThrow(
      /cannot be changed/,
    );
    await expect(exec(`DELETE FROM pact_units WHERE pact_id = ${pact.id}`)).resolves.not.toThrow(); // none to delete
    await exec(
      `UPDATE signatures SET status = 'voided', voided_at = '2026-01-01T00:00:00.000Z', void_reason = 'uji pembatalan' WHERE receipt_code = '${code}'`,
    );
    await expect(
      exec(`UPDATE signatures SET status = 'valid' WHERE receipt_code = '${code}'`),
    ).rejects.toThrow(/stays voided/);
  });

  it('shows an untouched receipt as valid, and the full check passes', async () => {
    const { code } = await signedReceipt();
    const page = await verify(code);
    expect(page.text).toContain('SAH');
    expect(page.text).not.toContain(UNVERIFIED);
    expect(await fullCheck()).toMatchObject({ ok: true, entries: 1 });
  });

  it.each([
    ['a renamed signer', "UPDATE signatures SET full_name = 'Orang Lain'"],
    ['a changed NIP', "UPDATE signatures SET nip = '199001012015011001'"],
    ['a changed unit name', "UPDATE signatures SET unit_name = 'Unit Lain'"],
    [
      'a voided signature marked valid again',
      "UPDATE signatures SET status = 'valid', voided_at = NULL, void_reason = NULL",
    ],
  ])('never calls a receipt valid after %s, and the full check names it', async (_case, edit) => {
    const { code } = await signedReceipt();
    if (edit.includes("status = 'valid'")) {
      const admin = await t.make.user({ role: 'admin', email: 'admin@uji.test', nip: null });
      const { voidSignature } = await import('../../src/pledges/receipts/void-signature.js');
      await voidSignature(t.services, {
        receiptCode: code,
        reason: 'ditandatangani orang lain',
        actor: { userId: admin.id, ip: null, userAgent: null },
      });
    }
    await tamper(`${edit} WHERE receipt_code = '${code}'`);
    const page = await verify(code);
    expect(page.text).toContain(UNVERIFIED);
    expect(page.text).not.toContain('SAH —');
    const api = await request(t.app).get(`/api/v1/verify/${code}`);
    expect(api.body).toMatchObject({ status: 'unverified', ledger: { matchesChain: false } });
    const check = await fullCheck();
    expect(check.ok).toBe(false);
    expect(check.problem).toMatch(/^tanda tangan #\d+: /);
  });

  it('never calls a receipt valid when the text of its pact was changed', async () => {
    const { code, pact } = await signedReceipt();
    await tamper(`UPDATE pacts SET body = body || ' Tambahan diam-diam.' WHERE id = ${pact.id}`);
    expect((await verify(code)).text).toContain(UNVERIFIED);
    expect(await fullCheck()).toMatchObject({
      ok: false,
      problem: `pakta #${pact.id}: teksnya berbeda dari teks saat pakta dibuka`,
    });
  });

  it('never calls a signature that was never recorded in the ledger valid', async () => {
    const { pact } = await signedReceipt();
    const user = await t.make.user({ email: 'sisipan@uji.test' });
    await exec(
      `INSERT INTO signatures (pact_id, user_id, full_name, position, unit_name, was_head, signed_at, pact_body_sha256, receipt_code)
       VALUES (${pact.id}, ${user.id}, 'Orang Sisipan', '', '', 0, '2026-11-28T00:00:00.000Z', '${pact.bodySha256}', 'ABCDEFGHJKLMNPQR')`,
    );
    const page = await verify('ABCDEFGHJKLMNPQR');
    expect(page.text).toContain(UNVERIFIED);
    expect(await fullCheck()).toMatchObject({
      ok: false,
      problem: expect.stringContaining('tidak tercatat di buku besar'),
    });
  });

  it('tells the admin on /admin/ledger, in Indonesian, which signature no longer matches its entry', async () => {
    const { code } = await signedReceipt();
    await tamper(`UPDATE signatures SET full_name = 'Orang Lain' WHERE receipt_code = '${code}'`);
    const { agent } = await loggedInAdmin(t);
    expect((await postForm(agent, '/admin/ledger', '/admin/ledger/periksa')).status).toBe(303);
    const page = pageText((await agent.get('/admin/ledger')).text);
    expect(page).toMatch(/RUSAK mulai entri #1: tanda tangan #\d+: berbeda dari entri buku besar #1/);
    expect(page).not.toContain('differs from');
  });

  it('checks the database read-only from the command line: nothing is written', async () => {
    await signedReceipt();
    const checks = async () =>
      (await sql<{ n: number }>`SELECT count(*) AS n FROM ledger_checks`.execute(t.db.q)).rows[0]?.n;
    const checksBefore = await checks();
    const lines: string[] = [];
    expect(
      await runLedgerVerify(t.config, {
        log: (l) => lines.push(l),
        error: (l) => lines.push(l),
      }),
    ).toBe(0);
    expect(lines.join()).toContain('semua tanda tangan cocok');
    expect(await checks()).toBe(checksBefore);
  });

  it('says so when the database file does not exist', async () => {
    const lines: string[] = [];
    expect(
      await runLedgerVerify(loadConfig({ NODE_ENV: 'test', DATABASE_PATH: '/tmp/tidak-ada/ikrar.sqlite' }), {
        log: (l) => lines.push(l),
        error: (l) => lines.push(l),
      }),
    ).toBe(1);
    expect(lines.join()).toContain('Basis data tidak ditemukan');
  });
});
