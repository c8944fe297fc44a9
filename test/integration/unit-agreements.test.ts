import ExcelJS from 'exceljs';
import { type RawBuilder, sql } from 'kysely';
import PDFDocument from 'pdfkit';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordUnitAgreement } from '../../src/agreements/record-unit-agreement.js';
import { changeAgreementStatus, createAgreement } from '../../src/agreements/save-agreement.js';
import { AGREEMENT_SCOPES, type Agreement } from '../../src/agreements/types.js';
import { systemActor } from '../../src/audit/record-event.js';
import type { Unit } from '../../src/directory/types.js';
import { pdfBytes } from '../../src/pdf/document.js';
import { checkScan } from '../../src/scans/scan-file.js';
import { seedDemo } from '../../src/seed/demo.js';
import { createTranslator, loadCatalogue } from '../../src/web/i18n.js';
import { type Agent, browser, fetchCsrfToken, loggedInAdmin, loggedInAs, pageText } from '../helpers/http.js';
import { binaryParser, postForm } from '../helpers/pacts.js';
import { jpeg } from '../helpers/posts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const LIST = '/admin/kesepakatan';

/** A small real PDF, as a scanner's software writes one. */
async function pdf(text = 'NPHD'): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', compress: false });
  const bytes = pdfBytes(doc);
  doc.text(text);
  doc.end();
  return bytes;
}

/** A Windows program (its "MZ" header and DOS stub) given a PDF's name. */
const EXE = Buffer.concat([
  Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00', 'latin1'),
  Buffer.from('This program cannot be run in DOS mode.\r\r\n$'),
  Buffer.alloc(512, 0),
]);

type Fields = Record<string, string>;
interface Upload {
  bytes: Buffer;
  name: string;
}

