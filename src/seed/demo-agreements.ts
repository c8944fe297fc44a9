import PDFDocument from 'pdfkit';
import { type RecordServices, recordUnitAgreement } from '../agreements/record-unit-agreement.js';
import { changeAgreementStatus, createAgreement } from '../agreements/save-agreement.js';
import { systemActor } from '../audit/record-event.js';
import { pdfBytes } from '../pdf/document.js';
import { checkScan } from '../scans/scan-file.js';
import { formatDay } from '../web/format.js';
import { seededRandom } from './people.js';

/**
 * The kabupaten that had not signed their NPHD when the province reported on 21 November 2023 (33 of 35 had):
 * Pemalang and Pati.
 */
const NOT_YET_SIGNED = ['33.27', '33.18'];
const FIRST_DAY = Date.UTC(2023, 9, 2); // 2 October 2023
const REPORT_DAY = Date.UTC(2023, 10, 21); // 21 November 2023
const DAY_MS = 24 * 60 * 60 * 1000;
const ROMAN_MONTHS = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];

const DESCRIPTION = [
  'Naskah Perjanjian Hibah Daerah (NPHD) antara pemerintah kabupaten/kota dan KPU serta Bawaslu kabupaten/kota ' +
    'setempat, untuk pendanaan Pemilihan Gubernur dan Wakil Gubernur serta Bupati/Wali Kota dan wakilnya ' +
    'Serentak 2024.',
  'Data per 21 November 2023.',
].join('\n\n');

/** The day a kabupaten/kota signed: most in the first three weeks of November, none after the report. */
function signingDay(random: () => number): string {
  const span = (REPORT_DAY - FIRST_DAY) / DAY_MS;
  // Skewed towards the report: √ of a uniform number is more often near 1.
  let at = FIRST_DAY + Math.floor(Math.sqrt(random()) * span) * DAY_MS;
  // Signed on a working day: a Saturday or Sunday moves to the Friday before.
  const weekday = new Date(at).getUTCDay();
  if (weekday === 6) at -= DAY_MS;
  if (weekday === 0) at -= 2 * DAY_MS;
  return new Date(at).toISOString().slice(0, 10);
}

/**
 * A one-page PDF standing in for the scan of the signed NPHD, and saying so: the demo has no real document. Plain
 * text in Helvetica, dated by its day so that every fresh demo makes the same bytes.
 */
async function demoScan(unitName: string, number: string, day: string): Promise<Buffer> {
  const pdf = new PDFDocument({
    size: 'A4',
    margin: 72,
    compress: false,
    info: {
      Title: `NPHD ${unitName}`,
      Author: 'Ikrar (demo)',
      Creator: 'Ikrar',
      CreationDate: new Date(`${day}T03:00:00Z`),
    },
  });
  const bytes = pdfBytes(pdf);
  pdf.font('Helvetica-Bold').fontSize(14).text('NASKAH PERJANJIAN HIBAH DAERAH', { align: 'center' });
  pdf.moveDown(0.5);
  pdf.font('Helvetica').fontSize(11).text(`Nomor: ${number}`, { align: 'center' });
  pdf.moveDown(1.5);
  pdf.text(
    `Antara Pemerintah ${unitName} dengan Komisi Pemilihan Umum ${unitName} dan Badan Pengawas Pemilihan Umum ${unitName}`,
    {
      align: 'center',
    },
  );
  pdf.moveDown(1.5);
  pdf.text(
    'tentang Hibah Daerah untuk Pendanaan Pemilihan Gubernur dan Wakil Gubernur serta Bupati/Wali Kota dan ' +
      'Wakilnya Serentak Tahun 2024.',
    { align: 'justify' },
  );
  pdf.moveDown();
  pdf.text(`Ditandatangani pada tanggal ${formatDay(day)}.`);
  pdf.moveDown(3);
  pdf
    .font('Helvetica-Oblique')
    .fontSize(9)
    .fillColor('#555555')
    .text('Dokumen contoh untuk data demo Ikrar. Bukan pindaian dokumen asli.');
  pdf.end();
  return bytes;
}

/**
 * The NPHD Pilkada 2024 tracker of the 35 kabupaten/kota as the province reported it on 21 November 2023: 33 signed
 * (each with its day, number, parties and a stand-in scan), Pemalang and Pati outstanding; open, so that it shows on
 * the home page and /kepatuhan. Through the real operations, audited. Runs inside the demo seed's transaction.
 */
export async function seedDemoAgreements(services: RecordServices): Promise<{ agreements: number }> {
  const random = seededRandom(20231121);
  const actor = systemActor;
  const created = await createAgreement(services, {
    actor,
    fields: {
      title: 'Penandatanganan NPHD Pilkada Serentak 2024',
      description: DESCRIPTION,
      scope: 'kabkota',
      parentUnitId: null,
      deadlineOn: '2023-11-10',
    },
  });
  if (!created.ok) throw new Error('demo agreement could not be created');
  const agreement = await services.agreements.findById(created.agreementId);
  if (!agreement) throw new Error('demo agreement vanished');

  for (const unit of await services.agreements.units(agreement)) {
    if (NOT_YET_SIGNED.includes(unit.code)) continue;
    const signedOn = signingDay(random);
    // Each government numbers its own letters: the number of the year so far, the month in Roman numerals.
    const month = ROMAN_MONTHS[Number(signedOn.slice(5, 7)) - 1] as string;
    const documentNumber = `900/${200 + Math.floor(random() * 1800)}/${month}/2023`;
    const scan = await checkScan(
      await demoScan(unit.name, documentNumber, signedOn),
      `NPHD ${unit.name}.pdf`,
    );
    if (!scan.ok) throw new Error(`demo scan refused: ${scan.problem}`);
    const recorded = await recordUnitAgreement(services, {
      agreementId: agreement.id,
      unitId: unit.unitId,
      input: {
        status: 'signed',
        signedOn,
        documentNumber,
        parties: `KPU ${unit.name}; Bawaslu ${unit.name}`,
        note: null,
      },
      scan,
      actor,
    });
    if (!recorded.ok) throw new Error(`demo record refused for ${unit.name}`);
  }
  const opened = await changeAgreementStatus(services, { agreementId: agreement.id, status: 'open', actor });
  if (!opened.ok) throw new Error('demo agreement could not be opened');
  return { agreements: 1 };
}
