import { createHash } from 'node:crypto';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/record-event.js';
import { hashPassword } from '../../src/credentials/password.js';
import { formatNip } from '../../src/directory/nip.js';
import type { Unit, User } from '../../src/directory/types.js';
import { createUser } from '../../src/directory/users/save-user.js';
import { exemptPerson } from '../../src/pledges/exemptions/exempt-person.js';
import { closePact } from '../../src/pledges/pacts/close-pact.js';
import { formatReceiptCode } from '../../src/pledges/receipt-code.js';
import { removeExpiredImages } from '../../src/pledges/retention/remove-expired-images.js';
import type { Pact } from '../../src/pledges/types.js';
import { deliverRun, requestReminders } from '../../src/reminders/send-reminders.js';
import { DEMO_PASSWORD, seedDemo } from '../../src/seed/demo.js';
import { personFactory, seededRandom } from '../../src/seed/people.js';
import { type Agent, browser, loggedInAdmin, logIn, pageText } from '../helpers/http.js';
import {
  binaryParser,
  makePact,
  pngDataUrl,
  postForm,
  signaturePng,
  signThroughForm,
} from '../helpers/pacts.js';
import { pdfText } from '../helpers/pdf.js';
import { pdfsig, popplerLines, popplerPageCount } from '../helpers/poppler.js';
import { reminderSenderFor } from '../helpers/reminders.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const VOID_REASON = 'Ditandatangani oleh orang lain di ruang rapat.';
const DAY_MATCH = /^attachment; filename="data-pribadi-ikrar-\d{4}-\d{2}-\d{2}\.(json|pdf)"$/;

/** What the JSON export holds, as far as these tests read it. */
interface Export {
  schema: string;
  schemaVersion: number;
  generatedAt: string;
  instance: { name: string; url: string };
  profile: Record<string, unknown>;
  signings: {
    pact: { title: string; version: number };
    signedAt: string;
    method: string;
    receiptCode: string;
    status: string;
    voided: { at: string; by: string; reason: string } | null;
    ip: string | null;
    drawnSignature: {
      sha256: string;
      imageKept: boolean;
      removed: { at: string; why: string } | null;
      image: string | null;
    } | null;
  }[];
  receipts: { code: string; verify: string; status: string }[];
  reminders: { pact: { title: string }; kind: string; status: string; requestedBy: string | null }[];
  mails: { to: string; subject: string; status: string }[];
  exemptions: { pact: { title: string }; reason: string; createdBy: string | null }[];
  signatureViews: { at: string; viewer: string; viewerRole: string; format: string; receiptCode: string }[];
  auditLog: {
    limit: number;
    complete: boolean;
    events: {
      action: string;
      involvement: string;
      actor: string | null;
      ip: string | null;
      target: { type: string; id: string | null } | null;
      details: Record<string, unknown> | null;
    }[];
  };
}

