import { sql } from 'kysely';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/record-event.js';
import { inTransaction } from '../../src/db/database.js';
import type { HeadAppointment } from '../../src/directory/head-kind.js';
import type { Unit, User } from '../../src/directory/types.js';
import { setUnitHead } from '../../src/directory/units/set-unit-head.js';
import { appendEntry } from '../../src/ledger/append-entry.js';
import { newPersonSalt, signFacts } from '../../src/pledges/ledger-facts.js';
import { formatReceiptCode } from '../../src/pledges/receipt-code.js';
import type { NewSignature } from '../../src/pledges/signature-repository.js';
import type { Pact } from '../../src/pledges/types.js';
import { checkRecords } from '../../src/pledges/verification/check-records.js';
import { runLedgerVerify } from '../../src/pledges/verification/verify-command.js';
import { type Agent, loggedInAs, pageText } from '../helpers/http.js';
import { binaryParser, makePact, pdfText, postForm, signAs, signThroughForm } from '../helpers/pacts.js';
import { dropTriggers } from '../helpers/tamper.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// 10.00 WIB on 10 March 2026: "today" on the instance's calendar is 2026-03-10.
const NOW = '2026-03-10T03:00:00.000Z';
const PLT: HeadAppointment = { kind: 'plt', since: '2026-03-02', decree: '800/1234/2026' };

