import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { winAnsi } from '../../src/pdf/win-ansi.js';
import {
  type ReceiptDocument,
  renderReceiptPdf as renderIn,
} from '../../src/pledges/receipts/receipt-pdf.js';
import { demoPactTitles } from '../../src/seed/demo-pacts.js';
import { defaultTranslator } from '../../src/web/i18n.js';
import { pageCount, pageLines, pageTexts, squash, pdfText as textOf } from '../helpers/pdf.js';
import { popplerLines, popplerPageCount, popplerWords } from '../helpers/poppler.js';

/** The receipt as an Indonesian reader gets it. */
const renderReceiptPdf = (doc: ReceiptDocument) => renderIn(doc, defaultTranslator());

const VERIFY_URL = 'https://ikrar.example.go.id/verifikasi/ABCD-EFGH-JKLM-NPQR';
const HASH = '0123456789abcdef'.repeat(4);

const PACT_BODY = `Dalam rangka menjaga **netralitas** Aparatur Sipil Negara, saya menyatakan bahwa saya:

1. Menjaga prinsip netralitas ASN sebelum, selama dan sesudah pemilihan.
2. Tidak memihak kepada calon tertentu.
3. Menolak politik uang dan segala jenis pemberian.

Apabila saya melanggar, saya siap menerima sanksi sesuai peraturan perundang-undangan.`;

async function receipt(overrides: Partial<ReceiptDocument> = {}): Promise<ReceiptDocument> {
  return {
    instanceName: 'Pemerintah Provinsi Jawa Tengah',
    instanceAddress: 'Jl. Pahlawan No. 9, Semarang',
    pactTitle: 'Pakta Integritas Netralitas ASN pada Pemilu dan Pemilihan Serentak 2024',
    pactVersion: 3,
    pactBody: PACT_BODY,
    identity: {
      fullName: 'Sri Wahyuningsih',
      nip: '19860926 201505 2 001',
      position: 'Analis Kepegawaian',
      pangkat: 'Penata Tk. I, III/d',
      actingAs: null,
      unitName: 'Badan Kepegawaian Daerah',
    },
    placeAndDate: 'Semarang, 26 September 2023',
    signaturePng: null,
    receiptCode: 'ABCD-EFGH-JKLM-NPQR',
    signedAtText: '26 September 2023 pukul 09.15 WIB',
    paperNote: null,
    ceremonyText: null,
    verifyUrl: VERIFY_URL,
    qrPng: await QRCode.toBuffer(VERIFY_URL),
    ledger: { seq: 42, hash: HASH },
    voided: null,
    ...overrides,
  };
}

function signaturePng(): Buffer {
  const png = new PNG({ width: 200, height: 80 });
  for (let x = 10; x < 190; x++) {
    const y = Math.round(40 + 25 * Math.sin(x / 15));
    const i = (y * 200 + x) * 4;
    png.data[i + 2] = 128;
    png.data[i + 3] = 255;
  }
  return PNG.sync.write(png);
}

// --- Reading a pdfkit PDF back (uncompressed content streams, built-in fonts) ---------------------------

