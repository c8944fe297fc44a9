import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Agent, fetchCsrfToken, loggedInAdmin, pageText } from '../helpers/http.js';
import { makePact, postForm } from '../helpers/pacts.js';
import { uploadRoster } from '../helpers/roster.js';
import { dropTriggers } from '../helpers/tamper.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

describe('the audit log reads roster refusals and unit kinds in words', () => {
  let t: TestApp;
  let agent: Agent;
  beforeEach(async () => {
    t = await createTestApp();
    agent = (await loggedInAdmin(t)).agent;
  });
  afterEach(() => t.close());

  /** The audit log as people read it: its text without the raw JSON behind each row's toggle. */
  const auditLog = async () =>
    pageText((await agent.get('/admin/audit')).text.replace(/<details>[\s\S]*?<\/details>/g, ''));

  it('says why a roster file was refused as the import page said it, its numbers filled in', async () => {
    const token = await fetchCsrfToken(agent, '/admin/pengguna/impor');
    expect(
      (await agent.post(`/admin/pengguna/impor?_csrf=${encodeURIComponent(token)}`).field('x', '1')).status,
    ).toBe(400);
    expect((await uploadRoster(agent, 'nip,nama,kode_unit\n"123,Nama,DINKES\n', 'kutip.csv')).status).toBe(
      400,
    );
    // Column names are the file's content, never recorded: their place reads as an ellipsis, not a placeholder.
    expect(
      (await uploadRoster(agent, 'nip,nama,kode_unit,Budi Santoso\n1,a,b,c\n', 'asing.csv')).status,
    ).toBe(400);
    const log = await auditLog();
    expect(log).toContain('Masalah: Pilih berkas CSV atau XLSX untuk diunggah.');
    expect(log).toMatch(
      /Masalah: Berkas CSV rusak di sekitar baris (\d+): ada tanda kutip yang tidak ditutup\. .* Baris: \1 /,
    );
    expect(log).toContain('Masalah: Kolom tidak dikenal: …. Kolom yang dapat dipakai:');
    expect(log).not.toMatch(/no_file|malformed_csv|unknown_columns|\{\w+\}/);
    expect(log).not.toContain('Budi Santoso');
  });

  it("names a unit's kind, when it is made and when it changes, beside a head's kind", async () => {
    const created = await postForm(agent, '/admin/unit/baru', '/admin/unit', {
      code: 'BAPENDA',
      name: 'Badan Pendapatan Daerah',
      kind: 'badan',
      time_zone: '',
      parent_id: '',
    });
    expect(created.status).toBe(303);
    const unitPage = String(created.headers.location);
    const changed = await postForm(agent, `${unitPage}/ubah`, unitPage, {
      code: 'BAPENDA',
      name: 'Badan Pendapatan Daerah',
      kind: 'dinas',
      time_zone: '',
    });
    expect(changed.status).toBe(303);
    const head = await t.make.user({ unitId: Number(unitPage.split('/').pop()), fullName: 'Sri Wahyuni' });
    const appointed = await postForm(agent, unitPage, `${unitPage}/kepala`, {
      head_user_id: String(head.id),
      head_kind: 'plt',
      head_since: '2024-01-02',
      head_decree: '800/12/2024',
    });
    expect(appointed.status).toBe(303);
    const log = await auditLog();
    expect(log).toContain('Jenis: Badan');
    expect(log).toContain('Sebelum: Jenis: Badan');
    expect(log).toContain('Sesudah: Jenis: Dinas');
    expect(log).toContain('Jenis: Plt.');
    expect(log).not.toMatch(/Jenis: (badan|dinas|plt)\b/);
  });
});

describe('the ledger page, when a problem has no entry number', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  it('says the ledger is broken and why, without an empty "entri #"', async () => {
    const pact = await makePact(t.services);
    // Someone with the database file changes an opened pact's text: no ledger entry is at fault.
    await dropTriggers(t.db, ['pacts_frozen_once_open']);
    await sql`UPDATE pacts SET body = body || ' Tambahan diam-diam.' WHERE id = ${pact.id}`.execute(t.db.q);
    const { agent } = await loggedInAdmin(t);
    expect((await postForm(agent, '/admin/ledger', '/admin/ledger/periksa')).status).toBe(303);
    const page = pageText((await agent.get('/admin/ledger')).text);
    expect(page).toContain(`RUSAK: pakta #${pact.id}: teksnya berbeda dari teks saat pakta dibuka`);
    expect(page).not.toContain('entri #:');
    expect(page).not.toContain('mulai entri');
  });
});