/** A unit's head can be definitive, Plt or Plh; signatures keep what their signer was when signing. */
describe('acting heads (Plt, Plh)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
    t.clock.set(NOW);
  });
  afterEach(() => t.close());

  const dinkes = () => t.make.unit({ code: 'DINKES', name: 'Dinas Kesehatan' });
  const unitEvents = async () =>
    (await t.services.audit.recent(1000)).filter((e) => e.action.startsWith('unit.'));
  const headForm = (agent: Agent, unit: Unit, fields: Record<string, string>) =>
    postForm(agent, `/admin/unit/${unit.id}`, `/admin/unit/${unit.id}/kepala`, fields);
  const pltFields = (user: User, overrides: Record<string, string> = {}) => ({
    head_user_id: String(user.id),
    head_kind: 'plt',
    head_since: '2026-03-02',
    head_decree: '800/1234/2026',
    ...overrides,
  });
  const appoint = async (unit: Unit, user: User, appointment: HeadAppointment) => {
    const done = await setUnitHead(t.services, {
      unitId: unit.id,
      userId: user.id,
      appointment,
      scope: { kind: 'all' },
      actor: systemActor,
    });
    expect(done.ok).toBe(true);
  };
  /** A member whose own post is not the head's, as an acting head's is. */
  const secretary = async (unit: Unit, fullName: string) => {
    const user = await t.make.user({ unitId: unit.id, fullName });
    await t.services.users.update(user.id, { ...user, position: `Sekretaris ${unit.name}` }, t.clock.now());
    return (await t.services.users.findById(user.id)) as User;
  };
  const headsPact = (unit: Unit) => makePact(t.services, { audience: 'heads', unitIds: [unit.id] });
  const receiptText = async (agent: Agent, code: string) =>
    pageText((await agent.get(`/tanda-terima/${code}`)).text);
  const pdfOf = async (agent: Agent, code: string) =>
    pdfText((await agent.get(`/tanda-terima/${code}.pdf`).buffer(true).parse(binaryParser)).body as Buffer);
  const publicList = async (pact: Pact) => pageText((await request(t.app).get(`/kepatuhan/${pact.id}`)).text);

  describe('choosing one on the unit page', () => {
    it('sets a Plt with the day and the SK, shows them on the unit pages and audits them', async () => {
      const { user: admin, agent } = await loggedInAs(t, 'admin');
      const unit = await dinkes();
      const ratna = await t.make.user({ unitId: unit.id, fullName: 'Ratna Kusumawati' });

      const res = await headForm(agent, unit, pltFields(ratna));
      expect(res.status).toBe(303);
      expect(await t.services.units.findById(unit.id)).toMatchObject({
        headUserId: ratna.id,
        headKind: 'plt',
        headSince: '2026-03-02',
        headDecree: '800/1234/2026',
      });
      const page = await agent.get(`/admin/unit/${unit.id}`);
      expect(page.text).toContain('Kepala unit ditetapkan.');
      expect(pageText(page.text)).toContain(
        'Ratna Kusumawati Plt. (Pelaksana Tugas) · sejak 2 Maret 2026 · SK 800/1234/2026',
      );
      expect(page.text).toContain('<option value="plt" selected>');
      expect(page.text).toContain('value="2026-03-02"');
      expect(page.text).toContain('value="800/1234/2026"');
      const row = /<tr data-unit-id="\d+"[\s\S]*?<\/tr>/.exec((await agent.get('/admin/unit')).text)?.[0];
      expect(pageText(row ?? '')).toContain('Ratna Kusumawati Plt.');
      const [event] = await unitEvents();
      expect(event).toMatchObject({ action: 'unit.head_set', actorUserId: admin.id });
      expect(event?.details).toMatchObject({
        fromUserId: null,
        toUserId: ratna.id,
        kind: 'plt',
        since: '2026-03-02',
        decree: '800/1234/2026',
      });

      // The same again changes nothing; made definitive, the same person is a change of its own.
      expect((await headForm(agent, unit, pltFields(ratna))).status).toBe(303);
      expect((await agent.get(`/admin/unit/${unit.id}`)).text).toContain('Tidak ada yang berubah.');
      await headForm(
        agent,
        unit,
        pltFields(ratna, { head_kind: 'definitif', head_since: '', head_decree: '' }),
      );
      expect(await t.services.units.findById(unit.id)).toMatchObject({
        headUserId: ratna.id,
        headKind: 'definitif',
        headSince: null,
        headDecree: null,
      });
      expect((await unitEvents()).map((e) => e.details)).toEqual([
        expect.objectContaining({ fromKind: 'plt', kind: 'definitif', since: null, decree: null }),
        expect.objectContaining({ kind: 'plt' }),
      ]);

      // Clearing the head clears the appointment, whatever the form still says.
      await headForm(agent, unit, pltFields(ratna, { head_user_id: '', head_kind: 'plh' }));
      expect(await t.services.units.findById(unit.id)).toMatchObject({
        headUserId: null,
        headKind: 'definitif',
        headSince: null,
        headDecree: null,
      });
    });

    it.each([
      [
        'no SK for a Plt',
        { head_decree: '' },
        422,
        'Isi nomor SK penunjukan untuk Plt atau Plh.',
        'head_decree',
      ],
      [
        'no day for a Plh',
        { head_kind: 'plh', head_since: '' },
        422,
        'Isi tanggal mulai menjabat',
        'head_since',
      ],
      ['a day after today', { head_since: '2026-03-11' }, 422, 'tidak boleh setelah hari ini', 'head_since'],
      [
        'a day that does not exist',
        { head_since: '2026-02-30' },
        400,
        'Tanggal mulai menjabat tidak sah',
        'head_since',
      ],
      [
        'a day of another century',
        { head_since: '1999-12-31' },
        400,
        'Tanggal mulai menjabat tidak sah',
        'head_since',
      ],
      [
        'an SK number without a digit',
        { head_decree: 'SK Gubernur' },
        400,
        'Nomor SK harus memuat angka',
        'head_decree',
      ],
      [
        'an SK number too long',
        { head_decree: `800/${'1'.repeat(100)}` },
        400,
        'terlalu panjang',
        'head_decree',
      ],
      ['an unknown kind', { head_kind: 'pj' }, 400, 'Status kepala tidak dikenal.', 'head_kind'],
    ])(
      'refuses %s beside the field, keeps what was typed and writes nothing',
      async (_case, fields, status, message, field) => {
        const { agent } = await loggedInAs(t, 'admin');
        const unit = await dinkes();
        const ratna = await t.make.user({ unitId: unit.id, fullName: 'Ratna Kusumawati' });
        const typed = pltFields(ratna, fields);

        const res = await headForm(agent, unit, typed);
        expect(res.status).toBe(status);
        expect(res.text).toContain(`id="${field}-error"`);
        expect(pageText(res.text)).toContain(message);
        expect(res.text).toContain(`<option value="${ratna.id}" selected>`);
        if (typed.head_kind !== 'pj')
          expect(res.text).toContain(`<option value="${typed.head_kind}" selected>`);
        if (typed.head_since) expect(res.text).toContain(`value="${typed.head_since}"`);
        if (typed.head_decree) expect(res.text).toContain(`value="${typed.head_decree}"`);
        expect(await t.services.units.findById(unit.id)).toMatchObject({
          headUserId: null,
          headKind: 'definitif',
        });
        expect(await unitEvents()).toEqual([]);
      },
    );

    it("takes today on the instance's calendar, not UTC's", async () => {
      const { agent } = await loggedInAs(t, 'admin');
      const unit = await dinkes();
      const ratna = await t.make.user({ unitId: unit.id });
      // 01.00 WIB on 11 March is still 10 March in UTC.
      t.clock.set('2026-03-10T18:00:00.000Z');
      expect((await headForm(agent, unit, pltFields(ratna, { head_since: '2026-03-11' }))).status).toBe(303);
      expect((await t.services.units.findById(unit.id))?.headSince).toBe('2026-03-11');
    });

    it("refuses a new head who would keep the predecessor's SK, as the form filled in for them would", async () => {
      const unit = await dinkes();
      const before = await t.make.user({ unitId: unit.id, fullName: 'Kepala Lama' });
      const after = await t.make.user({ unitId: unit.id, fullName: 'Kepala Baru' });
      await appoint(unit, before, PLT);
      const { agent } = await loggedInAs(t, 'admin');
      const carried = await headForm(agent, unit, pltFields(after));
      expect(carried.status).toBe(422);
      expect(pageText(carried.text)).toContain('Nomor SK ini milik kepala sebelumnya');
      expect((await t.services.units.findById(unit.id))?.headUserId).toBe(before.id);
      expect((await headForm(agent, unit, pltFields(after, { head_decree: '800/2001/2026' }))).status).toBe(
        303,
      );
      expect(await t.services.units.findById(unit.id)).toMatchObject({
        headUserId: after.id,
        headDecree: '800/2001/2026',
      });
    });

    it('lets an operator appoint a Plt in their subtree, and nowhere else', async () => {
      const setda = await t.make.unit({ code: 'SETDA', name: 'Sekretariat Daerah', kind: 'sekretariat' });
      const biro = await t.make.unit({ code: 'BIRO', name: 'Biro Hukum', kind: 'biro', parentId: setda.id });
      const other = await dinkes();
      const { user: operator, agent } = await loggedInAs(t, 'operator', { unitId: biro.id });
      const member = await t.make.user({ unitId: biro.id });
      const outsider = await t.make.user({ unitId: other.id });

      expect((await headForm(agent, biro, pltFields(member))).status).toBe(303);
      expect((await t.services.units.findById(biro.id))?.headKind).toBe('plt');
      expect((await unitEvents())[0]).toMatchObject({ action: 'unit.head_set', actorUserId: operator.id });

      const crafted = await postForm(agent, '/akun', `/admin/unit/${other.id}/kepala`, pltFields(outsider));
      expect(crafted.status).toBe(404);
      expect(await t.services.units.findById(other.id)).toMatchObject({
        headUserId: null,
        headKind: 'definitif',
      });
      expect(await unitEvents()).toHaveLength(1);
    });
  });

  describe('signing as one', () => {
    it.each([
      ['plt', 'Plt. Kepala Dinas Kesehatan'],
      ['plh', 'Plh. Kepala Dinas Kesehatan'],
    ] as const)(
      'a %s head must sign a heads pact, and the receipt and public list say "%s"',
      async (kind, title) => {
        const unit = await dinkes();
        const { user, agent } = await loggedInAs(t, 'signer', {
          unitId: unit.id,
          fullName: 'Ratna Kusumawati',
        });
        await t.services.users.update(
          user.id,
          { ...user, position: 'Sekretaris Dinas Kesehatan' },
          t.clock.now(),
        );
        await appoint(unit, user, { ...PLT, kind });
        const pact = await headsPact(unit);
        expect(await t.services.pacts.requirement(pact.id, user.id)).toEqual({ asHead: true });
        expect(pageText((await agent.get('/pakta')).text)).toContain(pact.title);
        expect(pageText((await agent.get(`/pakta/${pact.id}`)).text)).toContain(
          `Jabatan : Sekretaris Dinas Kesehatan Selaku : ${title} Unit Kerja : Dinas Kesehatan`,
        );
        expect(await publicList(pact)).toContain(`Ratna Kusumawati ${title} · Sekretaris Dinas Kesehatan`);

        const res = await signThroughForm(agent, pact.id, { consent: '1', full_name: 'Ratna Kusumawati' });
        expect(res.status).toBe(303);
        const code = String(res.headers.location).split('/').pop() as string;
        expect(await t.services.signatures.findByReceiptCode(code)).toMatchObject({
          wasHead: true,
          headKind: kind,
        });
        expect(await receiptText(agent, code)).toContain(
          `Jabatan : Sekretaris Dinas Kesehatan Selaku : ${title}`,
        );
        expect(await pdfOf(agent, code)).toContain(
          `Jabatan : Sekretaris Dinas Kesehatan Selaku : ${title} Unit Kerja : Dinas Kesehatan`,
        );
        const list = await publicList(pact);
        expect(list).toContain('1 dari 1 sudah menandatangani');
        expect(list).toContain(`Ratna Kusumawati ${title} · Sekretaris Dinas Kesehatan`);
      },
    );

    it('drops no signature when the head changes: the earlier one stays valid, the new head must sign', async () => {
      const unit = await dinkes();
      const bambang = await secretary(unit, 'Bambang Setiawan');
      await t.services.users.update(
        bambang.id,
        { ...bambang, position: 'Kepala Dinas Kesehatan' },
        t.clock.now(),
      );
      const ratna = await secretary(unit, 'Ratna Kusumawati');
      const sri = await secretary(unit, 'Sri Wahyuni');
      await t.services.units.setHead(unit.id, bambang.id, t.clock.now());
      const pact = await headsPact(unit);
      const bambangCode = await signAs(t.services, pact, bambang);

      // Bambang leaves the post; Ratna acts for it.
      await appoint(unit, ratna, PLT);
      const bambangSigned = await t.services.signatures.findByReceiptCode(bambangCode);
      expect(bambangSigned).toMatchObject({ status: 'valid', wasHead: true, headKind: 'definitif' });
      expect(await t.services.signatures.findValid(pact.id, bambang.id)).toEqual(bambangSigned);
      expect(
        pageText((await request(t.app).get(`/verifikasi/${formatReceiptCode(bambangCode)}`)).text),
      ).toContain('SAH — tanda terima ini tercatat dan berlaku.');
      // As for any head replaced: the pact now asks Ratna, and Bambang's signature counts no more towards it.
      expect(await t.services.pacts.requirement(pact.id, bambang.id)).toBeUndefined();
      expect(await t.services.pacts.requirement(pact.id, ratna.id)).toEqual({ asHead: true });
      expect(await t.services.complianceCache.forPact(pact)).toMatchObject({ required: 1, signed: 0 });
      const ratnaCode = await signAs(t.services, pact, ratna);
      expect(await t.services.complianceCache.forPact(pact)).toMatchObject({ required: 1, signed: 1 });

      // Sri is appointed definitively: Ratna's receipt still says she signed as Plt, the list names Sri plainly.
      await appoint(unit, sri, { kind: 'definitif', since: '2026-03-09', decree: '821.2/77/2026' });
      const { agent: admin } = await loggedInAs(t, 'admin');
      expect(await receiptText(admin, ratnaCode)).toContain('Selaku : Plt. Kepala Dinas Kesehatan');
      expect(await pdfOf(admin, ratnaCode)).toContain('Selaku : Plt. Kepala Dinas Kesehatan');
      expect(await receiptText(admin, bambangCode)).not.toContain('Selaku');
      const list = await publicList(pact);
      expect(list).toContain('Sri Wahyuni Sekretaris Dinas Kesehatan');
      expect(list).not.toContain('Plt.');
      expect((await t.services.signatures.findByReceiptCode(ratnaCode))?.status).toBe('valid');
      expect(await checkRecords(t.services, t.clock, { record: false })).toMatchObject({
        ok: true,
        entries: 2,
      });
    });

    it('cannot be changed on a signature once made', async () => {
      const unit = await dinkes();
      const ratna = await t.make.user({ unitId: unit.id });
      await appoint(unit, ratna, PLT);
      await signAs(t.services, await headsPact(unit), ratna);
      await expect(sql`UPDATE signatures SET head_kind = 'definitif'`.execute(t.db.q)).rejects.toThrow(
        /a signature cannot be changed/,
      );
      // Changed behind the app's back, it no longer matches its ledger entry.
      await dropTriggers(t.db, ['signatures_facts_frozen']);
      await sql`UPDATE signatures SET head_kind = 'definitif'`.execute(t.db.q);
      expect(await checkRecords(t.services, t.clock, { record: false })).toMatchObject({
        ok: false,
        problem: expect.stringMatching(/^tanda tangan #\d+: berbeda dari entri buku besar #1$/),
      });
    });
  });

  describe('in the ledger', () => {
    /** A head's signing as every one was written before acting heads were recorded: no kind on the row. */
    async function signedBeforeActingHeads(pact: Pact, head: User, unit: Unit): Promise<string> {
      return inTransaction(t.db, async () => {
        await t.services.ledger.lockForAppend();
        const signature: NewSignature = {
          pactId: pact.id,
          userId: head.id,
          fullName: head.fullName,
          nip: head.nip,
          position: head.position,
          pangkat: null,
          unitId: unit.id,
          unitName: unit.name,
          wasHead: true,
          headKind: null,
          signedAt: t.clock.now().toISOString(),
          ip: null,
          userAgent: null,
          signaturePng: null,
          signatureSha256: null,
          pactBodySha256: pact.bodySha256 as string,
          receiptCode: 'LAMA2345LAMA2345',
          method: 'online',
          paper: null,
          personSalt: newPersonSalt(),
        };
        const id = await t.services.signatures.insert(signature);
        const entry = await appendEntry(t.services.ledger, {
          kind: 'sign',
          signatureId: id,
          at: t.clock.now(),
          facts: signFacts({ ...signature, id }, pact.version),
        });
        await t.services.signatures.setLedgerSeq(id, entry.seq);
        return signature.receiptCode;
      });
    }

    it('records the kind of a signing as head only, so that older entries still verify', async () => {
      const unit = await dinkes();
      const old = await t.make.user({ unitId: unit.id, fullName: 'Bambang Setiawan' });
      const staff = await t.make.user({ unitId: unit.id });
      const ratna = await t.make.user({ unitId: unit.id });
      await t.services.units.setHead(unit.id, old.id, t.clock.now());
      const heads = await headsPact(unit);
      const all = await makePact(t.services, { audience: 'all', unitIds: [unit.id] });
      const oldCode = await signedBeforeActingHeads(heads, old, unit);
      await signAs(t.services, all, staff);
      await appoint(unit, ratna, PLT);
      await signAs(t.services, heads, ratna);

      const payloads = (
        await sql<{ payload: string }>`SELECT payload FROM ledger ORDER BY seq`.execute(t.db.q)
      ).rows.map((row) => JSON.parse(row.payload) as Record<string, unknown>);
      // What every sign entry holds when its signer was no head (or signed before acting heads existed), key for key:
      // the signer's personal data only as the `person` commitment (migration 028).
      const before = [
        'at',
        'format',
        'kind',
        'pactBodySha256',
        'pactId',
        'pactVersion',
        'person',
        'receiptCode',
        'signatureId',
        'signatureSha256',
        'unitId',
        'unitName',
        'userId',
        'wasHead',
      ];
      expect(Object.keys(payloads[0] ?? {}).sort()).toEqual(before);
      expect(payloads[0]).toMatchObject({ wasHead: true });
      expect(Object.keys(payloads[1] ?? {}).sort()).toEqual(before);
      expect(payloads[2]).toMatchObject({ wasHead: true, headKind: 'plt' });

      const { agent: admin } = await loggedInAs(t, 'admin');
      expect(await receiptText(admin, oldCode)).not.toContain('Selaku');
      expect(await checkRecords(t.services, t.clock, { record: false })).toMatchObject({
        ok: true,
        entries: 3,
      });
      const lines: string[] = [];
      const output = { log: (l: string) => lines.push(l), error: (l: string) => lines.push(l) };
      expect(await runLedgerVerify(t.config, output)).toBe(0);
      expect(lines.join()).toContain('semua tanda tangan cocok');
    });
  });
});
