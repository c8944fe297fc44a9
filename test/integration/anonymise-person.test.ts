import { setTimeout as pause } from 'node:timers/promises';
import { sql } from 'kysely';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/credentials/password.js';
import { formatNip } from '../../src/directory/nip.js';
import type { Unit, User } from '../../src/directory/types.js';
import { checkRecords } from '../../src/pledges/verification/check-records.js';
import { runLedgerVerify } from '../../src/pledges/verification/verify-command.js';
import { personFactory, seededRandom } from '../../src/seed/people.js';
import { TEST_PASSWORD } from '../helpers/factories.js';
import {
  type Agent,
  browser,
  fetchCsrfToken,
  loggedInAdmin,
  loggedInAs,
  logIn,
  pageText,
} from '../helpers/http.js';
import { makePact, pngDataUrl, postForm, signaturePng, signThroughForm } from '../helpers/pacts.js';
import { previewRoster, rowOf } from '../helpers/roster.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const NAME = 'Sukma Wijayakusuma';
const EMAIL = 'sukma.wijayakusuma@uji.test';
const REASON = `${NAME} pensiun sejak 1 Maret 2026 (SK Gubernur 800/17/2026).`;
const group = (code: string) => code.replace(/(.{4})(?=.)/g, '$1-');

/** Every value of every row of every table, as text (bytes read as Latin-1), to search for what must be gone. */
async function databaseDump(t: TestApp): Promise<string> {
  const tables =
    t.db.engine === 'sqlite'
      ? (
          await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`.execute(t.db.q)
        ).rows.map((row) => row.name)
      : (
          await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables
                                       WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`.execute(
            t.db.q,
          )
        ).rows.map((row) => row.name);
  const parts: string[] = [];
  for (const table of tables) {
    const { rows } = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(t.db.q);
    for (const row of rows) {
      for (const value of Object.values(row)) {
        parts.push(
          `${table}: ${
            Buffer.isBuffer(value) || value instanceof Uint8Array
              ? Buffer.from(value).toString('latin1')
              : String(value)
          }`,
        );
      }
    }
  }
  return parts.join('\n');
}