// WinAnsiEncoding is Latin-1 except for 0x80–0x9f.
describe('renderReceiptPdf', () => {
  it('produces one complete PDF document', async () => {
    const pdf = await renderReceiptPdf(await receipt());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).toMatch(/%%EOF\n?$/);
    expect(pageCount(pdf)).toBe(1);
  });

  it('reads like the paper pact: letterhead, title, identity block, body and signature block', async () => {
    const text = textOf(await renderReceiptPdf(await receipt()));
    expect(text).toContain('PEMERINTAH PROVINSI JAWA TENGAH');
    expect(text).toContain(
      'PAKTA INTEGRITAS Pakta Integritas Netralitas ASN pada Pemilu dan Pemilihan Serentak 2024',
    );
    expect(text).toContain('Versi 3');
    expect(text).toContain('Yang bertanda tangan di bawah ini:');
    expect(text).toContain('Nama : Sri Wahyuningsih');
    expect(text).toContain('NIP : 19860926 201505 2 001');
    expect(text).toContain('Pangkat/gol. : Penata Tk. I, III/d');
    expect(text).toContain('Jabatan : Analis Kepegawaian');
    expect(text).not.toContain('Selaku');
    expect(text).toContain('Unit Kerja : Badan Kepegawaian Daerah');
    expect(text).toContain('menjaga netralitas Aparatur Sipil Negara');
    expect(text).toContain('1. Menjaga prinsip netralitas ASN');
    expect(text).toContain('3. Menolak politik uang');
    expect(text).toContain('siap menerima sanksi');
    expect(text).toContain('Semarang, 26 September 2023 Yang membuat pernyataan,');
    expect(text).toContain('Sri Wahyuningsih NIP. 19860926 201505 2 001');
    expect(text).not.toContain('**');
  });

  it('prints the receipt code, signing time, verification address and ledger position in the footer', async () => {
    const text = textOf(await renderReceiptPdf(await receipt()));
    expect(text).toContain('Kode tanda terima: ABCD-EFGH-JKLM-NPQR');
    expect(text).toContain('Ditandatangani: 26 September 2023 pukul 09.15 WIB');
    expect(text).toContain(`Verifikasi: ${VERIFY_URL}`);
    expect(text).toContain('Buku besar: #42 0123456789abcdef…');
    expect(text).not.toContain('0123456789abcdef0');
  });

  it('sets the document title, author and subject', async () => {
    const pdf = (await renderReceiptPdf(await receipt())).toString('latin1');
    expect(pdf).toContain('(Pakta Integritas Netralitas ASN pada Pemilu dan Pemilihan Serentak 2024)');
    expect(pdf).toContain('(Pemerintah Provinsi Jawa Tengah)');
    expect(pdf).toContain('(Tanda terima ABCD-EFGH-JKLM-NPQR)');
  });

  it('says the pact was signed by typing the name when there is no drawn signature', async () => {
    const pdf = await renderReceiptPdf(await receipt({ signaturePng: null }));
    expect(textOf(pdf)).toContain('(ditandatangani secara elektronik dengan mengetik nama lengkap)');
    // Only the QR code is an image.
    expect(pdf.toString('latin1')).not.toMatch(/\/Width 200\s+\/Height 80/);
    expect(pdf.toString('latin1').match(/\/I\d+ Do/g)).toHaveLength(1);
  });

  it('embeds the drawn signature image instead of the typed-name line', async () => {
    const pdf = await renderReceiptPdf(await receipt({ signaturePng: signaturePng() }));
    const raw = pdf.toString('latin1');
    expect(raw).toContain('/Subtype /Image');
    expect(raw).toMatch(/\/Width 200\s+\/Height 80/);
    expect(raw.match(/\/I\d+ Do/g)).toHaveLength(2);
    expect(textOf(pdf)).not.toContain('mengetik nama lengkap');
  });

  it('shows "-" for a missing NIP', async () => {
    const doc = await receipt();
    const text = textOf(await renderReceiptPdf({ ...doc, identity: { ...doc.identity, nip: null } }));
    expect(text).toContain('NIP : -');
    expect(text).toContain('NIP. -');
  });

  it('shows a banner with date and reason on a voided signature, and only then', async () => {
    const voided = { atText: '27 September 2023 pukul 10.00 WIB', reason: 'Ditandatangani oleh orang lain.' };
    const text = textOf(await renderReceiptPdf(await receipt({ voided })));
    expect(text).toContain(
      'TANDA TANGAN INI DIBATALKAN pada 27 September 2023 pukul 10.00 WIB. Alasan: Ditandatangani oleh orang lain.',
    );

    const valid = textOf(await renderReceiptPdf(await receipt()));
    expect(valid).not.toContain('DIBATALKAN');
    expect(valid).not.toContain('Alasan');
  });

  it('flows a long pact onto more pages and keeps the signature and footer together on the last one', async () => {
    const items = Array.from(
      { length: 60 },
      (_, i) => `${i + 1}. Komitmen nomor ${i + 1} untuk tetap netral.`,
    );
    const pdf = await renderReceiptPdf(await receipt({ pactBody: `Saya berjanji:\n\n${items.join('\n')}` }));
    expect(pageCount(pdf)).toBeGreaterThanOrEqual(2);

    const pages = pageTexts(pdf).map(squash);
    expect(pages).toHaveLength(pageCount(pdf));
    const last = pages.at(-1) ?? '';
    expect(last).toContain('Kode tanda terima: ABCD-EFGH-JKLM-NPQR');
    expect(last).toContain('Yang membuat pernyataan,');
    expect(last).toContain('Sri Wahyuningsih');
    expect(pages[0]).not.toContain('Kode tanda terima');
    expect(pages.join(' ')).toContain('60. Komitmen nomor 60 untuk tetap netral.');
    expect(pages[0]).toContain(`Halaman 1 dari ${pages.length}`);
  });

  it('never splits the signature block from the verification column, wherever the body ends', async () => {
    for (let n = 20; n <= 44; n++) {
      const items = Array.from(
        { length: n },
        (_, i) => `${i + 1}. Komitmen nomor ${i + 1} untuk tetap netral.`,
      );
      const pdf = await renderReceiptPdf(await receipt({ pactBody: items.join('\n') }));
      const pages = pageLines(pdf);
      const last = pages.at(-1) ?? [];
      const find = (start: string) => last.find((line) => line.text.startsWith(start));
      const place = find('Semarang, 26 September 2023');
      const nip = find('NIP. 19860926');
      const footer = find('Kode tanda terima:');
      expect(place, `${n} commitments`).toBeDefined();
      expect(nip, `${n} commitments`).toBeDefined();
      expect(footer, `${n} commitments`).toBeDefined();
      // The signature block in order, on the same page as the receipt code.
      expect(place?.y ?? 0).toBeGreaterThan(nip?.y ?? Number.POSITIVE_INFINITY);
      expect(
        pages
          .slice(0, -1)
          .flat()
          .some((line) => /Yang membuat pernyataan|Kode tanda terima/.test(line.text)),
      ).toBe(false);
    }
  });

  describe.each([
    ['heads', 'pakta-kepala-opd'],
    ['all', 'pakta-asn'],
  ] as const)("the demo's %s pact", (audience, file) => {
    const demoReceipt = async (overrides: Partial<ReceiptDocument> = {}) =>
      receipt({
        pactTitle: demoPactTitles(2025)[audience],
        pactVersion: 1,
        pactBody: readFileSync(new URL(`../../db/seeds/${file}.md`, import.meta.url), 'utf8').replaceAll(
          '{tahun}',
          '2025',
        ),
        signaturePng: signaturePng(),
        ...overrides,
      });

    it('prints on one page, the drawn signature and the QR code under the text', async () => {
      const pdf = await renderReceiptPdf(await demoReceipt());
      expect(popplerPageCount(pdf)).toBe(1);
      const lines = popplerLines(pdf, 1);
      const at = (text: string) => lines.findIndex((line) => line.includes(text));
      expect(at('Demikian pakta integritas ini')).toBeGreaterThan(0);
      expect(at('Yang membuat pernyataan,')).toBeGreaterThan(at('Demikian pakta integritas ini'));
      expect(at('Sri Wahyuningsih') === -1).toBe(false);
      expect(at('NIP. 19860926 201505 2 001')).toBeGreaterThan(at('Yang membuat pernyataan,'));
      expect(at('Kode tanda terima: ABCD-EFGH-JKLM-NPQR')).toBeGreaterThan(
        at('Demikian pakta integritas ini'),
      );
      expect(at('Halaman 1 dari 1')).toBeGreaterThan(at('NIP. 19860926 201505 2 001'));
      // Both images, the drawing and the QR code, are drawn on that page.
      expect(pdf.toString('latin1').match(/\/I\d+ Do/g)).toHaveLength(2);
      // The verification column stands at the left, the signature block at the right.
      const words = popplerWords(pdf, 1);
      const kode = words.find((w) => w.text === 'Kode');
      const role = words.find((w) => w.text === 'pernyataan,');
      expect(kode?.xMax ?? Number.POSITIVE_INFINITY).toBeLessThan(role?.xMin ?? 0);
    });

    it('still prints on one page for an acting head, with a ceremony and a long name', async () => {
      const doc = await demoReceipt({
        ceremonyText: 'Ikrar bersama: 26 September 2025, Gedung Gradhika Bhakti Praja',
      });
      const pdf = await renderReceiptPdf({
        ...doc,
        identity: {
          ...doc.identity,
          fullName: 'Dr. Ir. Raden Bambang Setyo Wibowo Kusumanegara, M.Si., M.M.',
          actingAs: 'Plt. Kepala Dinas Komunikasi dan Informatika Provinsi Jawa Tengah',
        },
      });
      expect(popplerPageCount(pdf)).toBe(1);
      expect(popplerLines(pdf, 1).join('\n')).toContain('Selaku');
    });
  });

  it('sets a long text smaller to keep one page, and a short one at the paper size', async () => {
    const width = async (body: string) => {
      const pdf = await renderReceiptPdf(await receipt({ pactBody: body }));
      const word = popplerWords(pdf, 1).find((w) => w.text === 'Menjaga');
      return (word?.xMax ?? 0) - (word?.xMin ?? 0);
    };
    const short = await width(PACT_BODY);
    const demo = await width(
      readFileSync(new URL('../../db/seeds/pakta-kepala-opd.md', import.meta.url), 'utf8'),
    );
    expect(demo).toBeGreaterThan(0);
    expect(demo).toBeLessThan(short);
    // Never below 9.5 pt: 9.5/11 of the paper size.
    expect(demo / short).toBeGreaterThan(0.86);
  });

  it('does not throw on unusual Markdown and still prints its words', async () => {
    const body = [
      '# Pernyataan',
      '| Hak | Kewajiban |\n|---|---|\n| netral | patuh |',
      '<div>Tanda &amp; <b>cap</b></div>',
      '> Kutipan pasal',
      '```\nkode contoh\n```',
      '---',
      '- butir\n  - anak *butir*',
      '3. mulai dari tiga\n4. lalu empat',
    ].join('\n\n');
    const text = textOf(await renderReceiptPdf(await receipt({ pactBody: body })));
    for (const words of [
      'Pernyataan',
      'Hak | Kewajiban',
      'netral | patuh',
      'Tanda & cap',
      'Kutipan pasal',
      'kode contoh',
      '• butir',
      '• anak butir',
      '3. mulai dari tiga',
      '4. lalu empat',
    ]) {
      expect(text).toContain(words);
    }
    expect(text).not.toContain('<div>');

    await expect(renderReceiptPdf(await receipt({ pactBody: '' }))).resolves.toBeInstanceOf(Buffer);
    await expect(
      renderReceiptPdf(await receipt({ pactBody: '<script>x</script>\n\n[]()' })),
    ).resolves.toBeInstanceOf(Buffer);
  });

  it('keeps text readable when a name has characters the built-in fonts cannot show', async () => {
    const doc = await receipt();
    const pdf = await renderReceiptPdf({
      ...doc,
      identity: { ...doc.identity, fullName: 'Łukasz Ğündüz 😀' },
    });
    expect(textOf(pdf)).toContain('Nama : Lukasz Gündüz ?');
    // pdfkit would write such characters as odd-length hex strings and garble the line.
    for (const m of pdf.toString('latin1').matchAll(/<([0-9a-f]*)>/g)) {
      expect((m[1] ?? '').length % 2).toBe(0);
    }
  });
});

describe('winAnsi', () => {
  it('keeps Latin-1 and typographic punctuation, strips accents, replaces the rest', () => {
    expect(winAnsi('Café “kutip” – …')).toBe('Café “kutip” – …');
    expect(winAnsi('Ğ ș ł')).toBe('G s l');
    expect(winAnsi('a\tb\u200bc\u0007d 中')).toBe('a bcd ?');
  });
});
