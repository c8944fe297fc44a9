import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ComplianceIndexPage, ComplianceReportPage } from './pages/admin-pages.js';
import { LoginPage } from './pages/signing-pages.js';
import { expectAccessible, LAPTOP } from './support/browser.js';
import { ALL_ASN_PACT as ALL_ASN } from './support/demo.js';
import { useJourney } from './support/journey.js';

/** The demo's all-ASN pact: this year's (the app seeds it with the same clock and the default TIME_ZONE). */

/** The label in column A of the "Ringkasan" title block → the value in column B. */
function summaryTotals(sheet: ExcelJS.Worksheet): Record<string, ExcelJS.CellValue> {
  const totals: Record<string, ExcelJS.CellValue> = {};
  for (let row = 1; row <= 8; row++) {
    const label = sheet.getCell(row, 1).value;
    if (typeof label === 'string') totals[label] = sheet.getCell(row, 2).value;
  }
  return totals;
}

// An admin on a laptop opens the compliance report of the all-ASN demo pact, downloads it as a spreadsheet, and the
// spreadsheet's totals are the ones on the screen.
describe('an admin downloads the compliance report as XLSX', () => {
  const journey = useJourney();
  let page: Page;

  beforeAll(async () => {
    page = await (await journey.browser.newContext({ ...LAPTOP, acceptDownloads: true })).newPage();
  });

  it('opens the report of the all-ASN pact', async () => {
    await page.goto(`${journey.app.url}/masuk?next=/admin/kepatuhan`);
    const login = await new LoginPage(page).verifyOnPage();
    await expectAccessible(page);
    await login.logIn('admin@ikrar.test', 'ikrar-demo');

    const index = await new ComplianceIndexPage(page).verifyOnPage();
    await expectAccessible(page);
    await index.openReport(ALL_ASN);
    await new ComplianceReportPage(page, ALL_ASN).verifyOnPage();
    await expectAccessible(page);
  });

  it('downloads the XLSX and finds the totals of the page in "Ringkasan"', async () => {
    const report = await new ComplianceReportPage(page, ALL_ASN).verifyOnPage();
    const onPage = await report.totals();
    expect(onPage.required).toBeGreaterThan(0);
    expect(onPage.signed).toBeGreaterThan(0);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      report.downloadLink('XLSX').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^kepatuhan-\d+-v1-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const path = await download.path();
    expect(await download.failure()).toBeNull();

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path);
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual(['Ringkasan', 'Rincian']);
    const sheet = book.getWorksheet('Ringkasan') as ExcelJS.Worksheet;
    expect(sheet.getCell(2, 1).value).toBe(`${ALL_ASN} (versi 1)`);

    const totals = summaryTotals(sheet);
    expect(totals.Wajib).toBe(onPage.required);
    expect(totals.Sudah).toBe(onPage.signed);
    expect(totals.Belum).toBe(onPage.required - onPage.signed);
    // The percentage is a number formatted as a percent; shown as the page shows it, it reads the same.
    const percent = totals.Persentase;
    expect(typeof percent).toBe('number');
    const shown = new Intl.NumberFormat('id-ID', { style: 'percent', maximumFractionDigits: 1 })
      .format(percent as number)
      .replace(/\s/g, '');
    expect(shown).toBe(onPage.percent);

    // The unit table below (its header on row 9) adds up to the same totals, the most still to sign first.
    expect(sheet.getRow(9).getCell(7).value).toBe('Belum');
    let required = 0;
    let signed = 0;
    const unsigned: number[] = [];
    sheet.eachRow((row, number) => {
      if (number <= 9) return;
      required += Number(row.getCell(5).value);
      signed += Number(row.getCell(6).value);
      unsigned.push(Number(row.getCell(7).value));
    });
    expect({ required, signed }).toEqual({ required: onPage.required, signed: onPage.signed });
    expect(unsigned).toEqual([...unsigned].sort((a, b) => b - a));
    expect(unsigned[0]).toBeGreaterThan(1);

    // Still on the report (a download does not navigate), and still accessible.
    await report.verifyOnPage();
    await expectAccessible(page);
  });
});