describe('anonymising a person who has left', () => {
  let t: TestApp;
  let unit: Unit;
  let admin: Agent;
  beforeEach(async () => {
    t = await createTestApp();
    unit = await t.make.unit({ code: 'BKD', name: 'Badan Kepegawaian Daerah' });
    ({ agent: admin } = await loggedInAdmin(t));
  });
  afterEach(() => t.close());

  const nip = personFactory(seededRandom(2121))({ bornFrom: 1965, bornTo: 1970 }).nip;
  const anonymise = (agent: Agent, person: Pick<User, 'id'>, reason = REASON) =>
    postForm(agent, `/admin/pengguna/${person.id}`, `/admin/pengguna/${person.id}/anonimkan`, {
      reason,
    });
  const count = async (query: ReturnType<typeof sql<{ n: number }>>) =>
    Number((await query.execute(t.db.q)).rows[0]?.n);
  const eventsOf = async (action: string) =>
    (await t.services.audit.recent(10_000)).filter((e) => e.action === action);

  /**
   * Sukma, registered through the admin's form (her NIP and email in the audit log), sent a password link (a mail in
   * the outbox), signs a pact with a drawing (her device recorded), is reminded of another (a reminder and its
   * mail), and retires: the admin disables her account.
   */
  async function sukmaRetires() {
    const created = await postForm(admin, '/admin/pengguna/baru', '/admin/pengguna', {
      nip,
      employee_type: 'PNS',
      email: EMAIL,
      full_name: NAME,
      position: 'Kepala Bidang Mutasi',
      pangkat: 'Pembina, IV/a',
      unit_id: String(unit.id),
      role: 'signer',
    });
    expect(created.status, pageText(created.text)).toBe(303);
    const sukma = (await t.services.users.findByNip(nip)) as User;
    expect(
      (await postForm(admin, `/admin/pengguna/${sukma.id}`, `/admin/pengguna/${sukma.id}/tautan-sandi`))
        .status,
    ).toBe(200);
    await t.services.users.setPassword(sukma.id, await hashPassword(TEST_PASSWORD), false, t.clock.now());

    const signed = await makePact(t.services, { title: 'Pakta Netralitas Pemilu' });
    const reminded = await makePact(t.services, { title: 'Pakta Netralitas Pilkada' });
    const own = browser(t.app);
    expect((await logIn(own, EMAIL)).status).toBe(302);
    const signing = await signThroughForm(own, signed.id, {
      consent: '1',
      full_name: NAME,
      signature: pngDataUrl(signaturePng()),
    });
    expect(signing.status).toBe(303);
    const code = (await t.services.signatures.forUser(sukma.id))[0]?.receiptCode as string;
    expect(
      (await postForm(admin, `/admin/kepatuhan/${reminded.id}`, `/admin/kepatuhan/${reminded.id}/pengingat`))
        .status,
    ).toBe(303);
    for (let i = 0; i < 50 && !(await databaseDump(t)).includes(`outbox: ${EMAIL}`); i += 1) await pause(20);
    expect(
      (await postForm(admin, `/admin/pengguna/${sukma.id}`, `/admin/pengguna/${sukma.id}/nonaktifkan`))
        .status,
    ).toBe(303);
    return { sukma, signed, reminded, code, own };
  }

  const traces = [NAME, EMAIL, nip, formatNip(nip)];

  it('refuses an active person with a message, operators (403) and a form without its token', async () => {
    const active = await t.make.user({ unitId: unit.id, fullName: 'Rahmat Hidayat' });
    const page = await admin.get(`/admin/pengguna/${active.id}/anonimkan`);
    expect(page.status).toBe(200);
    expect(pageText(page.text)).toContain('Akun ini masih aktif.');
    expect(page.text).not.toContain('name="reason"');
    const refused = await anonymise(admin, active);
    expect(refused.status).toBe(409);
    expect(pageText(refused.text)).toContain('nonaktifkan akunnya dulu');
    expect((await t.services.users.findById(active.id))?.fullName).toBe('Rahmat Hidayat');

    await t.services.users.setStatus(active.id, 'disabled', t.clock.now());
    const { agent: operator } = await loggedInAs(t, 'operator', { unitId: unit.id });
    expect((await operator.get(`/admin/pengguna/${active.id}/anonimkan`)).status).toBe(403);
    const token = await fetchCsrfToken(operator, '/akun');
    const byOperator = await operator
      .post(`/admin/pengguna/${active.id}/anonimkan`)
      .type('form')
      .send({ _csrf: token, reason: 'Pensiun' });
    expect(byOperator.status).toBe(403);
    const noToken = await admin
      .post(`/admin/pengguna/${active.id}/anonimkan`)
      .type('form')
      .send({ reason: 'Pensiun' });
    expect(noToken.status).toBe(403);
    const noReason = await anonymise(admin, active, '  ');
    expect(noReason.status).toBe(400);
    expect(pageText(noReason.text)).toContain('Alasan wajib diisi.');
    expect((await t.services.users.findById(active.id))?.anonymisedAt).toBeNull();
    expect(await eventsOf('user.anonymised')).toHaveLength(0);
  });

  it('leaves no trace of the name, email or NIP anywhere, keeps the counts, and the receipt and ledger verify', async () => {
    const { sukma, signed, code, own } = await sukmaRetires();
    const before = await databaseDump(t);
    for (const trace of [NAME, EMAIL, nip]) expect(before).toContain(trace);
    const addressedTo = async () => ({
      links: await count(sql`SELECT count(*) AS n FROM password_links WHERE user_id = ${sukma.id}`),
      reminders: await count(sql`SELECT count(*) AS n FROM reminders WHERE user_id = ${sukma.id}`),
      mails: await count(sql`SELECT count(*) AS n FROM outbox WHERE to_address = ${EMAIL}`),
    });
    expect(await addressedTo()).toEqual({ links: 1, reminders: 1, mails: 2 });
    const counted = await t.services.signatures.countValid(signed.id);
    const compliance = (await request(t.app).get(`/api/v1/pacts/${signed.id}/compliance`)).body;

    const page = await admin.get(`/admin/pengguna/${sukma.id}`);
    expect(page.text).toContain(`href="/admin/pengguna/${sukma.id}/anonimkan"`);
    const res = await anonymise(admin, sukma);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/pengguna/${sukma.id}`);
    expect(pageText((await admin.get(`/admin/pengguna/${sukma.id}`)).text)).toContain(
      'Data orang ini sudah dianonimkan.',
    );

    expect(await addressedTo()).toEqual({ links: 0, reminders: 0, mails: 0 });
    const dump = await databaseDump(t);
    for (const trace of traces) expect(dump, trace).not.toContain(trace);
    const anonymous = `Anonim #${sukma.id}`;
    expect(await t.services.users.findById(sukma.id)).toMatchObject({
      fullName: anonymous,
      nip: null,
      email: null,
      passwordHash: null,
      position: '',
      pangkat: null,
      status: 'disabled',
    });
    const [signature] = await t.services.signatures.forUser(sukma.id);
    expect(signature).toMatchObject({
      fullName: anonymous,
      nip: null,
      position: '',
      pangkat: null,
      ip: null,
      userAgent: null,
      personSalt: null,
      status: 'valid',
      imageRemoved: { why: 'anonymised' },
    });
    expect(signature?.signatureSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await t.services.signatures.image(signature?.id as number)).toBeNull();

    // Audited: who, when and why, never the old name or NIP (the reason's name is replaced too).
    const [event] = await eventsOf('user.anonymised');
    expect(event).toMatchObject({
      actorUserId: (await t.services.users.findByEmail('admin@uji.test'))?.id,
      targetType: 'user',
      targetId: String(sukma.id),
      details: {
        reason: `${anonymous} pensiun sejak 1 Maret 2026 (SK Gubernur 800/17/2026).`,
        signatures: 1,
      },
    });

    // The past pact counts as before; her receipt is valid, signer anonymised; the ledger and every record verify.
    expect(await t.services.signatures.countValid(signed.id)).toBe(counted);
    expect((await request(t.app).get(`/api/v1/pacts/${signed.id}/compliance`)).body).toEqual(compliance);
    const verified = await request(t.app).get(`/verifikasi/${group(code)}`);
    expect(pageText(verified.text)).toContain(
      'SAH — tanda terima ini tercatat dan berlaku. Penanda tangan telah dianonimkan',
    );
    expect(pageText(verified.text)).toContain(anonymous);
    expect((await request(t.app).get(`/api/v1/verify/${code}`)).body).toMatchObject({
      status: 'valid',
      anonymised: true,
      fullName: anonymous,
      nipMasked: null,
      ledger: { matchesChain: true },
    });
    expect(await checkRecords(t.services, t.clock, { record: false })).toMatchObject({ ok: true });
    const lines: string[] = [];
    expect(await runLedgerVerify(t.config, { log: (l) => lines.push(l), error: (l) => lines.push(l) })).toBe(
      0,
    );
    const receipt = await admin.get(`/tanda-terima/${code}`);
    expect(receipt.status).toBe(200);
    expect(pageText(receipt.text)).toContain('Data pribadi penanda tangan telah dianonimkan');

    // No way in: her session ended, and neither her email nor her NIP logs in.
    expect((await own.get('/akun')).status).toBe(302);
    expect((await logIn(browser(t.app), EMAIL)).status).toBe(401);
    expect((await logIn(browser(t.app), nip)).status).toBe(401);
    // Enabling the record again is refused: it has no way in to give.
    const enable = await postForm(
      admin,
      `/admin/pengguna/${sukma.id}`,
      `/admin/pengguna/${sukma.id}/aktifkan`,
    );
    expect(enable.status).toBe(409);

    // Once is enough: a second time changes and records nothing.
    const again = await anonymise(admin, sukma);
    expect(again.status).toBe(303);
    expect(await eventsOf('user.anonymised')).toHaveLength(1);
  });

  it('recognises her NIP later: an import or the form refuses a second account, an admin restores hers', async () => {
    const { sukma, code } = await sukmaRetires();
    expect((await anonymise(admin, sukma)).status).toBe(303);

    const csv = `nip,nama,jabatan,kode_unit,email,jenis,kepala\n${nip},${NAME},Analis Kepegawaian,BKD,,PNS,\n`;
    const { page } = await previewRoster(admin, csv);
    expect(pageText(rowOf(page, 2))).toContain('NIP ini milik akun yang datanya sudah dianonimkan.');
    const created = await postForm(admin, '/admin/pengguna/baru', '/admin/pengguna', {
      nip,
      employee_type: 'PNS',
      email: '',
      full_name: NAME,
      position: 'Analis Kepegawaian',
      unit_id: String(unit.id),
      role: 'signer',
    });
    expect(created.status).toBe(422);
    expect(pageText(created.text)).toContain('NIP ini milik akun yang datanya sudah dianonimkan.');
    expect(await t.services.users.findByNip(nip)).toBeUndefined();

    // Another NIP does not restore her record; her own does.
    const fields = {
      employee_type: 'PNS',
      email: '',
      full_name: NAME,
      position: 'Analis Kepegawaian',
      pangkat: '',
      unit_id: String(unit.id),
      role: 'signer',
    };
    const other = personFactory(seededRandom(77))({ bornFrom: 1980, bornTo: 1985 }).nip;
    const wrong = await postForm(admin, `/admin/pengguna/${sukma.id}`, `/admin/pengguna/${sukma.id}`, {
      ...fields,
      nip: other,
    });
    expect(wrong.status).toBe(422);
    expect(pageText(wrong.text)).toContain('isi NIP yang dimiliki orang ini sebelum dianonimkan');
    const restored = await postForm(admin, `/admin/pengguna/${sukma.id}`, `/admin/pengguna/${sukma.id}`, {
      ...fields,
      nip,
    });
    expect(restored.status).toBe(303);
    expect(await t.services.users.findByNip(nip)).toMatchObject({
      id: sukma.id,
      fullName: NAME,
      anonymisedAt: null,
      status: 'disabled',
    });
    // What was erased stays erased: her past signing is still anonymous, and still valid.
    expect((await request(t.app).get(`/api/v1/verify/${code}`)).body).toMatchObject({
      status: 'valid',
      anonymised: true,
      fullName: `Anonim #${sukma.id}`,
    });
  });
  /** Saves a person's record through the admin's edit form, as it is but for `changes`. */
  async function saveRecord(person: User, changes: { full_name?: string; email?: string }) {
    const current = (await t.services.users.findById(person.id)) as User;
    const saved = await postForm(admin, `/admin/pengguna/${person.id}`, `/admin/pengguna/${person.id}`, {
      nip: current.nip ?? '',
      employee_type: current.employeeType,
      email: current.email ?? '',
      full_name: current.fullName,
      position: current.position,
      pangkat: current.pangkat ?? '',
      unit_id: String(current.unitId),
      role: current.role,
      ...changes,
    });
    expect(saved.status, pageText(saved.text)).toBe(303);
  }

  /** Registers a person through the admin's form (their NIP and email in the audit log). */
  async function register(fullName: string, email: string, seed: number): Promise<User> {
    const personNip = personFactory(seededRandom(seed))({ bornFrom: 1975, bornTo: 1990 }).nip;
    const created = await postForm(admin, '/admin/pengguna/baru', '/admin/pengguna', {
      nip: personNip,
      employee_type: 'PNS',
      email,
      full_name: fullName,
      position: 'Analis Kepegawaian',
      pangkat: '',
      unit_id: String(unit.id),
      role: 'signer',
    });
    expect(created.status, pageText(created.text)).toBe(303);
    return (await t.services.users.findByNip(personNip)) as User;
  }

  const disable = async (person: Pick<User, 'id'>) =>
    expect(
      (await postForm(admin, `/admin/pengguna/${person.id}`, `/admin/pengguna/${person.id}/nonaktifkan`))
        .status,
    ).toBe(303);

  it('anonymises a person named in an exemption note, and leaves the note and the lifting reason as written', async () => {
    const sukma = await t.make.user({ unitId: unit.id, fullName: NAME, email: EMAIL, nip });
    const pact = await makePact(t.services, { title: 'Pakta Netralitas Pemilu' });
    const note = `${NAME} cuti besar (SK 800/5/2026)`;
    const exempted = await postForm(
      admin,
      `/admin/kepatuhan/${pact.id}/pengecualian/baru?orang=${sukma.id}`,
      `/admin/kepatuhan/${pact.id}/pengecualian`,
      {
        user_id: String(sukma.id),
        reason: 'lainnya',
        note,
        starts_on: t.services.timeZone.dayOf(t.clock.now()),
        ends_on: '',
      },
    );
    expect(exempted.status, pageText(exempted.text)).toBe(303);
    const exemption = (await t.services.exemptions.ofUnit(pact.id, unit.id))[0];
    const liftReason = `${NAME} kembali bertugas`;
    const lifted = await postForm(
      admin,
      `/admin/kepatuhan/${pact.id}/unit/${unit.id}`,
      `/admin/kepatuhan/${pact.id}/pengecualian/${exemption?.id}/cabut`,
      { lift_reason: liftReason },
    );
    expect(lifted.status).toBe(303);
    await disable(sukma);

    const res = await anonymise(admin, sukma);
    expect(res.status, pageText(res.text)).toBe(303);
    expect((await t.services.users.findById(sukma.id))?.fullName).toBe(`Anonim #${sukma.id}`);
    expect(await eventsOf('user.anonymised')).toHaveLength(1);
    const { rows } = await sql<{ note: string; lift_reason: string }>`
      SELECT note, lift_reason FROM pact_exemptions WHERE user_id = ${sukma.id}`.execute(t.db.q);
    expect(rows).toEqual([{ note, lift_reason: liftReason }]);
  });

  it('changes only what is about her: namesakes, "Sri Mulyani" and "Srikandi" keep their records and counters', async () => {
    // Sri was registered as "Sri Rahayu" and is called "Sri" since; a colleague is called "Sri" too, since a fix.
    const sri = await register('Sri Rahayu', 'sri.lama@uji.test', 11);
    await saveRecord(sri, { full_name: 'Sri', email: 'sri@uji.test' });
    const namesake = await register('Sri W.', 'sri.wahyuni@uji.test', 12);
    await saveRecord(namesake, { full_name: 'Sri' });
    const mulyani = await register('Sri Mulyani', 'sri.mulyani@uji.test', 13);
    await saveRecord(mulyani, { full_name: 'Sri Mulyani, S.E.' });
    // Sri's first address is Srikandi's now, and so is the mail sent to it since.
    const srikandi = await register('Srikandi', 'sri.lama@uji.test', 14);
    await saveRecord(srikandi, { full_name: 'Srikandi Dewi' });
    for (const person of [sri, namesake, srikandi]) {
      await t.services.users.setPassword(person.id, await hashPassword(TEST_PASSWORD), false, t.clock.now());
      expect(
        (await postForm(admin, `/admin/pengguna/${person.id}`, `/admin/pengguna/${person.id}/tautan-sandi`))
          .status,
      ).toBe(200);
    }
    // Both log in from their browsers; someone mistypes Sri's password under her address in capitals.
    for (const [login, agentName] of [
      ['sri@uji.test', 'Firefox milik Sri'],
      ['sri.wahyuni@uji.test', 'Chrome milik rekan'],
    ] as const) {
      expect((await logIn(browser(t.app).set('User-Agent', agentName), login)).status).toBe(302);
    }
    expect((await logIn(browser(t.app), 'SRI@uji.test', 'bukan-sandinya')).status).toBe(401);
    // A roster upload kept for its preview names Sri (her NIP as printed) and Srikandi.
    const csv =
      'nip,nama,jabatan,kode_unit,email,jenis,kepala\n' +
      `${formatNip(sri.nip as string)},Sri,Analis Kepegawaian,BKD,sri@uji.test,PNS,\n` +
      `${srikandi.nip},Srikandi Dewi,Analis Kepegawaian,BKD,srikandi@uji.test,PNS,\n`;
    const { id: importId } = await previewRoster(admin, csv);
    const rosterRow = async (line: number) =>
      (
        await sql<{ row: string; outcome: string }>`
          SELECT row, outcome FROM roster_import_rows WHERE import_id = ${importId} AND line = ${line}`.execute(
          t.db.q,
        )
      ).rows[0];
    const srikandiRow = await rosterRow(3);
    // Failed activation codes counted per NIP and per address (PostgreSQL deployments count in the database).
    const planted = [sri.nip, namesake.nip, mulyani.nip]
      .map((n) => `activation-nip:${n}`)
      .concat('login:203.0.113.7');
    for (const key of planted) {
      await sql`INSERT INTO rate_limit_hits (key, hits, resets_at) VALUES (${key}, 3, ${Date.now() + 600_000})`.execute(
        t.db.q,
      );
    }
    await disable(sri);
    // Counters the app keeps itself (a PostgreSQL deployment counts failed logins per address) are others' too.
    const counterKeys = async () =>
      (await sql<{ key: string }>`SELECT key FROM rate_limit_hits ORDER BY key`.execute(t.db.q)).rows.map(
        (row) => row.key,
      );
    const counters = await counterKeys();
    expect(counters).toEqual(expect.arrayContaining(planted));

    type EventRow = {
      id: number;
      action: string;
      actor_user_id: number | null;
      ip: string | null;
      user_agent: string | null;
      details: string;
    };
    const events = async (where: ReturnType<typeof sql>) =>
      (
        await sql<EventRow>`SELECT id, action, actor_user_id, ip, user_agent, details FROM audit_events
                            WHERE ${where} ORDER BY id`.execute(t.db.q)
      ).rows.map((row) => ({ ...row, id: Number(row.id), details: JSON.parse(row.details) as unknown }));
    // Never NULL (coalesce), so that NOT picks exactly the other events.
    const aboutSri = sql`(coalesce(actor_user_id, 0) = ${sri.id}
                          OR (coalesce(target_type, '') = 'user' AND coalesce(target_id, '') = ${String(sri.id)}))`;
    const notAboutSri = () => events(sql`NOT ${aboutSri}`);
    const others = await notAboutSri();
    const othersText = JSON.stringify(others);
    for (const text of [
      '"from":"Sri W.","to":"Sri"',
      '"from":"Sri Mulyani"',
      '"from":"Srikandi"',
      'Chrome milik rekan',
    ]) {
      expect(othersText).toContain(text);
    }
    expect(JSON.stringify(await events(aboutSri))).toContain('Firefox milik Sri');

    const mailTo = async (address: string) =>
      count(sql`SELECT count(*) AS n FROM outbox WHERE lower(to_address) = ${address}`);
    expect(await mailTo('sri@uji.test')).toBe(1);

    const res = await anonymise(admin, sri, 'Sri pensiun; tugasnya dilanjutkan Srikandi.');
    expect(res.status, pageText(res.text)).toBe(303);
    const anonymous = `Anonim #${sri.id}`;

    // Nobody else's audit record moved, not a letter of it; the namesake is still called Sri.
    expect(await notAboutSri()).toEqual(others);
    expect((await t.services.users.findById(namesake.id))?.fullName).toBe('Sri');
    // Hers say "Anonim #…" wherever a value was her name, address or NIP, now or before; her devices are gone.
    const hers = await events(aboutSri);
    const hersText = JSON.stringify(hers);
    for (const trace of [
      'Sri Rahayu',
      '"Sri"',
      'sri@uji.test',
      'sri.lama@uji.test',
      'SRI@uji.test',
      sri.nip as string,
      'Firefox milik Sri',
    ]) {
      expect(hersText, trace).not.toContain(trace);
    }
    const renamed = hers.find((row) => row.action === 'user.updated');
    expect(renamed?.details).toEqual({
      fullName: { from: anonymous, to: anonymous },
      email: { from: anonymous, to: anonymous },
    });
    const registered = hers.find((row) => row.action === 'user.created');
    expect(registered?.details).toMatchObject({ nip: anonymous, email: anonymous });
    for (const row of hers.filter((event) => event.actor_user_id === sri.id)) {
      expect(row, row.action).toMatchObject({ ip: null, user_agent: null });
    }
    expect(hers.some((row) => row.actor_user_id === sri.id && row.action === 'login.succeeded')).toBe(true);
    expect(hers.find((row) => row.action === 'login.failed')?.details).toMatchObject({ username: anonymous });
    const [event] = await eventsOf('user.anonymised');
    expect(event?.details).toMatchObject({ reason: `${anonymous} pensiun; tugasnya dilanjutkan Srikandi.` });

    // Her mail and her counter went; the namesake's mail and everyone else's counters stay.
    expect(await mailTo('sri@uji.test')).toBe(0);
    expect(await mailTo('sri.wahyuni@uji.test')).toBe(1);
    expect(await mailTo('sri.lama@uji.test')).toBe(1);
    expect(await counterKeys()).toEqual(counters.filter((key) => key !== `activation-nip:${sri.nip}`));

    // The kept roster row with her NIP says no more who she is; Srikandi's is as it was.
    const sriRow = await rosterRow(2);
    expect(JSON.parse(sriRow?.row ?? '{}').cells).toEqual(['', anonymous, '', 'BKD', '', 'PNS', '']);
    expect(`${sriRow?.row}${sriRow?.outcome}`).not.toMatch(/sri@uji|Sri Rahayu|"Sri"/);
    expect(await rosterRow(3)).toEqual(srikandiRow);
  });

  it('does not anonymise a person enabled again meanwhile (409), and changes nothing', async () => {
    const sukma = await t.make.user({ unitId: unit.id, fullName: NAME, email: EMAIL, nip });
    await disable(sukma);
    // The form was opened while she was disabled; another admin enables her before it is sent.
    expect((await admin.get(`/admin/pengguna/${sukma.id}/anonimkan`)).text).toContain('name="reason"');
    await t.services.users.setStatus(sukma.id, 'active', t.clock.now());
    const refused = await anonymise(admin, sukma);
    expect(refused.status).toBe(409);
    expect(pageText(refused.text)).toContain('nonaktifkan akunnya dulu');

    // Enabled in the very moment between the check and the change: the change finds her active and stops there.
    await t.services.users.setStatus(sukma.id, 'disabled', t.clock.now());
    const before = await databaseDump(t);
    const ledger = t.services.ledger;
    const countFormatOne = ledger.countFormatOne;
    ledger.countFormatOne = async () => {
      await t.services.users.setStatus(sukma.id, 'active', t.clock.now());
      return countFormatOne();
    };
    const raced = await anonymise(admin, sukma);
    ledger.countFormatOne = countFormatOne;
    expect(raced.status).toBe(409);
    expect(pageText(raced.text)).toContain('Akun ini baru saja diubah orang lain');
    expect(await t.services.users.findById(sukma.id)).toMatchObject({
      fullName: NAME,
      email: EMAIL,
      nip,
      status: 'active',
      anonymisedAt: null,
    });
    expect(await eventsOf('user.anonymised')).toHaveLength(0);
    // Nothing else changed but her status (and its epoch counters).
    const after = await databaseDump(t);
    for (const trace of traces) expect(after.split(trace).length, trace).toBe(before.split(trace).length);
  });
});
