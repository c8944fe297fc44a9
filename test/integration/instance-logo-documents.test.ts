import { readFileSync } from 'node:fs';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ReceiptDocument, renderReceiptPdf } from '../../src/pledges/receipts/receipt-pdf.js';
import { demoPactTitles } from '../../src/seed/demo-pacts.js';
import { type CheckedLogo, checkLogo } from '../../src/settings/logo-file.js';
import { defaultTranslator } from '../../src/web/i18n.js';
import { type Agent, fetchCsrfToken, loggedInAdmin } from '../helpers/http.js';
import { binaryParser, makePact } from '../helpers/pacts.js';
import { popplerPageCount, popplerWords } from '../helpers/poppler.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// Every document with a letterhead draws the instance's logo at its left, and still keeps to its pages: a receipt to
// one sheet, an activation letter to its own page or half sheet.

/** A logo as an upload would store it: wide (a wordmark) or square (an emblem). */
async function logo(width: number, height: number): Promise<CheckedLogo> {
  const png = await sharp({ create: { width, height, channels: 3, background: '#c8102e' } })
    .png()
    .toBuffer();
  const checked = await checkLogo(png);
  if (!checked.ok) throw new Error(`test logo refused: ${checked.problem}`);
  return checked;
}

/** The embedded pictures of a PDF (pdfkit writes their dictionaries uncompressed) that are this logo. */
const logoImages = (pdf: Buffer, stored: CheckedLogo): string[] =>
  [...pdf.toString('latin1').matchAll(/<<[^>]*\/Subtype \/Image[^>]*>>/g)]
    .map((m) => m[0])
    .filter((image) => image.includes(`/Width ${stored.width}\n/Height ${stored.height}\n`));

/** The words of the letterhead's first line (the instance's name in capitals) stand right of the logo. */
function expectNameClearOfLogo(pdf: Buffer, marginLeft: number, firstWord: string) {
  const words = popplerWords(pdf, 1);
  const top = words.find((w) => w.text === firstWord)?.yMin;
  const line = words.filter((w) => w.yMin === top);
  expect(line.length).toBeGreaterThan(0);
  for (const word of line) expect(word.xMin).toBeGreaterThan(marginLeft + 28 + 10);
}

describe('a receipt with the logo in its letterhead', () => {
  describe.each([
    ['heads', 'pakta-kepala-opd'],
    ['all', 'pakta-asn'],
  ] as const)("of the demo's %s pact", (audience, file) => {
    const receipt = async (instanceLogo: Buffer): Promise<ReceiptDocument> => {
      const verifyUrl = 'https://ikrar.example.go.id/verifikasi/ABCD-EFGH-JKLM-NPQR';
      return {
        instanceName: 'Pemerintah Provinsi Jawa Tengah',
        instanceAddress: 'Jalan Pahlawan No. 9, Semarang 50243, Jawa Tengah',
        instanceLogo,
        pactTitle: demoPactTitles(2025)[audience],
        pactVersion: 1,
        pactBody: readFileSync(new URL(`../../db/seeds/${file}.md`, import.meta.url), 'utf8').replaceAll(
          '{tahun}',
          '2025',
        ),
        identity: {
          fullName: 'Dr. Ir. Raden Bambang Setyo Wibowo Kusumanegara, M.Si., M.M.',
          nip: '19860926 201505 1 001',
          position: 'Kepala Dinas',
          pangkat: 'Pembina Utama Muda, IV/c',
          actingAs: 'Plt. Kepala Dinas Komunikasi dan Informatika Provinsi Jawa Tengah',
          unitName: 'Dinas Komunikasi dan Informatika',
        },
        placeAndDate: 'Semarang, 26 September 2025',
        signaturePng: null,
        receiptCode: 'ABCD-EFGH-JKLM-NPQR',
        signedAtText: '26 September 2025 pukul 09.15 WIB',
        paperNote: null,
        ceremonyText: 'Ikrar bersama: 26 September 2025, Gedung Gradhika Bhakti Praja',
        verifyUrl,
        qrPng: await QRCode.toBuffer(verifyUrl),
        ledger: { seq: 42, hash: '0123456789abcdef'.repeat(4) },
        voided: null,
      };
    };

    it.each([
      ['a square emblem', 400, 400],
      ['a wide wordmark', 900, 200],
    ])('keeps to one page with %s at the left of the name', async (_shape, width, height) => {
      const stored = await logo(width, height);
      const pdf = await renderReceiptPdf(await receipt(stored.printPng), defaultTranslator());
      expect(popplerPageCount(pdf)).toBe(1);
      expect(logoImages(pdf, stored)).toHaveLength(1);
      expectNameClearOfLogo(pdf, 50, 'PEMERINTAH');
    });
  });
});

