import { sql } from 'kysely';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDays } from '../../src/core/time-zone.js';
import type { Unit, User } from '../../src/directory/types.js';
import type { Pact } from '../../src/pledges/types.js';
import { type Agent, loggedInAdmin, loggedInAs, pageText } from '../helpers/http.js';
import { binaryParser, makePact, pdfText, postForm } from '../helpers/pacts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

describe('exempting people from a pact', () => {
  let t: TestApp;
  let unit: Unit;
  let ani: User;
  let budi: User;
  let pact: Pact;

  beforeEach(async () => {
    t = await createTestApp();
    unit = await t.make.unit({ name: 'Dinas Pendidikan' });
    ani = await t.make.user({ unitId: unit.id, fullName: 'Ani Lestari' });
    budi = await t.make.user({ unitId: unit.id, fullName: 'Budi Santoso' });
    pact = await makePact(t.services);
  });
  afterEach(() => t.close());

  const today = () => t.services.timeZone.dayOf(t.clock.now());
  const report = (agent: Agent) => agent.get(`/admin/kepatuhan/${pact.id}/unit/${unit.id}`);
  const exempt = (agent: Agent, fields: Record<string, string>, person = ani) =>
    postForm(
      agent,
      `/admin/kepatuhan/${pact.id}/pengecualian/baru?orang=${person.id}`,
      `/admin/kepatuhan/${pact.id}/pengecualian`,
      {
        user_id: String(person.id),
        reason: 'tugas_belajar',
        note: '',
        starts_on: today(),
        ends_on: '',
        ...fields,
      },
    );
  const summary = async () =>
    (await t.services.complianceCache.forPact(pact)).units.find((u) => u.unitId === unit.id);

  it('lets an operator excuse a person of their unit, lists them apart, and lift it again, all audited', async () => {
    const { user: operator, agent } = await loggedInAs(t, 'operator', { unitId: unit.id });
    const before = await report(agent);
    expect(before.text).toContain(`/admin/kepatuhan/${pact.id}/pengecualian/baru?orang=${ani.id}`);
    // Not for herself: an operator excuses signers only.
    expect(before.text).not.toContain(`/admin/kepatuhan/${pact.id}/pengecualian/baru?orang=${operator.id}`);
    const form = await agent.get(`/admin/kepatuhan/${pact.id}/pengecualian/baru?orang=${ani.id}`);
    expect(form.status).toBe(200);
    expect(pageText(form.text)).toContain('Ani Lestari tidak lagi wajib menandatangani');

    const saved = await exempt(agent, { note: 'SK Kepala BKD 800/77/2026' });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`/admin/kepatuhan/${pact.id}/unit/${unit.id}#dikecualikan`);
    const after = pageText((await report(agent)).text);
    expect(after).toContain('Dikecualikan (1)');
    expect(after).toMatch(/Ani Lestari .*Tugas belajar SK Kepala BKD 800\/77\/2026/);
    // Budi and the operator herself (a member of the unit) are still to sign.
    expect(after).toContain('Belum menandatangani (2)');
    expect(await summary()).toMatchObject({ required: 2, signed: 0, exempt: 1 });
    const created = (await t.services.audit.recent(5)).find((e) => e.action === 'exemption.created');
    expect(created).toMatchObject({
      actorUserId: operator.id,
      details: { reason: 'tugas_belajar', pact: pact.id },
    });

    expect(pageText((await agent.get(`/admin/kepatuhan/${pact.id}`)).text)).toContain('1 orang dikecualikan');
    // The exports list them apart, with why.
    const csv = (await agent.get(`/admin/kepatuhan/${pact.id}/unit/${unit.id}?format=csv`)).text;
    expect(csv).toMatch(/Ani Lestari.*Dikecualikan \(Tugas belajar: SK Kepala BKD 800\/77\/2026\)/);
    const pdf = await agent
      .get(`/admin/kepatuhan/${pact.id}/unit/${unit.id}?format=pdf`)
      .buffer(true)
      .parse(binaryParser);
    expect(pdfText(pdf.body as Buffer)).toContain('Dikecualikan (1)');

    // The public page gives the count only: no name, no reason.
    const publicPage = pageText((await request(t.app).get(`/kepatuhan/${pact.id}`)).text);
    expect(publicPage).toContain('1 orang dikecualikan');
    expect(publicPage).not.toContain('Tugas belajar');

    const exemption = (await t.services.exemptions.ofUnit(pact.id, unit.id))[0];
    const lifted = await postForm(
      agent,
      `/admin/kepatuhan/${pact.id}/unit/${unit.id}`,
      `/admin/kepatuhan/${pact.id}/pengecualian/${exemption?.id}/cabut`,
      {},
    );
    expect(lifted.status).toBe(303);
    expect(pageText((await report(agent)).text)).toContain('Belum menandatangani (3)');
    expect(await summary()).toMatchObject({ required: 3, exempt: 0 });
    expect((await t.services.audit.recent(5)).map((e) => e.action)).toContain('exemption.lifted');
  });

  it('refuses a missing reason, "lainnya" without a note and an end before the start, keeping what was typed', async () => {
    const { agent } = await loggedInAdmin(t);
    const noReason = await exempt(agent, { reason: '' });
    expect(noReason.status).toBe(400);
    expect(pageText(noReason.text)).toContain('Pilih alasan pengecualian');
    const noNote = await exempt(agent, { reason: 'lainnya' });
    expect(noNote.status).toBe(400);
    expect(pageText(noNote.text)).toContain('Tulis keterangan untuk alasan');
    const backwards = await exempt(agent, { starts_on: '2026-12-10', ends_on: '2026-12-01', note: 'Cuti' });
    expect(backwards.status).toBe(400);
    expect(pageText(backwards.text)).toContain('Tanggal akhir tidak boleh sebelum tanggal mulai');
    expect(backwards.text).toContain('value="Cuti"');
    const garbled = await exempt(agent, { starts_on: '10/12/2026' });
    expect(garbled.status).toBe(400);
    expect(await t.services.exemptions.ofUnit(pact.id, unit.id)).toEqual([]);
  });

  it('refuses to excuse twice, someone not required, or from a closed pact', async () => {
    const { agent } = await loggedInAdmin(t);
    expect((await exempt(agent, {})).status).toBe(303);
    const twice = await exempt(agent, {});
    expect(twice.status).toBe(409);
    expect(pageText(twice.text)).toContain('sudah dikecualikan');
    const heads = pact;
    pact = await makePact(t.services, { audience: 'heads' });
    const staff = await exempt(agent, {}, budi);
    expect(staff.status).toBe(422);
    expect(pageText(staff.text)).toContain('tidak wajib menandatangani pakta ini');
    pact = await makePact(t.services, { status: 'closed' });
    expect((await exempt(agent, {}, budi)).status).toBe(409);
    expect((await t.services.exemptions.ofUnit(heads.id, unit.id)).map((e) => e.userId)).toEqual([ani.id]);
  });

  it('refuses an exemption already over, lets an ended one make way, and keeps a closed pact as it was', async () => {
    const { agent } = await loggedInAdmin(t);
    const yesterday = addDays(today(), -1);
    const over = await exempt(agent, { starts_on: addDays(today(), -9), ends_on: yesterday });
    expect(over.status).toBe(422);
    expect(pageText(over.text)).toContain('Tanggal akhir sudah lewat');
    // One that ended (entered while it applied) does not stand in the way of a new one.
    await t.services.exemptions.insert({
      pactId: pact.id,
      userId: ani.id,
      reason: 'cuti_panjang',
      note: null,
      startsOn: addDays(today(), -9),
      endsOn: yesterday,
      startsAt: t.services.timeZone.instantOf(`${addDays(today(), -9)}T00:00`) as Date,
      endsAt: t.services.timeZone.instantOf(`${today()}T00:00`) as Date,
      createdBy: null,
      createdAt: t.clock.now(),
    });
    expect(pageText((await report(agent)).text)).not.toContain('Dikecualikan');
    expect((await exempt(agent, {})).status).toBe(303);
    const [current] = await t.services.exemptions.ofUnit(pact.id, unit.id);
    await postForm(agent, `/admin/pakta/${pact.id}`, `/admin/pakta/${pact.id}/tutup`, {});
    const lift = await postForm(
      agent,
      `/admin/kepatuhan/${pact.id}/unit/${unit.id}`,
      `/admin/kepatuhan/${pact.id}/pengecualian/${current?.id}/cabut`,
      {},
    );
    expect(lift.status).toBe(409);
    expect(await t.services.exemptions.unliftedOf(pact.id, ani.id)).toEqual({ id: current?.id });
  });

  it('counts and lists only who the rule leaves out: not a disabled person, not a former head', async () => {
    const { agent } = await loggedInAdmin(t);
    expect((await exempt(agent, {})).status).toBe(303);
    await t.services.users.setStatus(ani.id, 'disabled', t.clock.now());
    expect(await summary()).toMatchObject({ required: 1, exempt: 0 });
    expect(pageText((await report(agent)).text)).not.toContain('Dikecualikan');

    // A heads pact: the head is excused, then another person heads the unit.
    pact = await makePact(t.services, { audience: 'heads' });
    await t.services.units.setHead(unit.id, budi.id, t.clock.now());
    expect((await exempt(agent, {}, budi)).status).toBe(303);
    expect(await summary()).toMatchObject({ required: 0, exempt: 1, state: 'not_required' });
    const citra = await t.make.user({ unitId: unit.id, fullName: 'Citra Dewi' });
    await t.services.units.setHead(unit.id, citra.id, t.clock.now());
    expect(await summary()).toMatchObject({ required: 1, exempt: 0 });
    const csv = (await agent.get(`/admin/kepatuhan/${pact.id}/unit/${unit.id}?format=csv`)).text;
    expect(csv).toContain('Citra Dewi');
    expect(csv).not.toContain('Budi Santoso');
  });

  it('is history to the database: never changed but by its lifting, never deleted', async () => {
    const { agent } = await loggedInAdmin(t);
    expect((await exempt(agent, {})).status).toBe(303);
    const move = sql`UPDATE pact_exemptions SET starts_at = '2099-01-01T00:00:00.000Z'`;
    await expect(move.execute(t.db.q)).rejects.toThrow(/cannot be changed/);
    await expect(sql`DELETE FROM pact_exemptions`.execute(t.db.q)).rejects.toThrow(/cannot be deleted/);
  });

  it('keeps operators to their own subtree and signers out', async () => {
    const elsewhere = await t.make.unit({ name: 'Dinas Lain' });
    const { agent: stranger } = await loggedInAs(t, 'operator', { unitId: elsewhere.id });
    expect((await stranger.get(`/admin/kepatuhan/${pact.id}/pengecualian/baru?orang=${ani.id}`)).status).toBe(
      404,
    );
    expect((await exempt(stranger, {})).status).toBe(404);
    const { agent: signer } = await loggedInAs(t, 'signer', { unitId: unit.id });
    expect((await exempt(signer, {})).status).toBe(403);
    expect(await t.services.exemptions.ofUnit(pact.id, unit.id)).toEqual([]);
  });

  it('moves the cached numbers when an exemption begins, though nothing was written then', async () => {
    const { agent } = await loggedInAdmin(t);
    await report(agent);
    const begins = new Date(Date.now() + 1200);
    await t.services.exemptions.insert({
      pactId: pact.id,
      userId: ani.id,
      reason: 'pensiun',
      note: null,
      startsOn: t.services.timeZone.dayOf(begins),
      endsOn: null,
      startsAt: begins,
      endsAt: null,
      createdBy: null,
      createdAt: t.clock.now(),
    });
    expect(await summary()).toMatchObject({ required: 2, exempt: 0 });
    const publicPage = () => request(t.app).get(`/kepatuhan/${pact.id}`);
    expect(pageText((await publicPage()).text)).not.toContain('dikecualikan');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await summary()).toMatchObject({ required: 1, exempt: 1 });
    expect(pageText((await publicPage()).text)).toContain('1 orang dikecualikan');
  });

  it('shows an exemption that begins later as not yet in force, and the person still required', async () => {
    const { agent } = await loggedInAdmin(t);
    const later = new Date(t.clock.now().getTime() + 5 * 24 * 60 * 60 * 1000);
    expect((await exempt(agent, { starts_on: t.services.timeZone.dayOf(later) })).status).toBe(303);
    const page = pageText((await report(agent)).text);
    expect(page).toContain('belum berlaku');
    expect(page).toContain('Belum menandatangani (2)');
  });
});
