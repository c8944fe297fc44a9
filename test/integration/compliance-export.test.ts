import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DETAIL_PAGE } from '../../src/compliance/people-repository.js';
import { formatNip } from '../../src/directory/nip.js';
import { formatReceiptCode } from '../../src/pledges/receipt-code.js';
import { voidSignature } from '../../src/pledges/receipts/void-signature.js';
import { readInstanceSettings, writeInstanceSettings } from '../../src/settings/instance.js';
import { createFormatter } from '../../src/web/format.js';
import { loggedInAdmin, loggedInAs } from '../helpers/http.js';
import { binaryParser, makePact, pdfText, signAs } from '../helpers/pacts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** The report's exports agree with the page: same units, same numbers, for the same viewer and filters. */
describe('compliance report exports', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  async function province() {
    const dinkes = await t.make.unit({ name: 'Dinas Kesehatan', code: 'DINKES' });
    const bkd = await t.make.unit({ name: 'Badan Kepegawaian Daerah', code: 'BKD' });
    const pact = await makePact(t.services, { audience: 'all', title: 'Pakta Netralitas Uji' });
    const people = [];
    for (const unit of [dinkes, dinkes, dinkes, bkd, bkd])
      people.push(await t.make.user({ unitId: unit.id }));
    for (const person of people.slice(0, 2)) await signAs(t.services, pact, person);
    await signAs(t.services, pact, people[3] as (typeof people)[number]);
    return { dinkes, bkd, pact, people };
  }

  const download = (agent: Awaited<ReturnType<typeof loggedInAdmin>>['agent'], url: string) =>
    agent.get(url).buffer(true).parse(binaryParser);

  it('gives the unit table as CSV with the numbers on the page', async () => {
    const { pact } = await province();
    const { agent } = await loggedInAdmin(t);
    const res = await download(agent, `/admin/kepatuhan/${pact.id}?format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('attachment');
    const rows = parse(res.body as Buffer, { delimiter: ';', bom: true }) as string[][];
    const byCode = Object.fromEntries(rows.slice(1).map((row) => [row[0], row]));
    expect(rows[0]?.slice(4, 8)).toEqual(['Wajib', 'Sudah', 'Belum', 'Persentase']);
    expect(byCode.DINKES?.slice(4, 8)).toEqual(['3', '2', '1', '66,7']);
    expect(byCode.BKD?.slice(4, 8)).toEqual(['2', '1', '1', '50']);
  });

  it('gives an XLSX with the summary and every person, numbers as numbers', async () => {
    const { pact } = await province();
    const { agent } = await loggedInAdmin(t);
    const res = await download(agent, `/admin/kepatuhan/${pact.id}?format=xlsx`);
    expect(res.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as unknown as ExcelJS.Buffer);
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual(['Ringkasan', 'Rincian']);
    const detail = book.getWorksheet('Rincian');
    expect((detail?.rowCount ?? 0) - 1).toBe(5);
  });

  it('gives a printable PDF with the totals', async () => {
    const { pact } = await province();
    const { agent } = await loggedInAdmin(t);
    const res = await download(agent, `/admin/kepatuhan/${pact.id}?format=pdf`);
    expect(res.status).toBe(200);
    const body = res.body as Buffer;
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(body);
    expect(text).toContain('Pakta Netralitas Uji');
    expect(text).toContain('3 dari 5');
  });

  it("ends the printable report with the 'Mengetahui,' block of the official set in the settings", async () => {
    const { pact } = await province();
    const instance = await readInstanceSettings(t.services.settings);
    await writeInstanceSettings(
      t.services.settings,
      {
        ...instance,
        place: 'Semarang',
        officialTitle: 'Sekretaris Daerah Provinsi Jawa Tengah',
        officialName: 'Drs. Sumarno, M.M.',
        officialNip: '196703151993031008',
      },
      t.clock.now(),
    );
    const { agent } = await loggedInAdmin(t);
    const res = await download(agent, `/admin/kepatuhan/${pact.id}?format=pdf`);
    expect(res.status).toBe(200);
    const text = await pdfText(res.body as Buffer);
    const closing = text.slice(text.indexOf('Mengetahui,'));
    expect(closing).toMatch(
      /^Mengetahui,\s+Sekretaris Daerah Provinsi Jawa Tengah\s+Drs\. Sumarno, M\.M\.\s+NIP\. 19670315 199303 1 008/,
    );
    // After the table, dated the day it was printed.
    expect(text.indexOf('Mengetahui,')).toBeGreaterThan(text.indexOf('DINKES'));
    const day = createFormatter(t.config.timeZone).formatShortDate(t.clock.now());
    expect(text).toContain(`, ${day}`);
  });

  it("gives one unit's people as CSV from the drill-down", async () => {
    const { pact, dinkes, people } = await province();
    const { agent } = await loggedInAdmin(t);
    const res = await download(agent, `/admin/kepatuhan/${pact.id}/unit/${dinkes.id}?format=csv`);
    const rows = parse(res.body as Buffer, { delimiter: ';', bom: true }) as string[][];
    expect(rows.length - 1).toBe(3);
    expect(rows.map((row) => row[1])).toContain(people[0]?.fullName);
  });

  it("lists every one of a large unit's people by name, read a page at a time", async () => {
    const unit = await t.make.unit({ name: 'Dinas Pendidikan', code: 'DISDIK' });
    const pact = await makePact(t.services, { audience: 'all', title: 'Pakta Netralitas Uji' });
    const count = DETAIL_PAGE * 2 + 345;
    const names: string[] = [];
    for (let i = 0; i < count; i += 1) {
      // Names in an order of their own, not the order the people were added in; some alike, ordered by id.
      const fullName = `Pegawai ${String((i * 7919) % 1000).padStart(4, '0')}`;
      names.push(fullName);
      await t.services.users.insert(
        {
          nip: `19860926${String(i).padStart(10, '0')}`,
          employeeType: 'PNS',
          email: null,
          fullName,
          position: '',
          pangkat: null,
          unitId: unit.id,
          role: 'signer',
          passwordHash: null,
          mustChangePassword: false,
        },
        new Date(),
      );
    }
    const { agent } = await loggedInAdmin(t);
    const res = await download(agent, `/admin/kepatuhan/${pact.id}/unit/${unit.id}?format=csv`);
    expect(res.status).toBe(200);
    const rows = parse(res.body as Buffer, { delimiter: ';', bom: true }) as string[][];
    const listed = rows.slice(1).map((row) => row[1]);
    expect(listed).toHaveLength(count);
    expect(listed).toEqual([...names].sort());
    expect(new Set(rows.slice(1).map((row) => row[2])).size).toBe(count);
  });

  it("prints one unit's people as a PDF from the drill-down: who has not signed and who has", async () => {
    const dinkes = await t.make.unit({ name: 'Dinas Kesehatan', code: 'DINKES' });
    const bkd = await t.make.unit({ name: 'Badan Kepegawaian Daerah', code: 'BKD' });
    const pact = await makePact(t.services, { audience: 'all', title: 'Pakta Netralitas Uji' });
    const signer = await t.make.user({ unitId: dinkes.id, fullName: 'Ahmad Fauzi' });
    const voidedSigner = await t.make.user({ unitId: dinkes.id, fullName: 'Budi Santoso' });
    const outstanding = await t.make.user({ unitId: dinkes.id, fullName: 'Citra Kirana' });
    const elsewhere = await t.make.user({ unitId: bkd.id, fullName: 'Dodi Hermawan' });
    const signedCode = await signAs(t.services, pact, signer);
    const voidedCode = await signAs(t.services, pact, voidedSigner);
    await signAs(t.services, pact, elsewhere);
    const { agent, admin } = await loggedInAdmin(t);
    // A voided signature puts its signer back among those who have not signed.
    const voided = await voidSignature(t.services, {
      receiptCode: voidedCode,
      reason: 'Ditandatangani oleh orang yang salah.',
      actor: { userId: admin.id, ip: null, userAgent: null },
    });
    expect(voided.ok).toBe(true);

    const res = await download(agent, `/admin/kepatuhan/${pact.id}/unit/${dinkes.id}?format=pdf`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('application/pdf');
    expect(res.headers['content-disposition']).toContain(`kepatuhan-${pact.id}-DINKES-`);
    const body = res.body as Buffer;
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(body);
    expect(text).toContain('Pakta Netralitas Uji');
    expect(text).toContain('DINKES Dinas Kesehatan');
    expect(text).toContain('1 dari 3');
    expect(text).toContain('Halaman 1 dari 1');

    const belum = text.indexOf('Belum menandatangani (2)');
    const sudah = text.indexOf('Sudah menandatangani (1)');
    expect(belum).toBeGreaterThan(-1);
    expect(sudah).toBeGreaterThan(belum);
    const notSigned = text.slice(belum, sudah);
    const signed = text.slice(sudah);
    for (const person of [voidedSigner, outstanding]) {
      expect(notSigned).toContain(person.fullName);
      expect(notSigned).toContain(formatNip(person.nip as string));
    }
    expect(signed).toContain('Ahmad Fauzi');
    expect(signed).toContain(formatReceiptCode(signedCode));
    expect(signed).not.toContain('Citra Kirana');
    expect(text).not.toContain(formatReceiptCode(voidedCode));
    // Only this unit's people.
    expect(text).not.toContain('Dodi Hermawan');
  });

  it("gives an operator their own unit's people PDF, and a 404 for another unit", async () => {
    const dinkes = await t.make.unit({ name: 'Dinas Kesehatan', code: 'DINKES' });
    const bkd = await t.make.unit({ name: 'Badan Kepegawaian Daerah', code: 'BKD' });
    const pact = await makePact(t.services, { audience: 'all', title: 'Pakta Netralitas Uji' });
    await t.make.user({ unitId: dinkes.id, fullName: 'Eka Putri' });
    const own = await t.make.user({ unitId: bkd.id, fullName: 'Fajar Nugroho' });
    await signAs(t.services, pact, own);
    const { agent } = await loggedInAs(t, 'operator', { unitId: bkd.id });

    const other = await agent.get(`/admin/kepatuhan/${pact.id}/unit/${dinkes.id}?format=pdf`);
    expect(other.status).toBe(404);
    expect(other.headers['content-type']).not.toContain('application/pdf');

    const res = await download(agent, `/admin/kepatuhan/${pact.id}/unit/${bkd.id}?format=pdf`);
    expect(res.status).toBe(200);
    const text = await pdfText(res.body as Buffer);
    expect(text).toContain('Sudah menandatangani (1)');
    expect(text).toContain('Fajar Nugroho');
    expect(text).not.toContain('Eka Putri');
  });

  it('refuses an unknown format, and an operator cannot export another unit', async () => {
    const { pact, bkd, dinkes } = await province();
    const { agent } = await loggedInAs(t, 'operator', { unitId: dinkes.id });
    for (const format of ['doc', 'toString', '__proto__']) {
      expect((await agent.get(`/admin/kepatuhan/${pact.id}?format=${format}`)).status).toBe(400);
    }
    expect((await agent.get(`/admin/kepatuhan/${pact.id}/unit/${bkd.id}?format=csv`)).status).toBe(404);
    const own = await download(agent, `/admin/kepatuhan/${pact.id}?format=csv`);
    const text = (own.body as Buffer).toString();
    expect(text).toContain('DINKES');
    expect(text).not.toContain('BKD');
  });
});