describe('documents printed with the logo', () => {
  let t: TestApp;
  let agent: Agent;
  let stored: CheckedLogo;
  beforeEach(async () => {
    t = await createTestApp({ BASE_URL: 'http://ikrar.uji' });
    stored = await logo(400, 400);
    await t.services.settings.putLogo(stored, t.clock.now());
    ({ agent } = await loggedInAdmin(t));
  });
  afterEach(() => t.close());

  const get = async (path: string) => {
    const res = await agent.get(path).buffer(true).parse(binaryParser);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/pdf/);
    return res.body as Buffer;
  };

  it('draws it on the compliance report and on the signing sheet', async () => {
    const unit = await t.make.unit({ code: 'DISKOMINFO', name: 'Dinas Komunikasi dan Informatika' });
    await t.make.user({ unitId: unit.id, fullName: 'Dewi Lestari' });
    const pact = await makePact(t.services);
    const report = await get(`/admin/kepatuhan/${pact.id}?format=pdf`);
    expect(logoImages(report, stored)).toHaveLength(1);
    const sheet = await get(`/admin/kepatuhan/${pact.id}/kertas/lembar?unit=${unit.id}`);
    expect(logoImages(sheet, stored)).toHaveLength(1);
    expectNameClearOfLogo(sheet, 40, 'IKRAR');
  });

  it('keeps two activation letters to an A5 sheet with the longest letterhead, the logo embedded once', async () => {
    await t.services.settings.put('instance.name', 'Pemerintah Provinsi '.repeat(7).trim(), t.clock.now());
    await t.services.settings.put(
      'instance.address',
      'Jalan Pahlawan Nomor 9 Semarang '.repeat(9).trim(),
      t.clock.now(),
    );
    await t.services.settings.put('instance.phone', '(024) 8311174', t.clock.now());
    await t.services.settings.put('instance.email', 'bkd@jatengprov.go.id', t.clock.now());
    const unit = await t.make.unit({
      name: `Badan ${'Penelitian dan Pengembangan Daerah '.repeat(6)}`.trim(),
    });
    for (let i = 0; i < 3; i++) {
      const person = await t.make.user({ unitId: unit.id, email: null, password: null });
      await t.services.users.update(
        person.id,
        { ...person, fullName: `Prof. Dr. ${'Raden Mas Panji '.repeat(8)}`.slice(0, 150) },
        t.clock.now(),
      );
    }
    const token = await fetchCsrfToken(agent, '/admin/surat-aktivasi');
    const prepared = await agent
      .post('/admin/surat-aktivasi')
      .type('form')
      .send({ _csrf: token, kind: 'unit', unit_id: String(unit.id), layout: 'a5' });
    const batchId = /\/admin\/surat-aktivasi\/(\d+)\/cetak/.exec(prepared.text)?.[1];
    const printToken = await fetchCsrfToken(agent, `/admin/surat-aktivasi/${batchId}`);
    const printed = await agent
      .post(`/admin/surat-aktivasi/${batchId}/cetak`)
      .type('form')
      .send({ _csrf: printToken })
      .buffer(true)
      .parse(binaryParser);
    const pdf = printed.body as Buffer;
    expect(popplerPageCount(pdf)).toBe(2);
    // Streamed letters are compressed, but not their objects' dictionaries: one picture for three letterheads.
    expect(pdf.toString('latin1').match(/\/Subtype \/Image/g)).toHaveLength(1);
  });
});