describe("a person's own data", () => {
  let t: TestApp;
  let unit: Unit;
  let rina: User;
  let other: User;
  let admin: User;
  let adminAgent: Agent;
  let rinaAgent: Agent;
  let drawn: Buffer;
  let pacts: { drawn: Pact; voided: Pact; exempt: Pact };
  let codes: { drawn: string; voided: string; other: string };

  /** The receipt code a signing led to, grouped as the pages show it. */
  const receiptCodeOf = (location: string | undefined) =>
    formatReceiptCode(decodeURIComponent(location?.split('/').pop() ?? ''));

  beforeEach(async () => {
    t = await createTestApp({ BASE_URL: 'https://ikrar.uji.test' });
    unit = await t.make.unit({ name: 'Badan Kepegawaian Daerah' });
    rina = await t.make.user({ unitId: unit.id, fullName: 'Rina Handayani', email: 'rina@uji.test' });
    other = await t.make.user({ unitId: unit.id, fullName: 'Joko Susilo', email: 'joko@uji.test' });
    ({ admin, agent: adminAgent } = await loggedInAdmin(t, 'Admin BKD'));
    pacts = {
      drawn: await makePact(t.services, { title: 'Pakta Netralitas Pemilu' }),
      voided: await makePact(t.services, { title: 'Pakta Netralitas Pilkada' }),
      exempt: await makePact(t.services, { title: 'Pakta Netralitas Kepala Desa' }),
    };

    // Rina signs one pact with a drawing and another with her typed name.
    rinaAgent = browser(t.app);
    await logIn(rinaAgent, 'rina@uji.test');
    drawn = signaturePng();
    const first = await signThroughForm(rinaAgent, pacts.drawn.id, {
      consent: '1',
      full_name: 'Rina Handayani',
      signature: pngDataUrl(drawn),
    });
    const second = await signThroughForm(rinaAgent, pacts.voided.id, {
      consent: '1',
      full_name: 'Rina Handayani',
      signature: '',
    });
    // Joko signs too: nothing of his may show in Rina's data.
    const jokoAgent = browser(t.app);
    await logIn(jokoAgent, 'joko@uji.test');
    const jokos = await signThroughForm(jokoAgent, pacts.drawn.id, {
      consent: '1',
      full_name: 'Joko Susilo',
      signature: pngDataUrl(signaturePng({ width: 280 })),
    });
    codes = {
      drawn: receiptCodeOf(first.headers.location),
      voided: receiptCodeOf(second.headers.location),
      other: receiptCodeOf(jokos.headers.location),
    };

    // The admin opens Rina's receipt with her drawing (recorded), and voids her second signing.
    expect((await adminAgent.get(`/tanda-terima/${codes.drawn}`)).status).toBe(200);
    expect((await adminAgent.get(`/tanda-terima/${codes.other}.pdf`)).status).toBe(200);
    const voided = await postForm(
      adminAgent,
      `/tanda-terima/${codes.voided}`,
      `/tanda-terima/${codes.voided}/batal`,
      {
        reason: VOID_REASON,
      },
    );
    expect(voided.status).toBe(303);

    // She is reminded of the pact she must sign again (the mail is kept in the outbox: no SMTP here).
    const { sender } = reminderSenderFor(t.services);
    const voidedPact = pacts.voided;
    const run = await requestReminders(sender, {
      pact: voidedPact,
      units: (await t.services.complianceCache.forPact(voidedPact)).units,
      unitId: unit.id,
      scopeUnitId: null,
      actor: { userId: admin.id, ip: null, userAgent: null },
    });
    await deliverRun(sender, run.id);

    // And excused from a third.
    const exempted = await exemptPerson(t.services, {
      pactId: pacts.exempt.id,
      userId: rina.id,
      reason: 'tugas_belajar',
      note: null,
      startsOn: t.services.timeZone.dayOf(t.clock.now()),
      endsOn: null,
      manager: admin,
      actor: { userId: admin.id, ip: null, userAgent: null },
    });
    expect(exempted.ok).toBe(true);
  });
  afterEach(() => t.close());

  const json = async (agent: Agent) => {
    const res = await agent.get('/akun/data.json');
    expect(res.status).toBe(200);
    return { res, data: JSON.parse(res.text) as Export };
  };

  it('lists everything on the page, each section saying so when it is empty', async () => {
    const res = await rinaAgent.get('/akun/data');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const text = pageText(res.text);
    expect(text).toContain('Data pribadi Anda');
    expect(text).toContain(`NIP ${formatNip(rina.nip as string)}`);
    expect(text).toContain('rina@uji.test');
    for (const title of [
      'Pakta Netralitas Pemilu',
      'Pakta Netralitas Pilkada',
      'Pakta Netralitas Kepala Desa',
    ]) {
      expect(text).toContain(title);
    }
    expect(res.text).toContain(`<a href="/tanda-terima/${codes.drawn}">${codes.drawn}</a>`);
    expect(text).toContain(`Dibatalkan`);
    expect(text).toContain(VOID_REASON);
    expect(text).toContain('Pengingat menandatangani');
    expect(text).toContain('Disimpan di kotak keluar (tidak dikirim)');
    expect(text).toContain('Tugas belajar');
    // Who saw her drawing: the admin, by name and role.
    expect(res.text).toMatch(/<td data-label="Dilihat oleh">\s*Admin BKD/);
    expect(res.text).toMatch(/<td data-label="Peran">\s*Admin/);
    expect(text).not.toContain('Joko Susilo');
    expect(text).not.toContain(codes.other);
    // Stacked on a phone.
    expect(res.text).toContain('class="table table-sm small table-stack"');
    expect(res.text).toContain('href="/akun/data.pdf"');
    expect(res.text).toContain('href="/akun/data.json"');

    // Someone who has done nothing yet: every section says there is nothing.
    const newcomer = await t.make.user({ email: 'baru@uji.test', fullName: 'Pegawai Baru', unitId: unit.id });
    const agent = browser(t.app);
    await logIn(agent, 'baru@uji.test');
    const empty = pageText((await agent.get('/akun/data')).text);
    expect(newcomer.id).toBeGreaterThan(0);
    for (const message of [
      'Belum ada penandatanganan pakta atas nama Anda.',
      'Belum ada tanda terima atas nama Anda.',
      'Belum ada pengingat yang dikirim kepada Anda.',
      'Belum ada surat email ke alamat Anda.',
      'Belum ada pengecualian atas nama Anda.',
      'Belum ada orang lain yang melihat gambar tanda tangan Anda.',
    ]) {
      expect(empty).toContain(message);
    }
  });

  it('downloads all of it as one JSON document, the drawing as it was drawn, and records the download', async () => {
    const { res, data } = await json(rinaAgent);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(DAY_MATCH);
    expect(res.headers['cache-control']).toBe('no-store');

    expect(data.schema).toBe('ikrar.personal-data');
    expect(data.schemaVersion).toBe(1);
    expect(new Date(data.generatedAt).toISOString()).toBe(data.generatedAt);
    expect(data.instance.url).toBe('https://ikrar.uji.test');
    expect(data.profile).toMatchObject({
      id: rina.id,
      fullName: 'Rina Handayani',
      nip: rina.nip,
      email: 'rina@uji.test',
      unit: { id: unit.id, name: 'Badan Kepegawaian Daerah' },
      role: 'signer',
      status: 'active',
    });
    expect(data.profile).not.toHaveProperty('passwordHash');

    const byTitle = new Map(data.signings.map((signing) => [signing.pact.title, signing]));
    const withDrawing = byTitle.get('Pakta Netralitas Pemilu');
    expect(withDrawing).toMatchObject({
      method: 'online',
      receiptCode: codes.drawn,
      status: 'valid',
      voided: null,
    });
    expect(withDrawing?.drawnSignature?.imageKept).toBe(true);
    expect(withDrawing?.drawnSignature?.image).toBe(pngDataUrl(drawn));
    expect(new Date(withDrawing?.signedAt ?? '').toISOString()).toBe(withDrawing?.signedAt);
    expect(byTitle.get('Pakta Netralitas Pilkada')).toMatchObject({
      receiptCode: codes.voided,
      status: 'voided',
      voided: { by: 'Admin BKD', reason: VOID_REASON },
      drawnSignature: null,
    });
    expect(data.receipts.map((receipt) => receipt.verify).sort()).toEqual(
      [codes.drawn, codes.voided].map((code) => `https://ikrar.uji.test/verifikasi/${code}`).sort(),
    );

    expect(data.reminders).toEqual([
      expect.objectContaining({
        pact: expect.objectContaining({ title: 'Pakta Netralitas Pilkada' }),
        kind: 'reminder',
        status: 'kept',
        requestedBy: 'Admin BKD',
      }),
    ]);
    expect(data.mails).toEqual([
      expect.objectContaining({
        to: 'rina@uji.test',
        status: 'kept',
        subject: expect.stringContaining('Pakta Netralitas Pilkada'),
      }),
    ]);
    expect(JSON.stringify(data.mails)).not.toContain('body');
    expect(data.exemptions).toEqual([
      expect.objectContaining({
        pact: expect.objectContaining({ title: 'Pakta Netralitas Kepala Desa' }),
        reason: 'tugas_belajar',
        createdBy: 'Admin BKD',
      }),
    ]);
    // The admin saw her drawing once (the page); Joko's receipt the admin opened is not hers.
    expect(data.signatureViews).toEqual([
      expect.objectContaining({
        viewer: 'Admin BKD',
        viewerRole: 'admin',
        format: 'page',
        receiptCode: codes.drawn,
      }),
    ]);

    const actions = data.auditLog.events.map((event) => `${event.action}:${event.involvement}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'login.succeeded:actor',
        'signature.created:actor',
        'signature.voided:subject',
        'signature.image_viewed:subject',
        'exemption.created:subject',
      ]),
    );
    // Her own events carry her address; someone else's about her do not carry theirs.
    const events = data.auditLog.events;
    expect(events.find((event) => event.action === 'signature.image_viewed')).toMatchObject({
      actor: 'Admin BKD',
      ip: null,
    });
    expect(events.find((event) => event.action === 'login.succeeded')?.ip).toEqual(expect.any(String));
    expect(data.auditLog).toMatchObject({ limit: 200, complete: true });

    // Nothing of Joko's.
    expect(res.text).not.toContain('Joko Susilo');
    expect(res.text).not.toContain('joko@uji.test');
    expect(res.text).not.toContain(codes.other);
    expect(res.text).not.toContain(other.nip as string);

    const [exported, ...more] = (await t.services.audit.recent(50)).filter(
      (event) => event.action === 'account.data_exported',
    );
    expect(more).toEqual([]);
    expect(exported).toMatchObject({ actorUserId: rina.id, targetType: 'user', targetId: String(rina.id) });
    expect(exported?.details).toEqual({ format: 'json' });
    // The next download lists that one.
    const again = await json(rinaAgent);
    expect(again.data.auditLog.events[0]?.action).toBe('account.data_exported');
  });

  it("gives an admin their own actions without the other people's data those actions carried", async () => {
    // The admin creates an account for someone else: its audit event records that person's NIP and email.
    const newcomer = personFactory(seededRandom(20_241_126))({ bornFrom: 1980, bornTo: 1990 });
    const created = await createUser(t.services, {
      input: {
        nip: newcomer.nip,
        employeeType: 'PNS',
        email: 'intan@uji.test',
        fullName: 'Intan Permatasari',
        position: 'Analis SDM Aparatur',
        pangkat: null,
        unitId: unit.id,
        role: 'signer',
      },
      manager: admin,
      actor: { userId: admin.id, ip: '203.0.113.9', userAgent: null },
    });
    expect(created.ok).toBe(true);

    const { res, data } = await json(adminAgent);
    const events = data.auditLog.events;
    const made = events.find((event) => event.action === 'user.created');
    expect(made).toMatchObject({ involvement: 'actor', target: { type: 'user', id: null }, details: null });
    // Voiding Rina's signing, exempting her, opening her receipt and Joko's: what was done stays, not to whom.
    for (const action of ['signature.voided', 'exemption.created', 'signature.image_viewed']) {
      expect(
        events.find((event) => event.action === action),
        action,
      ).toMatchObject({
        involvement: 'actor',
        target: { id: null },
        details: null,
      });
    }
    // Their own doings that name nobody else keep their details (the reminder run names a pact and a unit).
    expect(events.find((event) => event.action === 'reminder.requested')?.details).toEqual(
      expect.objectContaining({ unit: unit.id }),
    );
    for (const theirs of [
      newcomer.nip,
      'intan@uji.test',
      'Intan Permatasari',
      VOID_REASON,
      codes.drawn,
      codes.other,
    ]) {
      expect(res.text, theirs).not.toContain(theirs);
      expect(res.text, theirs).not.toContain(theirs.replaceAll('-', ''));
    }

    // The page and the PDF say the same: the kind of record, and that its details concern someone else.
    const page = pageText((await adminAgent.get('/akun/data')).text);
    expect(page).toContain('Rincian tidak disertakan: menyangkut orang lain.');
    for (const theirs of [
      newcomer.nip,
      'intan@uji.test',
      'Intan Permatasari',
      'Rina Handayani',
      VOID_REASON,
    ]) {
      expect(page, theirs).not.toContain(theirs);
    }
    const pdf = pdfText(
      (await adminAgent.get('/akun/data.pdf').buffer(true).parse(binaryParser)).body as Buffer,
    );
    expect(pdf).toContain('Rincian tidak disertakan');
    expect(pdf).not.toContain('Intan Permatasari');
    expect(pdf).not.toContain(VOID_REASON);

    // Rina's own copy still tells her everything about her: who voided her signing, and why.
    const rinas = (await json(rinaAgent)).data.auditLog.events.find(
      (event) => event.action === 'signature.voided',
    );
    expect(rinas).toMatchObject({
      involvement: 'subject',
      actor: 'Admin BKD',
      details: { reason: VOID_REASON },
    });
  });

  it('downloads a readable PDF of the same under the letterhead, and records it', async () => {
    const res = await rinaAgent.get('/akun/data.pdf').buffer(true).parse(binaryParser);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(DAY_MATCH);
    expect(res.headers['cache-control']).toBe('no-store');
    const pdf = res.body as Buffer;
    // As a viewer shows it: the letterhead, the heading and the page numbers.
    const pages = popplerPageCount(pdf);
    expect(pages).toBeGreaterThan(1);
    const first = popplerLines(pdf, 1).join('\n');
    expect(first).toContain('SALINAN DATA PRIBADI');
    expect(first).toMatch(/^\s*Rina Handayani$/m);
    expect(popplerLines(pdf, pages).at(-1)?.trim()).toBe(`Halaman ${pages} dari ${pages}`);
    // Every cell as drawn, in order (a table's cells are side by side, so a viewer's lines interleave them).
    const text = pdfText(pdf);
    expect(text).toContain(formatNip(rina.nip as string));
    expect(text).toContain('Pakta Netralitas Pemilu');
    expect(text).toContain(codes.drawn);
    expect(text).toContain(VOID_REASON);
    expect(text).toContain('Pengingat menandatangani');
    expect(text).toContain('Tugas belajar');
    expect(text).toContain('Yang melihat gambar tanda tangan Anda');
    expect(text).toContain('Admin BKD');
    expect(text).toContain('Gambar tanda tangan yang masih disimpan');
    expect(text).not.toContain('Joko Susilo');
    expect(text).not.toContain(codes.other);
    // Sealed as receipts are: intact, and the whole document.
    expect(pdfsig(pdf).signatures).toEqual([
      expect.objectContaining({ validation: 'Signature is Valid.', totalDocumentSigned: true }),
    ]);

    const exported = (await t.services.audit.recent(50)).filter(
      (event) => event.action === 'account.data_exported',
    );
    expect(exported.map((event) => event.details)).toEqual([{ format: 'pdf' }]);
  });

  it('says when a drawing was deleted under the retention rule, keeping its hash', async () => {
    await closePact(t.services, { pactId: pacts.drawn.id, actor: systemActor });
    // The nightly job, run six years on (the app's own clock stays: sessions live on it).
    const later = new Date(t.clock.now().getTime() + 6 * 366 * DAY_MS);
    const run = await removeExpiredImages({ ...t.services, clock: { now: () => later } });
    expect(run.removed).toBeGreaterThan(0);
    const { data } = await json(rinaAgent);
    const signing = data.signings.find((one) => one.pact.title === 'Pakta Netralitas Pemilu');
    expect(signing?.drawnSignature).toMatchObject({
      imageKept: false,
      image: null,
      removed: { why: 'retention' },
      sha256: createHash('sha256').update(drawn).digest('hex'),
    });
    const page = pageText((await rinaAgent.get('/akun/data')).text);
    expect(page).toMatch(/Dihapus \d{1,2} \S+ \d{4} pukul \d{2}\.\d{2} WIB menurut masa simpan/);
  });

  it("is only ever the signed-in person's own: no id reaches another's, and visitors must sign in", async () => {
    const jokoAgent = browser(t.app);
    await logIn(jokoAgent, 'joko@uji.test');
    const { data } = await json(jokoAgent);
    expect(data.profile.fullName).toBe('Joko Susilo');
    const asked = await jokoAgent.get(`/akun/data.json?id=${rina.id}&user=${rina.id}`);
    expect(asked.text).not.toContain('Rina Handayani');
    expect((await jokoAgent.get(`/akun/data/${rina.id}`)).status).toBe(404);

    for (const path of ['/akun/data', '/akun/data.json', '/akun/data.pdf']) {
      const res = await request(t.app).get(path);
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe(`/masuk?next=${encodeURIComponent(path)}`);
    }
    expect(
      (await t.services.audit.recent(50)).filter((event) => event.action === 'account.data_exported'),
    ).toHaveLength(2);
  });
});

// The demo (DESIGN.md): Dewi Lestari and Bambang Setiawan have not signed this year's pacts, yet their data has
// something in every section an unsigned person can have; a demo signer has signings, receipts and views.
describe("the demo people's own data", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ BASE_URL: 'https://ikrar.uji.test' });
    await seedDemo(t.services, await hashPassword(DEMO_PASSWORD), { baseUrl: t.config.baseUrl });
  }, 60_000);
  afterAll(() => t?.close());

  const exportOf = async (email: string) => {
    const agent = browser(t.app);
    expect((await logIn(agent, email, DEMO_PASSWORD)).status).toBe(302);
    const res = await agent.get('/akun/data.json');
    expect(res.status).toBe(200);
    return JSON.parse(res.text) as Export;
  };

  it('shows the demo ASN, who has not signed, her reminder from the operator and its mail', async () => {
    const data = await exportOf('asn@ikrar.test');
    expect(data.profile).toMatchObject({ fullName: 'Dewi Lestari', email: 'asn@ikrar.test', role: 'signer' });
    expect(data.signings).toEqual([]);
    expect(data.receipts).toEqual([]);
    expect(data.reminders).toEqual([
      expect.objectContaining({ kind: 'reminder', status: 'kept', requestedBy: 'Sri Wahyuni' }),
    ]);
    expect(data.reminders[0]?.pact.title).toMatch(/^Pakta Integritas Netralitas Aparatur Sipil Negara/);
    expect(data.mails).toEqual([expect.objectContaining({ to: 'asn@ikrar.test', status: 'kept' })]);
    expect(data.auditLog.events.map((event) => event.action)).toContain('login.succeeded');
    // The mail links to the configured address.
    const [mail] = await t.services.outbox.page(1, 0);
    expect(mail?.body).toContain('https://ikrar.uji.test/pakta/');
  });

  it('shows the demo head his reminder and his 2023 signing on paper, recorded by the admin', async () => {
    const data = await exportOf('kepala@ikrar.test');
    expect(data.profile.fullName).toBe('Bambang Setiawan');
    expect(data.reminders).toEqual([expect.objectContaining({ requestedBy: 'Sri Wahyuni' })]);
    expect(data.mails).toHaveLength(1);
    expect(data.signings).toEqual([
      expect.objectContaining({ method: 'paper', status: 'valid', drawnSignature: null }),
    ]);
    expect(data.receipts).toHaveLength(1);
  });

  it('shows a demo head who signed their drawn signature, and who saw it', async () => {
    // The heads pact (id 1): its signers drew their signature.
    const [signature] = await t.services.signatures.latest(1, 1);
    const signer = await t.services.users.findById(signature?.userId as number);
    expect(signer?.email).toEqual(expect.any(String));
    const admin = browser(t.app);
    await logIn(admin, 'admin@ikrar.test', DEMO_PASSWORD);
    expect((await admin.get(`/tanda-terima/${signature?.receiptCode}`)).status).toBe(200);

    const data = await exportOf(signer?.email as string);
    expect(data.signings.map((signing) => signing.receiptCode)).toContain(
      formatReceiptCode(signature?.receiptCode as string),
    );
    expect(data.receipts.length).toBe(data.signings.length);
    const drawing = data.signings.find((signing) => signing.drawnSignature !== null)?.drawnSignature;
    expect(drawing).toMatchObject({
      imageKept: true,
      image: expect.stringMatching(/^data:image\/png;base64,/),
    });
    expect(data.signatureViews).toEqual([
      expect.objectContaining({ viewer: 'Administrator Ikrar', viewerRole: 'admin', format: 'page' }),
    ]);
  });
});
