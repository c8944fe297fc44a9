import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/record-event.js';
import type { User } from '../../src/directory/types.js';
import { closePact } from '../../src/pledges/pacts/close-pact.js';
import { removeExpiredImages } from '../../src/pledges/retention/remove-expired-images.js';
import { signPact } from '../../src/pledges/signing/sign-pact.js';
import type { Pact } from '../../src/pledges/types.js';
import { checkRecords } from '../../src/pledges/verification/check-records.js';
import { runLedgerVerify } from '../../src/pledges/verification/verify-command.js';
import { type Agent, browser, loggedInAdmin, logIn, pageText } from '../helpers/http.js';
import { binaryParser, makePact, pdfText, pngDataUrl, postForm, signaturePng } from '../helpers/pacts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const YEAR = 365.25 * 24 * 3_600_000;
const group = (code: string) => code.replace(/(.{4})(?=.)/g, '$1-');

describe('the retention of drawn signatures', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  // Before the real time of the run: the session store reads the test clock, the session cookie the real one.
  const now = new Date('2026-03-10T01:00:00Z');
  const drawing = signaturePng();
  const drawingSha256 = createHash('sha256').update(drawing).digest('hex');

  /** A pact signed with a drawing by `person`, then closed, `yearsAgo` years before `now`; the clock back at now. */
  async function signedAndClosed(person: User, yearsAgo: number, title: string) {
    t.clock.set(new Date(now.getTime() - yearsAgo * YEAR));
    const pact = await makePact(t.services, { title });
    const signed = await signPact(t.services, {
      pactId: pact.id,
      userId: person.id,
      consent: true,
      typedName: person.fullName,
      signatureDataUrl: pngDataUrl(drawing),
      actor: { userId: person.id, ip: '10.0.0.7', userAgent: 'uji' },
    });
    if (!signed.ok) throw new Error(`cannot sign: ${signed.reason}`);
    expect((await closePact(t.services, { pactId: pact.id, actor: systemActor })).ok).toBe(true);
    t.clock.set(now);
    return { pact: (await t.services.pacts.findById(pact.id)) as Pact, code: signed.receiptCode };
  }

  /** Two signers: one of a pact closed six years ago, one of a pact closed four years ago; one open pact too. */
  async function history() {
    const unit = await t.make.unit({ name: 'Badan Kepegawaian Daerah' });
    const lama = await t.make.user({ unitId: unit.id, fullName: 'Sri Lestari', email: 'sri@uji.test' });
    const baru = await t.make.user({ unitId: unit.id, fullName: 'Joko Susilo', email: 'joko@uji.test' });
    const old = await signedAndClosed(lama, 6, 'Pakta Netralitas Pemilu 2020');
    const recent = await signedAndClosed(baru, 4, 'Pakta Netralitas Pilkada 2022');
    const open = await makePact(t.services, { title: 'Pakta Netralitas 2026' });
    const current = await signPact(t.services, {
      pactId: open.id,
      userId: lama.id,
      consent: true,
      typedName: lama.fullName,
      signatureDataUrl: pngDataUrl(drawing),
      actor: { userId: lama.id, ip: null, userAgent: null },
    });
    if (!current.ok) throw new Error('cannot sign the open pact');
    return { lama, baru, old, recent, open: { pact: open, code: current.receiptCode } };
  }

  const imageOf = async (code: string) => {
    const signature = await t.services.signatures.findByReceiptCode(code);
    return { signature, png: await t.services.signatures.image(signature?.id as number) };
  };
  const removalEvents = async () =>
    (await t.services.audit.recent(1000)).filter((e) => e.action === 'signature.images_removed');
  const ledgerVerifies = async () => {
    const lines: string[] = [];
    const exit = await runLedgerVerify(t.config, { log: (l) => lines.push(l), error: (l) => lines.push(l) });
    return { exit, output: lines.join('\n') };
  };
  const setRetention = async (agent: Agent, years: string) => {
    const page = await agent.get('/admin/pengaturan');
    const fields = Object.fromEntries(
      [
        ...page.text.matchAll(
          /<input class="form-control[^"]*" id="(\w+)" name="\w+"\s+type="(?:text|email|tel|number)" value="([^"]*)"/g,
        ),
      ].map((m) => [m[1] as string, (m[2] as string).replace(/&#39;/g, "'").replace(/&amp;/g, '&')]),
    );
    return postForm(agent, '/admin/pengaturan', '/admin/pengaturan', { ...fields, retention_years: years });
  };

  it('deletes the drawings of a pact closed longer ago than the setting (default 5 years), keeping their hash', async () => {
    const { old, recent, open } = await history();
    const before = await imageOf(old.code);
    expect(before.png?.equals(drawing)).toBe(true);

    const run = await removeExpiredImages(t.services);
    expect(run).toMatchObject({ ran: true, removed: 1, years: 5 });

    const after = await imageOf(old.code);
    expect(after.png).toBeNull();
    expect(after.signature?.signatureSha256).toBe(drawingSha256);
    expect(after.signature?.imageRemoved).toEqual({ at: now.toISOString(), why: 'retention' });
    expect((await imageOf(recent.code)).png?.equals(drawing)).toBe(true);
    expect((await imageOf(open.code)).png?.equals(drawing)).toBe(true);

    // One system action for its one batch, with the count; a second run finds nothing and records nothing.
    const events = await removalEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorUserId: null, details: { count: 1, years: 5 } });
    expect(await removeExpiredImages(t.services)).toMatchObject({ ran: true, removed: 0 });
    expect(await removalEvents()).toHaveLength(1);

    // The ledger and every record still verify, by the command and by the full check.
    expect(await checkRecords(t.services, t.clock, { record: false })).toMatchObject({
      ok: true,
      entries: 3,
    });
    const verified = await ledgerVerifies();
    expect(verified.exit, verified.output).toBe(0);
  });

  it('keeps both when the setting is 10 years, set on the settings form (1–30, named when wrong)', async () => {
    const { old, recent } = await history();
    const { agent } = await loggedInAdmin(t);
    const wrong = await setRetention(agent, '0');
    expect(wrong.status).toBe(400);
    expect(pageText(wrong.text)).toContain('Masa simpan gambar tanda tangan harus bilangan bulat 1–30 tahun');
    expect(wrong.text).toContain('value="0"');
    expect((await setRetention(agent, '10')).status).toBe(303);
    expect((await agent.get('/admin/pengaturan')).text).toMatch(/id="retention_years"[^>]*value="10"/);

    expect(await removeExpiredImages(t.services)).toMatchObject({ removed: 0, years: 10 });
    expect((await imageOf(old.code)).png?.equals(drawing)).toBe(true);
    expect((await imageOf(recent.code)).png?.equals(drawing)).toBe(true);
    expect(await removalEvents()).toHaveLength(0);
    const changed = (await t.services.audit.recent(100)).find((e) => e.action === 'settings.updated');
    expect(changed?.details).toMatchObject({
      from: { signatureRetentionYears: 5 },
      to: { signatureRetentionYears: 10 },
    });
  });

  it('keeps the drawings of a pact nobody closed, however long past its deadline, and counts from its closing', async () => {
    const unit = await t.make.unit();
    const person = await t.make.user({ unitId: unit.id });
    t.clock.set(new Date(now.getTime() - 6 * YEAR));
    const pact = await makePact(t.services);
    const signed = await signPact(t.services, {
      pactId: pact.id,
      userId: person.id,
      consent: true,
      typedName: person.fullName,
      signatureDataUrl: pngDataUrl(drawing),
      actor: { userId: person.id, ip: null, userAgent: null },
    });
    t.clock.set(now);
    if (!signed.ok) throw new Error('cannot sign');
    const open = (await t.services.pacts.findById(pact.id)) as Pact;
    expect(open.status).toBe('open');
    expect(open.deadline < new Date(now.getTime() - 5 * YEAR).toISOString()).toBe(true);
    // Still open: an admin may yet extend it, and people sign it again.
    expect(await removeExpiredImages(t.services)).toMatchObject({ removed: 0 });
    expect((await imageOf(signed.receiptCode)).png?.equals(drawing)).toBe(true);
    expect(await removalEvents()).toHaveLength(0);

    // Closed today: kept five years from today, then deleted.
    expect((await closePact(t.services, { pactId: pact.id, actor: systemActor })).ok).toBe(true);
    expect(await removeExpiredImages(t.services)).toMatchObject({ removed: 0 });
    t.clock.set(new Date(now.getTime() + 5 * YEAR + 24 * 3_600_000));
    expect(await removeExpiredImages(t.services)).toMatchObject({ removed: 1 });
    expect((await imageOf(signed.receiptCode)).png).toBeNull();
    t.clock.set(now);
  });

  it('says on the receipt page and PDF that the image was deleted, with its hash, and still verifies', async () => {
    const { lama, old } = await history();
    await removeExpiredImages(t.services);
    const owner = browser(t.app);
    expect((await logIn(owner, 'sri@uji.test')).status).toBe(302);

    const page = await owner.get(`/tanda-terima/${old.code}`);
    expect(page.status).toBe(200);
    const text = pageText(page.text);
    expect(text).toContain(
      'Gambar tanda tangan yang dibubuhkan telah dihapus pada 10 Maret 2026 sesuai aturan retensi data',
    );
    expect(text).toContain(`Sidik SHA-256 gambar: ${drawingSha256}`);
    expect(page.text).not.toContain('class="pact-signature-image"');
    expect(text).not.toContain('dengan mengetik nama lengkap');

    const pdf = await owner.get(`/tanda-terima/${old.code}.pdf`).buffer(true).parse(binaryParser);
    expect(pdf.status).toBe(200);
    const printed = pdfText(pdf.body as Buffer);
    expect(printed).toContain('gambar tanda tangan dihapus pada 10 Maret 2026 sesuai aturan retensi data');
    expect(printed.replace(/\s/g, '')).toContain(drawingSha256);
    expect(printed).toContain(`Nama : ${lama.fullName}`);

    // Anyone verifying the code still reads SAH.
    const verified = await request(t.app).get(`/verifikasi/${group(old.code)}`);
    expect(pageText(verified.text)).toContain('SAH — tanda terima ini tercatat dan berlaku.');
    expect((await request(t.app).get(`/api/v1/verify/${old.code}`)).body).toMatchObject({
      status: 'valid',
      ledger: { matchesChain: true },
    });

    // An admin reading it is shown no drawing, so no view of one is recorded.
    const { agent: admin } = await loggedInAdmin(t);
    expect((await admin.get(`/tanda-terima/${old.code}`)).status).toBe(200);
    expect((await admin.get(`/tanda-terima/${old.code}.pdf`)).status).toBe(200);
    const views = (await t.services.audit.recent(100)).filter((e) => e.action === 'signature.image_viewed');
    expect(views).toHaveLength(0);
  });

  /** Three signings with a drawing of a pact closed seven years ago. */
  async function threeOfAPactClosedLongAgo() {
    const unit = await t.make.unit();
    t.clock.set(new Date(now.getTime() - 7 * YEAR));
    const pact = await makePact(t.services);
    const people = await Promise.all(Array.from({ length: 3 }, () => t.make.user({ unitId: unit.id })));
    for (const person of people) {
      await signPact(t.services, {
        pactId: pact.id,
        userId: person.id,
        consent: true,
        typedName: person.fullName,
        signatureDataUrl: pngDataUrl(drawing),
        actor: { userId: person.id, ip: null, userAgent: null },
      });
    }
    await closePact(t.services, { pactId: pact.id, actor: systemActor });
    t.clock.set(now);
  }
  /** Drawings deleted under the retention rule, as the signatures say. */
  const removedForRetention = async () =>
    Number(
      (
        await sql<{ n: number }>`SELECT count(*) AS n FROM signatures
                                 WHERE image_removed_why = 'retention' AND signature_png IS NULL`.execute(
          t.db.q,
        )
      ).rows[0]?.n,
    );

  it('works through more signatures than one batch holds, a batch per transaction, each audited with its count', async () => {
    await threeOfAPactClosedLongAgo();
    expect(await removeExpiredImages(t.services, 2)).toMatchObject({ removed: 3 });
    const events = await removalEvents();
    expect(events.map((event) => event.details?.count).sort()).toEqual([1, 2]);
  });

  it('leaves no committed deletion unaudited when a run stops half-way', async () => {
    await threeOfAPactClosedLongAgo();
    // The second batch's write fails (a crash, a full disk): the first batch and its event are committed together.
    let batches = 0;
    const failing = {
      ...t.services,
      signatures: {
        ...t.services.signatures,
        removeImages: async (...args: Parameters<typeof t.services.signatures.removeImages>) => {
          batches += 1;
          if (batches === 2) throw new Error('disk full');
          return t.services.signatures.removeImages(...args);
        },
      },
    };
    await expect(removeExpiredImages(failing, 2)).rejects.toThrow('disk full');
    expect(await removedForRetention()).toBe(2);
    expect((await removalEvents()).map((event) => event.details?.count)).toEqual([2]);

    // The next night finishes the work, and its event counts the rest.
    expect(await removeExpiredImages(t.services, 2)).toMatchObject({ removed: 1 });
    expect(await removedForRetention()).toBe(3);
    expect((await removalEvents()).map((event) => event.details?.count).sort()).toEqual([1, 2]);
  });
});