describe('unit agreements (kesepakatan unit)', () => {
  let t: TestApp;
  let cilacap: Unit;
  let pati: Unit;
  let pemalang: Unit;
  let semarang: Unit;

  beforeEach(async () => {
    t = await createTestApp();
    cilacap = await t.make.unit({ code: '33.01', name: 'Kabupaten Cilacap', kind: 'kabupaten' });
    pati = await t.make.unit({ code: '33.18', name: 'Kabupaten Pati', kind: 'kabupaten' });
    pemalang = await t.make.unit({ code: '33.27', name: 'Kabupaten Pemalang', kind: 'kabupaten' });
    semarang = await t.make.unit({ code: '33.74', name: 'Kota Semarang', kind: 'kota' });
    // Neither counts: another kind of unit, and a kabupaten no longer active.
    await t.make.unit({ code: 'DISKOMINFO', name: 'Dinas Komunikasi dan Informatika', kind: 'dinas' });
    const gone = await t.make.unit({ code: '33.99', name: 'Kabupaten Lama', kind: 'kabupaten' });
    await t.services.units.setActive(gone.id, false, t.clock.now());
  });
  afterEach(() => t.close());

  // --- Helpers -----------------------------------------------------------------------------------------------

  const count = async (table: 'scans' | 'unit_agreement_records' | 'unit_agreement_record_history') =>
    Number(
      (await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(t.db.q)).rows[0]?.n,
    );
  const events = async (action: string) =>
    (await t.services.audit.recent(200)).filter((event) => event.action === action);

  /** An agreement for the kabupaten/kota, made through the operations (drafted; `open` opens it). */
  async function makeAgreement(options: { open?: boolean; title?: string } = {}): Promise<Agreement> {
    const created = await createAgreement(t.services, {
      actor: systemActor,
      fields: {
        title: options.title ?? 'Penandatanganan NPHD Pilkada Serentak 2024',
        description: 'Naskah Perjanjian Hibah Daerah.\n\nData per 21 November 2023.',
        scope: 'kabkota',
        parentUnitId: null,
        deadlineOn: '2023-11-10',
      },
    });
    if (!created.ok) throw new Error('not created');
    if (options.open)
      expect(
        await changeAgreementStatus(t.services, {
          agreementId: created.agreementId,
          status: 'open',
          actor: systemActor,
        }),
      ).toEqual({ ok: true });
    return (await t.services.agreements.findById(created.agreementId)) as Agreement;
  }

  /** A unit's agreement recorded as signed through the operation, with a PDF scan. */
  async function signed(
    agreement: Agreement,
    unit: Unit,
    signedOn: string,
    number: string,
    note: string | null = null,
  ) {
    const scan = await checkScan(await pdf(`NPHD ${unit.name}`), `NPHD ${unit.name}.pdf`);
    if (!scan.ok) throw new Error('scan refused');
    const result = await recordUnitAgreement(t.services, {
      agreementId: agreement.id,
      unitId: unit.id,
      input: {
        status: 'signed',
        signedOn,
        documentNumber: number,
        parties: `KPU ${unit.name}; Bawaslu ${unit.name}`,
        note,
      },
      scan,
      actor: systemActor,
    });
    expect(result).toEqual({ ok: true, changed: true });
  }

  /** The record form's action: the multipart form carries its CSRF token in the query string. */
  function formActionIn(html: string): string {
    const action = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/.exec(html)?.[1];
    if (!action) throw new Error('no record form on the page');
    return action.replace(/&amp;/g, '&');
  }

  /** Sends a multipart form as a browser does, the file (if chosen) among the fields. */
  function send(agent: Agent, action: string, fields: Fields, scan?: Upload) {
    let req = agent.post(action);
    for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
    if (scan) req = req.attach('scan', scan.bytes, scan.name);
    return req;
  }

  const recordPage = (agreement: Agreement, unit: Unit) => `${LIST}/${agreement.id}/unit/${unit.id}`;

  /** Opens a unit's record form and sends it. */
  async function record(agent: Agent, agreement: Agreement, unit: Unit, fields: Fields, scan?: Upload) {
    const page = await agent.get(recordPage(agreement, unit));
    expect(page.status).toBe(200);
    return send(agent, formActionIn(page.text), fields, scan);
  }

  const SIGNED: Fields = {
    status: 'signed',
    signed_on: '2023-11-08',
    document_number: '900/1035/XI/2023',
    parties: 'KPU Kabupaten Cilacap; Bawaslu Kabupaten Cilacap',
    note: '',
  };

  // --- The admin's pages -------------------------------------------------------------------------------------

  it('lets an admin draft an agreement, record units with a PDF and a JPEG scan, open it and correct a record', async () => {
    const { admin, agent } = await loggedInAdmin(t);
    expect(pageText((await agent.get('/admin')).text)).toContain('Kesepakatan unit');
    expect((await agent.get(LIST)).status).toBe(200);
    const created = await postForm(agent, `${LIST}/baru`, LIST, {
      title: 'Penandatanganan NPHD Pilkada Serentak 2024',
      description: 'Naskah Perjanjian Hibah Daerah dengan KPU dan Bawaslu.\r\n\r\nData per 21 November 2023.',
      scope: 'kabkota',
      parent_unit_id: '',
      deadline_on: '2023-11-10',
    });
    expect(created.status).toBe(303);
    const id = Number(/^\/admin\/kesepakatan\/(\d+)$/.exec(created.headers.location ?? '')?.[1]);
    const agreement = (await t.services.agreements.findById(id)) as Agreement;
    expect(agreement).toMatchObject({ status: 'draft', scope: 'kabkota', deadlineOn: '2023-11-10' });
    expect(agreement.description).toBe(
      'Naskah Perjanjian Hibah Daerah dengan KPU dan Bawaslu.\n\nData per 21 November 2023.',
    );
    const show = pageText((await agent.get(`${LIST}/${id}`)).text);
    expect(show).toContain('0 dari 4 kabupaten/kota sudah menandatangani');
    expect(show).not.toContain('Kabupaten Lama');
    expect(show).not.toContain('Dinas Komunikasi');
    // A draft is the admin's alone.
    expect((await request(t.app).get(`/kepatuhan/kesepakatan/${id}`)).status).toBe(404);

    const scanPdf = await pdf('NPHD Kabupaten Cilacap');
    const withPdf = await record(agent, agreement, cilacap, SIGNED, {
      bytes: scanPdf,
      name: 'NPHD Cilacap.pdf',
    });
    expect(withPdf.status).toBe(303);
    expect(withPdf.headers.location).toBe(`${LIST}/${id}#unit-${cilacap.id}`);
    const photo = await jpeg(800, 1100);
    const withJpeg = await record(
      agent,
      agreement,
      semarang,
      {
        ...SIGNED,
        signed_on: '2023-11-09',
        document_number: '900/77/XI/2023',
        parties: 'KPU Kota Semarang; Bawaslu Kota Semarang',
      },
      { bytes: photo, name: 'foto nphd.jpeg' },
    );
    expect(withJpeg.status).toBe(303);
    const units = await t.services.agreements.units(agreement);
    const cilacapRecord = units.find((u) => u.unitId === cilacap.id)?.record;
    const semarangRecord = units.find((u) => u.unitId === semarang.id)?.record;
    expect(cilacapRecord).toMatchObject({
      status: 'signed',
      signedOn: '2023-11-08',
      documentNumber: '900/1035/XI/2023',
    });
    const pdfScan = await t.services.scans.withBytes(cilacapRecord?.scanId as number);
    expect(pdfScan).toMatchObject({ mime: 'application/pdf', fileName: 'NPHD Cilacap.pdf' });
    expect(pdfScan?.bytes.equals(scanPdf)).toBe(true);
    // A photo is kept as a JPEG, re-encoded without its metadata.
    expect(await t.services.scans.info(semarangRecord?.scanId as number)).toMatchObject({
      mime: 'image/jpeg',
      fileName: 'foto nphd.jpg',
    });
    expect(pageText((await agent.get(`${LIST}/${id}`)).text)).toContain(
      '2 dari 4 kabupaten/kota sudah menandatangani',
    );

    // The scan, for the admin, as a download; only through the unit whose record names it.
    const download = await agent
      .get(`${LIST}/${id}/unit/${cilacap.id}/pindaian/${cilacapRecord?.scanId}`)
      .buffer(true)
      .parse(binaryParser);
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toContain('attachment');
    expect((download.body as Buffer).equals(scanPdf)).toBe(true);
    expect((await agent.get(`${LIST}/${id}/unit/${pati.id}/pindaian/${cilacapRecord?.scanId}`)).status).toBe(
      404,
    );

    const opened = await postForm(agent, `${LIST}/${id}`, `${LIST}/${id}/buka`);
    expect(opened.status).toBe(303);
    expect((await t.services.agreements.findById(id))?.status).toBe('open');

    // A correction keeps the scan when no new file is chosen, and the history keeps what was there before.
    const corrected = await record(agent, agreement, cilacap, {
      ...SIGNED,
      document_number: '900/1036/XI/2023',
    });
    expect(corrected.status).toBe(303);
    const after = (await t.services.agreements.unit(agreement, cilacap.id))?.record;
    expect(after).toMatchObject({ documentNumber: '900/1036/XI/2023', scanId: cilacapRecord?.scanId });
    const history = await t.services.agreements.history(id, cilacap.id);
    expect(history.map((v) => v.documentNumber)).toEqual(['900/1036/XI/2023', '900/1035/XI/2023']);
    expect(history[0]?.recordedBy).toBe(admin.id);
    const form = pageText((await agent.get(recordPage(agreement, cilacap))).text);
    expect(form).toContain('Riwayat catatan');
    expect(form).toContain('900/1035/XI/2023');
    expect(form).toContain('Admin Uji');
    // Sending the same again changes nothing and writes nothing.
    const same = await record(agent, agreement, cilacap, { ...SIGNED, document_number: '900/1036/XI/2023' });
    expect(same.status).toBe(303);
    expect(await count('unit_agreement_record_history')).toBe(3);

    // Every change audited, the record's before and after included.
    expect(await events('agreement.created')).toHaveLength(1);
    expect(await events('agreement.opened')).toHaveLength(1);
    expect(await events('scan.stored')).toHaveLength(2);
    const recorded = await events('agreement.record_set');
    expect(recorded).toHaveLength(3);
    expect(recorded[0]).toMatchObject({
      actorUserId: admin.id,
      targetType: 'agreement',
      targetId: String(id),
      details: {
        unit: cilacap.id,
        before: { documentNumber: '900/1035/XI/2023' },
        after: { documentNumber: '900/1036/XI/2023' },
      },
    });
  });

  it('marks a unit as not signed again, keeping its history, and lets the title change once open but not the scope', async () => {
    const { agent } = await loggedInAdmin(t);
    const agreement = await makeAgreement({ open: true });
    await signed(agreement, pati, '2023-11-01', '900/1/XI/2023');
    const back = await record(agent, agreement, pati, {
      status: 'not_signed',
      signed_on: '2023-11-01',
      document_number: '900/1/XI/2023',
      parties: 'KPU Kabupaten Pati; Bawaslu Kabupaten Pati',
      note: 'Dicatat keliru: masih menunggu kesepakatan besaran hibah.',
    });
    expect(back.status).toBe(303);
    expect((await t.services.agreements.unit(agreement, pati.id))?.record).toMatchObject({
      status: 'not_signed',
      signedOn: null,
      documentNumber: null,
      scanId: null,
      note: 'Dicatat keliru: masih menunggu kesepakatan besaran hibah.',
    });
    expect(await t.services.agreements.history(agreement.id, pati.id)).toHaveLength(2);

    const edited = await postForm(agent, `${LIST}/${agreement.id}/ubah`, `${LIST}/${agreement.id}`, {
      title: 'NPHD Pilkada 2024',
      description: '',
      scope: 'kabkota',
      parent_unit_id: '',
      deadline_on: '',
    });
    expect(edited.status).toBe(303);
    expect(await t.services.agreements.findById(agreement.id)).toMatchObject({
      title: 'NPHD Pilkada 2024',
      deadlineOn: null,
    });
    expect((await events('agreement.updated'))[0]?.details).toMatchObject({
      before: { title: 'Penandatanganan NPHD Pilkada Serentak 2024', deadlineOn: '2023-11-10' },
      after: { title: 'NPHD Pilkada 2024', deadlineOn: null },
    });
    const rescoped = await postForm(agent, `${LIST}/${agreement.id}/ubah`, `${LIST}/${agreement.id}`, {
      title: 'NPHD Pilkada 2024',
      description: '',
      scope: 'dinas',
      parent_unit_id: '',
      deadline_on: '',
    });
    expect(rescoped.status).toBe(422);
    expect(pageText(rescoped.text)).toContain('Cakupan kesepakatan yang sudah dibuka tidak dapat diubah');
    expect((await t.services.agreements.findById(agreement.id))?.scope).toBe('kabkota');
  });

  it('refuses bad input with a message naming the field and what was typed kept, storing nothing', async () => {
    const { agent } = await loggedInAdmin(t);
    const agreement = await makeAgreement();
    const pdfScan = { bytes: await pdf(), name: 'nphd.pdf' };
    const nothingStored = async () => {
      expect(await count('unit_agreement_records')).toBe(0);
      expect(await count('unit_agreement_record_history')).toBe(0);
      expect(await count('scans')).toBe(0);
      expect(await events('agreement.record_set')).toEqual([]);
      expect(await events('scan.stored')).toEqual([]);
    };

    const noNumber = await record(agent, agreement, cilacap, { ...SIGNED, document_number: '' }, pdfScan);
    expect(noNumber.status).toBe(400);
    const noNumberText = pageText(noNumber.text);
    expect(noNumberText).toContain('Nomor dokumen wajib diisi.');
    // What was typed stays; the file cannot, and the form says so.
    expect(noNumber.text).toContain('value="KPU Kabupaten Cilacap; Bawaslu Kabupaten Cilacap"');
    expect(noNumber.text).toContain('value="2023-11-08"');
    expect(noNumberText).toContain('Pilih berkasnya lagi');

    const exe = await record(agent, agreement, cilacap, SIGNED, { bytes: EXE, name: 'NPHD Cilacap.pdf' });
    expect(exe.status).toBe(400);
    expect(pageText(exe.text)).toContain('Berkas pindaian harus PDF, JPEG, atau PNG yang utuh');
    expect(exe.text).toContain('value="900/1035/XI/2023"');

    const truncated = await record(agent, agreement, cilacap, SIGNED, {
      bytes: (await pdf()).subarray(0, 400),
      name: 'setengah.pdf',
    });
    expect(truncated.status).toBe(400);

    const noScan = await record(agent, agreement, cilacap, SIGNED);
    expect(noScan.status).toBe(422);
    expect(pageText(noScan.text)).toContain('Pindaian dokumen wajib diunggah');

    const future = await record(agent, agreement, cilacap, { ...SIGNED, signed_on: '2099-01-01' }, pdfScan);
    expect(future.status).toBe(422);
    expect(pageText(future.text)).toContain('Tanggal penandatanganan tidak boleh setelah hari ini');

    const cases: [Fields, string][] = [
      [{ ...SIGNED, signed_on: '08/11/2023' }, 'Tanggal penandatanganan harus tanggal yang sah'],
      [{ ...SIGNED, signed_on: '' }, 'Tanggal penandatanganan wajib diisi.'],
      [{ ...SIGNED, parties: '' }, 'Pihak lain wajib diisi.'],
      [{ ...SIGNED, document_number: 'x'.repeat(101) }, 'Nomor dokumen paling banyak 100 karakter.'],
      [{ ...SIGNED, document_number: 'a\u0007b' }, 'Nomor dokumen mengandung karakter yang tidak sah'],
      [{ ...SIGNED, status: '' }, 'Pilih status: sudah atau belum menandatangani.'],
      [{ ...SIGNED, status: 'maybe' }, 'Pilih status: sudah atau belum menandatangani.'],
      [{ ...SIGNED, note: 'n'.repeat(301) }, 'Catatan paling banyak 300 karakter.'],
    ];
    for (const [fields, message] of cases) {
      const res = await record(agent, agreement, cilacap, fields, pdfScan);
      expect(res.status, message).toBe(400);
      expect(pageText(res.text), message).toContain(message);
    }
    // No radio chosen at all: the field is missing from the body.
    const { status: _status, ...withoutStatus } = SIGNED;
    const noStatus = await record(agent, agreement, cilacap, withoutStatus);
    expect(noStatus.status).toBe(400);
    expect(pageText(noStatus.text)).toContain('Pilih status');
    // A scan for a unit marked as not signed has nowhere to go.
    const scanForOutstanding = await record(
      agent,
      agreement,
      cilacap,
      { ...SIGNED, status: 'not_signed' },
      pdfScan,
    );
    expect(scanForOutstanding.status).toBe(422);
    expect(pageText(scanForOutstanding.text)).toContain(
      'Pindaian hanya untuk unit yang sudah menandatangani',
    );
    await nothingStored();
  });

  it('answers a scan over the limit with 413 and the form, what was typed kept', async () => {
    const { agent } = await loggedInAdmin(t);
    const agreement = await makeAgreement();
    const big = Buffer.concat([
      Buffer.from('%PDF-1.4\n'),
      Buffer.alloc(10 * 1024 * 1024, 0x20),
      Buffer.from('%%EOF'),
    ]);
    const res = await record(agent, agreement, cilacap, SIGNED, { bytes: big, name: 'besar.pdf' });
    expect(res.status).toBe(413);
    expect(pageText(res.text)).toContain('Berkas pindaian terlalu besar');
    expect(res.text).toContain('value="900/1035/XI/2023"');
    expect(await count('scans')).toBe(0);
  });

  it('refuses a bad agreement form with the field named and the values kept', async () => {
    const { agent } = await loggedInAdmin(t);
    const base = {
      title: 'NPHD',
      description: 'Keterangan',
      scope: 'kabkota',
      parent_unit_id: '',
      deadline_on: '',
    };
    const cases: [Fields, string, number][] = [
      [{ ...base, title: '' }, 'Judul wajib diisi.', 400],
      [{ ...base, title: 't'.repeat(201) }, 'Judul paling banyak 200 karakter.', 400],
      [{ ...base, description: 'd'.repeat(2001) }, 'Keterangan paling banyak 2.000 karakter.', 400],
      [{ ...base, scope: 'provinsi' }, 'Pilih cakupan unit dari daftar.', 400],
      [{ ...base, deadline_on: '10-11-2023' }, 'Batas waktu harus tanggal yang sah', 400],
      [{ ...base, parent_unit_id: '01' }, 'Pilih unit induk dari daftar.', 400],
      [{ ...base, parent_unit_id: '999999' }, 'Unit induk tidak ditemukan', 422],
    ];
    for (const [fields, message, status] of cases) {
      const res = await postForm(agent, `${LIST}/baru`, LIST, fields);
      expect(res.status, message).toBe(status);
      expect(pageText(res.text), message).toContain(message);
      expect(res.text, message).toContain(`>${fields.description?.slice(0, 2000)}</textarea>`);
    }
    expect(await t.services.agreements.list()).toEqual([]);
  });

  it('is for admins only: operators get 403, anonymous visitors the login page', async () => {
    const agreement = await makeAgreement({ open: true });
    await signed(agreement, cilacap, '2023-11-08', '900/1/XI/2023');
    const scanId = (await t.services.agreements.unit(agreement, cilacap.id))?.record?.scanId;
    const { agent: operator } = await loggedInAs(t, 'operator', { unitId: cilacap.id });
    for (const path of [
      LIST,
      `${LIST}/baru`,
      `${LIST}/${agreement.id}`,
      recordPage(agreement, cilacap),
      `${recordPage(agreement, cilacap)}/pindaian/${scanId}`,
    ]) {
      expect((await operator.get(path)).status, path).toBe(403);
      const anonymous = await request(t.app).get(path);
      expect(anonymous.status, path).toBe(302);
      expect(anonymous.headers.location).toMatch(/^\/masuk\?next=/);
    }
    expect(pageText((await operator.get('/admin')).text)).not.toContain('Kesepakatan unit');
    const token = await fetchCsrfToken(operator, '/akun');
    const posted = await send(
      operator,
      `${recordPage(agreement, cilacap)}?_csrf=${encodeURIComponent(token)}`,
      {
        ...SIGNED,
        document_number: '900/2/XI/2023',
      },
      { bytes: await pdf(), name: 'a.pdf' },
    );
    expect(posted.status).toBe(403);
    const closing = await operator.post(`${LIST}/${agreement.id}/tutup`).type('form').send({ _csrf: token });
    expect(closing.status).toBe(403);
    expect((await t.services.agreements.findById(agreement.id))?.status).toBe('open');
    expect(await count('unit_agreement_record_history')).toBe(1);
  });

  it('refuses a form without its CSRF token, storing nothing', async () => {
    const { agent } = await loggedInAdmin(t);
    const agreement = await makeAgreement();
    // The multipart form's token rides in the query string; in its body it is not read.
    const token = await fetchCsrfToken(agent, `${LIST}/baru`);
    const noToken = await send(agent, recordPage(agreement, cilacap), SIGNED, {
      bytes: await pdf(),
      name: 'a.pdf',
    });
    expect(noToken.status).toBe(403);
    expect(noToken.text).toContain('Formulir kedaluwarsa');
    const inBody = await send(
      agent,
      recordPage(agreement, cilacap),
      { ...SIGNED, _csrf: token },
      { bytes: await pdf(), name: 'a.pdf' },
    );
    expect(inBody.status).toBe(403);
    const stranger = await fetchCsrfToken(browser(t.app), '/masuk');
    expect(
      (await send(agent, `${recordPage(agreement, cilacap)}?_csrf=${encodeURIComponent(stranger)}`, SIGNED))
        .status,
    ).toBe(403);
    const create = await agent.post(LIST).type('form').send({ title: 'x', scope: 'kabkota' });
    expect(create.status).toBe(403);
    const open = await agent.post(`${LIST}/${agreement.id}/buka`).type('form').send({});
    expect(open.status).toBe(403);
    expect((await t.services.agreements.list()).map((a) => a.status)).toEqual(['draft']);
    expect(await count('scans')).toBe(0);
    expect(await count('unit_agreement_records')).toBe(0);
  });

  it('opens a draft and closes an open agreement once each, refusing every other move, each audited', async () => {
    const { agent, admin } = await loggedInAdmin(t);
    const agreement = await makeAgreement();
    await signed(agreement, cilacap, '2023-11-08', '900/1035/XI/2023');
    const move = (path: 'buka' | 'tutup') =>
      postForm(agent, `${LIST}/${agreement.id}`, `${LIST}/${agreement.id}/${path}`);
    const status = async () => (await t.services.agreements.findById(agreement.id))?.status;

    const closingDraft = await move('tutup');
    expect(closingDraft.status).toBe(409);
    expect(pageText(closingDraft.text)).toContain('Hanya kesepakatan yang sedang dibuka yang dapat ditutup.');
    expect(await status()).toBe('draft');

    expect((await move('buka')).status).toBe(303);
    expect(pageText((await agent.get(`${LIST}/${agreement.id}`)).text)).toContain(
      'Kesepakatan dibuka untuk umum.',
    );
    const openingAgain = await move('buka');
    expect(openingAgain.status).toBe(409);
    expect(pageText(openingAgain.text)).toContain('Kesepakatan ini sudah dibuka.');

    expect((await move('tutup')).status).toBe(303);
    expect(pageText((await agent.get(`${LIST}/${agreement.id}`)).text)).toContain('Kesepakatan ditutup.');
    expect((await move('tutup')).status).toBe(409);
    expect((await move('buka')).status).toBe(409);
    expect(await status()).toBe('closed');

    // One event each, by the admin, with the units counted and signed at that moment (Cilacap of four).
    for (const action of ['agreement.opened', 'agreement.closed']) {
      const found = await events(action);
      expect(found, action).toHaveLength(1);
      expect(found[0]).toMatchObject({
        actorUserId: admin.id,
        targetType: 'agreement',
        targetId: String(agreement.id),
        details: { units: 4, signed: 1 },
      });
    }

    // An agreement that counts no active unit stays a draft.
    const dinas = await t.make.unit({ name: 'Dinas Tanpa Kabupaten', kind: 'dinas' });
    const empty = await createAgreement(t.services, {
      actor: systemActor,
      fields: {
        title: 'Kesepakatan Tanpa Unit',
        description: '',
        scope: 'kabkota',
        parentUnitId: dinas.id,
        deadlineOn: '2023-11-10',
      },
    });
    if (!empty.ok) throw new Error('not created');
    const openingEmpty = await postForm(
      agent,
      `${LIST}/${empty.agreementId}`,
      `${LIST}/${empty.agreementId}/buka`,
    );
    expect(openingEmpty.status).toBe(409);
    expect(pageText(openingEmpty.text)).toContain('Tidak ada unit aktif dalam cakupan kesepakatan ini.');
    expect((await t.services.agreements.findById(empty.agreementId))?.status).toBe('draft');
    expect(await events('agreement.opened')).toHaveLength(1);
  });

  // --- What the public sees ----------------------------------------------------------------------------------

  it('shows "N dari M" and names the outstanding units on its page, /kepatuhan and the home page, nothing personal', async () => {
    const agreement = await makeAgreement({ open: true });
    await signed(agreement, cilacap, '2023-11-08', '900/1035/XI/2023', 'Catatan internal admin');
    await signed(agreement, semarang, '2023-10-30', '900/77/X/2023');

    const page = await request(t.app).get(`/kepatuhan/kesepakatan/${agreement.id}`);
    expect(page.status).toBe(200);
    const text = pageText(page.text);
    expect(text).toContain('2 dari 4 kabupaten/kota sudah menandatangani');
    expect(text).toMatch(/Belum menandatangani \(2\): Kabupaten Pati Kabupaten Pemalang/);
    // The outstanding come first, in the table too; then the signed, with their day, number and parties.
    expect(text.indexOf('Kabupaten Pemalang')).toBeLessThan(text.indexOf('Kabupaten Cilacap'));
    expect(text).toContain(
      'Kabupaten Cilacap Sudah 8 November 2023 900/1035/XI/2023 KPU Kabupaten Cilacap; Bawaslu Kabupaten Cilacap',
    );
    expect(text).toContain('Data per 21 November 2023.');
    expect(text).toContain('Batas waktu 10 November 2023');
    expect(page.text).not.toContain('pindaian');
    expect(text).not.toContain('Catatan internal admin');

    const index = pageText((await request(t.app).get('/kepatuhan')).text);
    expect(index).toContain('Kesepakatan unit');
    expect(index).toContain('Penandatanganan NPHD Pilkada Serentak 2024');
    expect(index).toContain('2 dari 4 kabupaten/kota sudah menandatangani');

    const home = await request(t.app).get('/');
    expect(home.text).toContain(`href="/kepatuhan/kesepakatan/${agreement.id}"`);
    const homeText = pageText(home.text);
    expect(homeText).toContain('2 dari 4 kabupaten/kota sudah menandatangani');
    expect(homeText).toMatch(/Belum menandatangani \(2\): Kabupaten Pati Kabupaten Pemalang/);

    // A change shows at once, through the cache.
    await signed(agreement, pati, '2023-11-20', '900/5/XI/2023');
    expect(pageText((await request(t.app).get('/')).text)).toContain('3 dari 4 kabupaten/kota');
    expect(pageText((await request(t.app).get(`/kepatuhan/kesepakatan/${agreement.id}`)).text)).toContain(
      'Belum menandatangani (1): Kabupaten Pemalang',
    );

    // Closed: still public, listed apart, no longer on the home page, no record written after.
    expect(
      await changeAgreementStatus(t.services, {
        agreementId: agreement.id,
        status: 'closed',
        actor: systemActor,
      }),
    ).toEqual({
      ok: true,
    });
    expect(pageText((await request(t.app).get('/kepatuhan')).text)).toContain(
      'Kesepakatan yang sudah ditutup',
    );
    expect((await request(t.app).get('/')).text).not.toContain(`/kepatuhan/kesepakatan/${agreement.id}`);
    expect(pageText((await request(t.app).get(`/kepatuhan/kesepakatan/${agreement.id}`)).text)).toContain(
      'ditutup',
    );
    const { agent } = await loggedInAdmin(t);
    const token = await fetchCsrfToken(agent, `${LIST}/baru`);
    const late = await send(
      agent,
      `${recordPage(agreement, pemalang)}?_csrf=${encodeURIComponent(token)}`,
      SIGNED,
      {
        bytes: await pdf(),
        name: 'a.pdf',
      },
    );
    expect(late.status).toBe(409);
    expect(pageText((await agent.get(recordPage(agreement, pemalang))).text)).toContain('sudah ditutup');
  });

  it('exports the public table as CSV and as an XLSX workbook', async () => {
    const agreement = await makeAgreement({ open: true });
    await signed(agreement, cilacap, '2023-11-08', '=900/1035/XI/2023');
    const csv = await request(t.app).get(`/kepatuhan/kesepakatan/${agreement.id}?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(
      /^attachment; filename="?kesepakatan-\d+-\d{4}-\d{2}-\d{2}\.csv"?$/,
    );
    const lines = csv.text
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('Kode;Unit;Jenis;Status;Tanggal penandatanganan;Nomor dokumen;Pihak lain');
    expect(lines.slice(1, 4).map((line) => line.split(';')[1])).toEqual([
      'Kabupaten Pati',
      'Kabupaten Pemalang',
      'Kota Semarang',
    ]);
    // A cell a spreadsheet would run as a formula is written as text.
    expect(lines[4]).toBe(
      "33.01;Kabupaten Cilacap;Kabupaten;Sudah menandatangani;2023-11-08;'=900/1035/XI/2023;" +
        '"KPU Kabupaten Cilacap; Bawaslu Kabupaten Cilacap"',
    );
    expect(lines).toHaveLength(5);

    const xlsx = await request(t.app)
      .get(`/kepatuhan/kesepakatan/${agreement.id}?format=xlsx`)
      .buffer(true)
      .parse(binaryParser);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;
    expect(sheet.name).toBe('Kesepakatan');
    expect(sheet.getCell('A2').value).toBe('Penandatanganan NPHD Pilkada Serentak 2024');
    expect(sheet.getCell('A3').value).toBe('1 dari 4 kabupaten/kota sudah menandatangani');
    expect(sheet.getRow(6).values).toEqual([
      undefined,
      'Kode',
      'Unit',
      'Jenis',
      'Status',
      'Tanggal penandatanganan',
      'Nomor dokumen',
      'Pihak lain',
    ]);
    const last = sheet.getRow(10);
    expect(last.getCell(2).value).toBe('Kabupaten Cilacap');
    expect(last.getCell(5).value).toEqual(new Date('2023-11-08T00:00:00Z'));
    expect(last.getCell(5).numFmt).toBe('dd/mm/yyyy');
    expect(last.getCell(6).value).toBe('=900/1035/XI/2023');
    expect(sheet.getRow(7).getCell(4).value).toBe('Belum menandatangani');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 6 });

    expect((await request(t.app).get(`/kepatuhan/kesepakatan/${agreement.id}?format=pdf`)).status).toBe(400);
  });

  it('answers the JSON API for published agreements only', async () => {
    const draft = await makeAgreement({ title: 'Draf' });
    const agreement = await makeAgreement({ open: true });
    await signed(agreement, cilacap, '2023-11-08', '900/1035/XI/2023', 'Catatan internal admin');
    const list = await request(t.app).get('/api/v1/agreements');
    expect(list.status).toBe(200);
    expect(list.headers['access-control-allow-origin']).toBe('*');
    expect(list.body).toEqual({
      agreements: [
        {
          id: agreement.id,
          title: 'Penandatanganan NPHD Pilkada Serentak 2024',
          status: 'open',
          scope: 'kabkota',
          scopeLabel: 'kabupaten/kota',
          deadline: '2023-11-10',
          openedAt: expect.any(String),
          closedAt: null,
          total: 4,
          signed: 1,
          outstanding: [
            { unitId: pati.id, code: '33.18', name: 'Kabupaten Pati' },
            { unitId: pemalang.id, code: '33.27', name: 'Kabupaten Pemalang' },
            { unitId: semarang.id, code: '33.74', name: 'Kota Semarang' },
          ],
          links: {
            agreement: `${t.config.baseUrl}/api/v1/agreements/${agreement.id}`,
            page: `${t.config.baseUrl}/kepatuhan/kesepakatan/${agreement.id}`,
          },
        },
      ],
    });
    const one = await request(t.app).get(`/api/v1/agreements/${agreement.id}`);
    expect(one.status).toBe(200);
    expect(one.body.units).toHaveLength(4);
    expect(one.body.units[3]).toEqual({
      unitId: cilacap.id,
      code: '33.01',
      name: 'Kabupaten Cilacap',
      kind: 'kabupaten',
      status: 'signed',
      signedOn: '2023-11-08',
      documentNumber: '900/1035/XI/2023',
      parties: 'KPU Kabupaten Cilacap; Bawaslu Kabupaten Cilacap',
    });
    expect(one.text).not.toContain('Catatan internal admin');
    expect(one.text).not.toContain('scan');
    const unchanged = await request(t.app)
      .get(`/api/v1/agreements/${agreement.id}`)
      .set('If-None-Match', one.headers.etag as string);
    expect(unchanged.status).toBe(304);
    for (const id of [draft.id, 999_999, `0${agreement.id}`]) {
      const missing = await request(t.app).get(`/api/v1/agreements/${id}`);
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toContain('Kesepakatan unit tidak ditemukan');
    }
  });

  // --- The rules in the database ----------------------------------------------------------------------------

  it('has its rules in the database too: forward only, scope frozen once open, records final once closed, nothing deleted', async () => {
    const agreement = await makeAgreement({ open: true });
    await signed(agreement, cilacap, '2023-11-08', '900/1/XI/2023');
    const refused = (query: RawBuilder<unknown>) => expect(query.execute(t.db.q)).rejects.toThrow();
    await refused(
      sql`UPDATE unit_agreements SET status = 'draft', opened_at = NULL WHERE id = ${agreement.id}`,
    );
    await refused(sql`UPDATE unit_agreements SET unit_kind = 'dinas' WHERE id = ${agreement.id}`);
    await refused(sql`UPDATE unit_agreements SET parent_unit_id = ${cilacap.id} WHERE id = ${agreement.id}`);
    await refused(sql`DELETE FROM unit_agreements WHERE id = ${agreement.id}`);
    await refused(sql`DELETE FROM unit_agreement_records WHERE agreement_id = ${agreement.id}`);
    await refused(
      sql`UPDATE unit_agreement_records SET unit_id = ${pati.id} WHERE agreement_id = ${agreement.id}`,
    );
    await refused(sql`UPDATE unit_agreement_record_history SET document_number = 'x'`);
    await refused(sql`DELETE FROM unit_agreement_record_history`);
    // A signed record without its scan, or an outstanding one with a number, is not a record.
    await refused(sql`UPDATE unit_agreement_records SET scan_id = NULL WHERE agreement_id = ${agreement.id}`);
    await refused(
      sql`UPDATE unit_agreement_records SET status = 'not_signed' WHERE agreement_id = ${agreement.id}`,
    );
    expect(
      await changeAgreementStatus(t.services, {
        agreementId: agreement.id,
        status: 'closed',
        actor: systemActor,
      }),
    ).toEqual({
      ok: true,
    });
    await refused(sql`UPDATE unit_agreement_records SET note = 'x' WHERE agreement_id = ${agreement.id}`);
    await refused(sql`UPDATE unit_agreements SET title = 'x' WHERE id = ${agreement.id}`);
    await refused(sql`UPDATE unit_agreements SET status = 'open' WHERE id = ${agreement.id}`);
    const result = await recordUnitAgreement(t.services, {
      agreementId: agreement.id,
      unitId: pati.id,
      input: { status: 'not_signed', signedOn: null, documentNumber: null, parties: null, note: 'x' },
      scan: null,
      actor: systemActor,
    });
    expect(result).toEqual({ ok: false, reason: 'closed' });
  });

  it('names every scope in the catalogue, as a label and as the word after "dari"', () => {
    const t = createTranslator(loadCatalogue('id'));
    for (const scope of AGREEMENT_SCOPES) {
      for (const key of [`agreements.scope.${scope}`, `agreements.scope_noun.${scope}`])
        expect(t(key)).not.toBe(key);
    }
    for (const status of ['draft', 'open', 'closed'])
      expect(t(`agreements.status.${status}`)).not.toContain('.');
  });
});

describe('the demo NPHD tracker', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  it('is the province as of 21 November 2023: 33 of 35 kabupaten/kota signed, Pemalang and Pati outstanding', async () => {
    await seedDemo(t.services, 'hash-yang-tidak-dipakai');
    const list = await request(t.app).get('/api/v1/agreements');
    expect(list.body.agreements).toHaveLength(1);
    const [tracker] = list.body.agreements;
    expect(tracker).toMatchObject({
      title: 'Penandatanganan NPHD Pilkada Serentak 2024',
      status: 'open',
      total: 35,
      signed: 33,
      outstanding: [
        { code: '33.18', name: 'Kabupaten Pati' },
        { code: '33.27', name: 'Kabupaten Pemalang' },
      ],
    });
    const agreement = (await t.services.agreements.findById(tracker.id)) as Agreement;
    expect(agreement.description).toContain('Data per 21 November 2023.');
    for (const unit of await t.services.agreements.units(agreement)) {
      if (unit.state === 'outstanding') continue;
      const record = unit.record as NonNullable<typeof unit.record>;
      const day = record.signedOn as string;
      expect(day >= '2023-10-02' && day <= '2023-11-21', `${unit.name}: ${day}`).toBe(true);
      expect(record.documentNumber).toMatch(/^900\/\d{3,4}\/(X|XI)\/2023$/);
      expect(record.parties).toBe(`KPU ${unit.name}; Bawaslu ${unit.name}`);
      const scan = await t.services.scans.withBytes(record.scanId as number);
      expect(scan?.mime).toBe('application/pdf');
      expect(scan?.bytes.toString('latin1')).toContain(`NPHD ${unit.name}`);
    }
    const home = pageText((await request(t.app).get('/')).text);
    expect(home).toContain('33 dari 35 kabupaten/kota sudah menandatangani');
    expect(home).toMatch(/Belum menandatangani \(2\): Kabupaten Pati Kabupaten Pemalang/);
  });
});
