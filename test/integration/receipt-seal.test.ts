import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { P12Signer } from '@signpdf/signer-p12';
import { SignPdf } from '@signpdf/signpdf';
import PDFDocument from 'pdfkit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { pdfBytes } from '../../src/pdf/document.js';
import { createServices } from '../../src/services.js';
import { problemsOf } from '../helpers/config.js';
import { type Agent, browser, loggedInAdmin, logIn, pageText } from '../helpers/http.js';
import { binaryParser, makePact, postForm, signAs } from '../helpers/pacts.js';
import { openssl, pdfsig, signerFingerprint } from '../helpers/poppler.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const INSTANCE = 'Pemerintah Provinsi Jawa Tengah';
const VALID = 'Signature is Valid.';
const BROKEN = 'Digest Mismatch.';

/** A key and a self-signed certificate made by openssl, and a PKCS#12 file of them: an agency's own. */
function agencyP12(
  dir: string,
  commonName: string,
  password: string,
  keyType: 'rsa:2048' | 'ec' = 'rsa:2048',
) {
  const [key, certificate, p12] = ['key', 'crt', 'p12'].map((ext) =>
    join(dir, `agency-${keyType}.${ext}`),
  ) as [string, string, string];
  const run = (args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  const curve = keyType === 'ec' ? ['-pkeyopt', 'ec_paramgen_curve:P-256'] : [];
  const subject = ['-subj', `/CN=${commonName}/O=BSrE Uji`, '-days', '365'];
  run([
    'req',
    '-x509',
    '-newkey',
    keyType,
    ...curve,
    '-nodes',
    '-keyout',
    key,
    '-out',
    certificate,
    ...subject,
  ]);
  run(['pkcs12', '-export', '-inkey', key, '-in', certificate, '-out', p12, '-passout', `pass:${password}`]);
  return { path: p12, fingerprint: openssl.fingerprint(readFileSync(certificate, 'utf8')) };
}

/** A byte of `pdf` changed: the first `from` after `marker` becomes `to`. */
function changed(pdf: Buffer, marker: string, from: string, to: string): Buffer {
  const copy = Buffer.from(pdf);
  const at = copy.indexOf(from, copy.indexOf(marker));
  if (copy.indexOf(marker) < 0 || at < 0) throw new Error(`no ${from} after ${marker}`);
  copy.write(to, at, 'latin1');
  return copy;
}

/** `pdf` signed again after the seal, with the key and certificate in the PKCS#12 file at `path` (its holder's). */
async function countersign(pdf: Buffer, path: string, passphrase: string): Promise<Buffer> {
  const withPlaceholder = plainAddPlaceholder({
    pdfBuffer: pdf,
    reason: 'Saya menyetujui',
    contactInfo: 'rina@uji.test',
    name: 'Rina Handayani',
    location: 'Semarang',
  });
  return new SignPdf().sign(withPlaceholder, new P12Signer(readFileSync(path), { passphrase }));
}

/** The CSRF token the upload form carries in its action (a multipart form: see src/web/csrf.ts). */
async function uploadToken(agent: Agent): Promise<string> {
  const page = await agent.get('/verifikasi/berkas');
  const match = /action="\/verifikasi\?_csrf=([^"]+)"/.exec(page.text);
  if (!match?.[1]) throw new Error('no upload form on /verifikasi/berkas');
  return decodeURIComponent(match[1].replace(/&#34;|&quot;/g, '"').replace(/&amp;/g, '&'));
}

/** Uploads `file` to /verifikasi from a fresh browser, through the form. */
async function upload(t: TestApp, file: Buffer | null, name = 'tanda-terima.pdf') {
  const agent = browser(t.app);
  const post = agent.post(`/verifikasi?_csrf=${encodeURIComponent(await uploadToken(agent))}`);
  return file === null ? post.field('x', '1') : post.attach('berkas', file, name);
}

describe('sealed receipts and reports', () => {
  let t: TestApp;
  let dir: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ikrar-seal-'));
    t = await createTestApp();
    await t.services.settings.put('instance.name', INSTANCE, t.clock.now());
    await t.services.settings.put('instance.place', 'Semarang', t.clock.now());
  });
  afterEach(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Rina signs an open pact; her receipt as she downloads it, and her browser. */
  async function receipt(app: TestApp = t) {
    const unit = await app.make.unit({ name: 'Badan Kepegawaian Daerah' });
    const rina = await app.make.user({ email: 'rina@uji.test', fullName: 'Rina Handayani', unitId: unit.id });
    const pact = await makePact(app.services, { title: 'Pakta Netralitas BKD' });
    const code = await signAs(app.services, pact, rina);
    const agent = browser(app.app);
    await logIn(agent, 'rina@uji.test');
    const grouped = code.replace(/(.{4})(?=.)/g, '$1-');
    const res = await agent.get(`/tanda-terima/${grouped}.pdf`).buffer(true).parse(binaryParser);
    expect(res.status).toBe(200);
    return { pact, unit, code: grouped, pdf: res.body as Buffer, agent };
  }

  it('seals every receipt PDF so that pdfsig finds it valid, and broken after one byte changes', async () => {
    const { pdf, code } = await receipt();
    const sealed = pdfsig(pdf);
    expect(sealed.signatures, sealed.report).toHaveLength(1);
    expect(sealed.signatures[0]).toEqual({
      validation: VALID,
      type: 'ETSI.CAdES.detached',
      commonName: INSTANCE,
      totalDocumentSigned: true,
    });
    // What a PDF reader shows beside the seal (pdfsig does not print it).
    expect(pdf.toString('latin1')).toContain(`/Reason (Segel elektronik ${INSTANCE})`);
    expect(pdf.toString('latin1')).toContain('/Location (Semarang)');

    // One byte of the page's drawing (a text position), and one of the document information (the receipt code).
    for (const tampered of [
      changed(pdf, '\nBT\n', '1 0 0 1 ', '1 0 0 2 '),
      changed(pdf, `(${code})`, '-', '+'),
    ]) {
      const checked = pdfsig(tampered);
      expect(checked.signatures[0]?.validation, checked.report).toBe(BROKEN);
    }
    // Bytes added after the seal: the signature still checks, but no longer covers the whole file.
    const appended = pdfsig(Buffer.concat([pdf, Buffer.from('\n% tambahan\n')]));
    expect(appended.signatures[0]?.totalDocumentSigned, appended.report).toBe(false);
  });

  it('seals the compliance report and the unit drill-down PDFs', async () => {
    const { pact, unit } = await receipt();
    const { agent } = await loggedInAdmin(t);
    const active = (await agent.get('/api/v1/seal')).body.active.fingerprint;
    for (const path of [
      `/admin/kepatuhan/${pact.id}?format=pdf`,
      `/admin/kepatuhan/${pact.id}/unit/${unit.id}?format=pdf`,
    ]) {
      const res = await agent.get(path).buffer(true).parse(binaryParser);
      expect(res.status, path).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/pdf/);
      const checked = pdfsig(res.body as Buffer);
      expect(
        checked.signatures.map((s) => s.validation),
        checked.report,
      ).toEqual([VALID]);
      expect(signerFingerprint(res.body as Buffer)).toBe(active);
    }
  });

  it('shows the fingerprint of the certificate in the PDFs on /verifikasi and in the API', async () => {
    const { pdf } = await receipt();
    const fingerprint = signerFingerprint(pdf);
    const page = await browser(t.app).get('/verifikasi');
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<code class="seal-fingerprint text-break">${fingerprint}</code>`);
    expect(pageText(page.text)).toContain(`CN=${INSTANCE}`);

    const api = await browser(t.app).get('/api/v1/seal');
    expect(api.status).toBe(200);
    expect(api.body.active).toMatchObject({ fingerprint, source: 'generated', retiredAt: null });
    expect(api.body.active.subject).toContain(`CN=${INSTANCE}`);
    expect(openssl.fingerprint(api.body.active.pem)).toBe(fingerprint);
    expect(Date.parse(api.body.active.notAfter) - Date.parse(api.body.active.notBefore)).toBeGreaterThan(
      9.9 * 365 * 24 * 3_600_000,
    );
    expect(api.body.retired).toEqual([]);
    expect(JSON.stringify(api.body)).not.toMatch(/PRIVATE KEY/);
  });

  it('checks an uploaded receipt: genuine, changed, changed after sealing, voided, unsealed', async () => {
    const { pdf, code } = await receipt();

    const genuine = await upload(t, pdf);
    expect(genuine.status).toBe(200);
    const said = pageText(genuine.text);
    expect(said).toContain('SEGEL UTUH — berkas ini disegel dengan sertifikat instansi ini');
    expect(said).toContain('Sertifikat instansi ini');
    expect(said).toContain(`Kode ${code} tercatat dan tanda terimanya BERLAKU.`);
    expect(genuine.text).toContain(`href="/verifikasi/${code}"`);
    expect(said).not.toContain('Yang dapat dipercaya hanya');

    const tampered = pageText((await upload(t, changed(pdf, '\nBT\n', '1 0 0 1 ', '1 0 0 2 '))).text);
    expect(tampered).toContain('SEGEL RUSAK — berkas ini diubah setelah disegel.');
    expect(tampered).toContain('Bagian yang disegel tidak lagi sama dengan saat disegel.');
    expect(tampered).not.toContain('SEGEL UTUH');
    expect(tampered).toContain('Yang dapat dipercaya hanya rincian tanda terima di halaman verifikasi');

    // Bytes added after the seal: what was sealed is still intact, the addition is not vouched for.
    const appended = pageText((await upload(t, Buffer.concat([pdf, Buffer.from('\n% tambahan\n')]))).text);
    expect(appended).toContain('SEGEL INSTANSI INI UTUH, TETAPI ADA TAMBAHAN');
    expect(appended).toContain('Ada data yang ditambahkan setelah bagian yang disegel.');
    expect(appended).not.toContain('SEGEL UTUH');
    expect(appended).toContain('tampilan berkas ini dapat memuat tambahan yang tidak dijamin oleh segel');

    // Voided after it was downloaded: the file is still sealed as issued, but its code no longer stands.
    const { agent: admin } = await loggedInAdmin(t);
    const voiding = await postForm(admin, `/tanda-terima/${code}`, `/tanda-terima/${code}/batal`, {
      reason: 'Ditandatangani oleh orang yang salah.',
    });
    expect(voiding.status).toBe(303);
    const voided = pageText((await upload(t, pdf)).text);
    expect(voided).toContain('SEGEL UTUH');
    expect(voided).toMatch(new RegExp(`Kode ${code} tercatat, tetapi tanda tangannya DIBATALKAN pada .+\\.`));

    const plain = new PDFDocument({ info: { Title: 'Tanda terima buatan sendiri' } });
    const plainBytes = pdfBytes(plain);
    plain.text(`Kode tanda terima ${code}`);
    plain.end();
    const unsealed = pageText((await upload(t, await plainBytes)).text);
    expect(unsealed).toContain('TIDAK BERSEGEL — berkas ini tidak memuat segel elektronik.');
    expect(unsealed).toContain('Tidak ada kode tanda terima Ikrar di dalam berkas ini.');
  });

  it('finds its seal in a receipt its holder signed again, and says what was added after it', async () => {
    const { pdf, code } = await receipt();
    const agency = agencyP12(dir, 'Rina Handayani', 'rahasia-p12');
    const countersigned = await countersign(pdf, agency.path, 'rahasia-p12');
    // As a PDF reader sees it: two signatures, both valid, the first (the seal) no longer covering the whole file.
    const read = pdfsig(countersigned);
    expect(
      read.signatures.map((s) => [s.commonName, s.validation, s.totalDocumentSigned]),
      read.report,
    ).toEqual([
      [INSTANCE, VALID, false],
      ['Rina Handayani', VALID, true],
    ]);

    const res = await upload(t, countersigned);
    expect(res.status).toBe(200);
    const said = pageText(res.text);
    expect(said).toContain('SEGEL INSTANSI INI UTUH, TETAPI ADA TAMBAHAN');
    expect(said).toContain('misalnya tanda tangan pemegangnya');
    expect(said).toContain('Sertifikat instansi ini');
    expect(said).toContain(signerFingerprint(pdf));
    expect(said).not.toContain('BUKAN SEGEL INSTANSI INI');
    expect(said).toContain(`Kode ${code} tercatat dan tanda terimanya BERLAKU.`);

    // Changed before the holder signed it: the seal inside is broken, whatever the holder's signature says.
    const tampered = await countersign(
      changed(pdf, '\nBT\n', '1 0 0 1 ', '1 0 0 2 '),
      agency.path,
      'rahasia-p12',
    );
    const broken = pageText((await upload(t, tampered)).text);
    expect(broken).toContain('SEGEL RUSAK — berkas ini diubah setelah disegel.');
    expect(broken).toContain('Bagian yang disegel tidak lagi sama dengan saat disegel.');
    expect(broken).not.toContain('UTUH');
  });

  it('answers a file the check stumbles on with the upload page, never a server error', async () => {
    const { pdf } = await receipt();
    const failing = vi.spyOn(t.services.seal, 'ownership').mockRejectedValue(new Error('unexpected'));
    try {
      const res = await upload(t, pdf);
      expect(res.status).toBe(422);
      expect(pageText(res.text)).toContain(
        'Berkas ini tidak dapat dibaca. Pastikan berkasnya PDF tanda terima yang utuh, lalu periksa lagi.',
      );
      expect(res.text).toContain('aria-invalid="true"');
      expect(res.text).not.toContain('hasil-berkas');
    } finally {
      failing.mockRestore();
    }
    expect((await upload(t, pdf)).status).toBe(200);
  });

  it('refuses what is not a PDF, an empty upload, a file too large and a form without its token', async () => {
    const notPdf = await upload(t, Buffer.from('PK\u0003\u0004 bukan pdf'), 'tanda-terima.pdf');
    expect(notPdf.status).toBe(415);
    expect(pageText(notPdf.text)).toContain('Berkas ini bukan PDF. Pilih berkas PDF tanda terima.');
    expect(notPdf.text).toContain('id="berkas"');
    expect(notPdf.text).toContain('aria-invalid="true"');

    const empty = await upload(t, Buffer.alloc(0));
    expect(empty.status).toBe(400);
    expect(pageText(empty.text)).toContain('Pilih berkas PDF tanda terima yang akan diperiksa.');
    const none = await upload(t, null);
    expect(none.status).toBe(400);

    const large = Buffer.concat([Buffer.from('%PDF-1.3\n'), Buffer.alloc(10 * 1024 * 1024)]);
    const tooLarge = await upload(t, large);
    expect(tooLarge.status).toBe(413);
    expect(pageText(tooLarge.text)).toContain('Berkas terlalu besar: paling besar 10 MB.');

    const { pdf } = await receipt();
    const agent = browser(t.app);
    await agent.get('/verifikasi/berkas');
    const forged = await agent.post('/verifikasi').attach('berkas', pdf, 'tanda-terima.pdf');
    expect(forged.status).toBe(403);
  });

  it('limits uploads per address', async () => {
    await t.close();
    t = await createTestApp({ VERIFY_UPLOAD_RATE_LIMIT: '2' });
    const agent = browser(t.app);
    const token = encodeURIComponent(await uploadToken(agent));
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const res = await agent.post(`/verifikasi?_csrf=${token}`).attach('berkas', Buffer.from('x'), 'a.pdf');
      statuses.push(res.status);
    }
    expect(statuses).toEqual([415, 415, 429]);
  });

  it('seals with the agency’s PKCS#12 certificate when one is given, and tells another instance’s seal apart', async () => {
    const agency = agencyP12(dir, 'Dinas Kominfo Uji', 'rahasia-p12');
    const other = await createTestApp({ SEAL_P12_PATH: agency.path, SEAL_P12_PASSWORD: 'rahasia-p12' });
    try {
      const { pdf, code } = await receipt(other);
      expect(pdfsig(pdf).signatures[0]?.validation).toBe(VALID);
      expect(signerFingerprint(pdf)).toBe(agency.fingerprint);
      const api = (await browser(other.app).get('/api/v1/seal')).body;
      expect(api.active).toMatchObject({ fingerprint: agency.fingerprint, source: 'p12' });

      // Uploaded here: intact, but sealed by someone else, and a code this instance never issued.
      const checked = pageText((await upload(t, pdf)).text);
      expect(checked).toContain('BUKAN SEGEL INSTANSI INI — segelnya utuh');
      expect(checked).toContain('Sertifikat lain, bukan milik instansi ini');
      expect(checked).toContain(agency.fingerprint);
      expect(checked).toContain(`Kode ${code} di dalam berkas ini tidak tercatat di instansi ini.`);
    } finally {
      await other.close();
    }
  });

  it('refuses to start with a PKCS#12 file it cannot open, saying why', () => {
    const agency = agencyP12(dir, 'Dinas Kominfo Uji', 'rahasia-p12');
    expect(problemsOf({ SEAL_P12_PATH: agency.path, SEAL_P12_PASSWORD: 'salah' })).toEqual([
      `SEAL_P12_PASSWORD salah untuk ${agency.path}: berkas PKCS#12 tidak dapat dibuka dengan kata sandi itu`,
    ]);
    const missing = join(dir, 'tidak-ada.p12');
    expect(problemsOf({ SEAL_P12_PATH: missing, SEAL_P12_PASSWORD: 'rahasia-p12' })).toEqual([
      `SEAL_P12_PATH: berkas ${missing} tidak dapat dibaca (ENOENT)`,
    ]);
    expect(problemsOf({ SEAL_P12_PASSWORD: 'rahasia-p12' })).toEqual([
      'SEAL_P12_PASSWORD diisi tanpa SEAL_P12_PATH: isi juga letak berkas PKCS#12 segel, atau hapus keduanya',
    ]);
    const ec = agencyP12(dir, 'Dinas Kominfo Uji', 'rahasia-p12', 'ec');
    expect(problemsOf({ SEAL_P12_PATH: ec.path, SEAL_P12_PASSWORD: 'rahasia-p12' })).toEqual([
      `SEAL_P12_PATH: kunci privat di ${ec.path} bukan RSA; segel Ikrar hanya dapat memakai kunci RSA`,
    ]);
  });

  it('makes a new certificate when the instance is renamed, and still recognises receipts sealed before', async () => {
    const before = await receipt();
    const first = signerFingerprint(before.pdf);
    await t.services.settings.put('instance.name', 'Pemerintah Provinsi Jawa Tengah Baru', t.clock.now());
    const after = await before.agent.get(`/tanda-terima/${before.code}.pdf`).buffer(true).parse(binaryParser);
    const second = signerFingerprint(after.body as Buffer);
    expect(second).not.toBe(first);
    expect(pdfsig(after.body as Buffer).signatures[0]?.commonName).toBe(
      'Pemerintah Provinsi Jawa Tengah Baru',
    );

    const api = (await browser(t.app).get('/api/v1/seal')).body;
    expect(api.active.fingerprint).toBe(second);
    expect(api.retired.map((c: { fingerprint: string }) => c.fingerprint)).toEqual([first]);
    expect(api.retired[0].retiredAt).not.toBeNull();

    const old = pageText((await upload(t, before.pdf)).text);
    expect(old).toContain('SEGEL UTUH — berkas ini disegel dengan sertifikat lama instansi ini');
    expect(old).toContain('BERLAKU');
  });

  it('keeps the signing key to sealing: what pages and the API are given never holds it', async () => {
    await receipt();
    // Renamed: a new certificate, the first one retired.
    await t.services.settings.put('instance.name', 'Pemerintah Provinsi Jawa Tengah Baru', t.clock.now());
    const [active, retired] = await t.services.seal.certificates();
    expect(active?.active).toBe(true);
    expect(retired?.active).toBe(false);
    const given = [
      await t.services.seal.ready(),
      ...(await t.services.seal.certificates()),
      ...(await t.services.sealCertificates.all()),
      await t.services.sealCertificates.active(),
      await t.services.sealCertificates.findByFingerprint(active?.fingerprint ?? ''),
    ];
    for (const certificate of given) {
      expect(certificate).toBeDefined();
      expect(certificate).not.toHaveProperty('privateKeyPem');
      expect(JSON.stringify(certificate)).not.toMatch(/PRIVATE KEY/);
    }
    // Sealing itself still has it.
    expect((await t.services.sealCertificates.activeForSigning())?.privateKeyPem).toMatch(/PRIVATE KEY/);
  });

  it('makes one certificate when several processes start at once', async () => {
    const nodes = [1, 2, 3].map(() => createServices(t.db, systemClock, t.config.timeZone));
    const made = await Promise.all(nodes.map((node) => node.seal.ready()));
    expect(new Set(made.map((certificate) => certificate.fingerprint)).size).toBe(1);
    expect(await t.services.sealCertificates.all()).toHaveLength(1);
  });
});
