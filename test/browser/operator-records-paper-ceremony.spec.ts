import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { popplerLines, popplerPageCount } from '../helpers/poppler.js';
import { ComplianceIndexPage, ComplianceReportPage, LiveBoardPage } from './pages/admin-pages.js';
import { PaperChooserPage, PaperRecordPage } from './pages/paper-pages.js';
import { LoginPage } from './pages/signing-pages.js';
import { expectAccessible, LAPTOP } from './support/browser.js';
import { ALL_ASN_PACT } from './support/demo.js';
import { useJourney } from './support/journey.js';

const SCANNED_SHEET = Buffer.from(
  '%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n' +
    'trailer <</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);

// Sri Wahyuni, operator of DISKOMINFO, runs her unit's ikrar bersama on paper: she prints the signing sheet of the
// all-ASN pact, passes it round, then ticks the 20 colleagues who signed it, attaches the scanned sheet and saves,
// while the ceremony board on the projector counts them in without a reload.
describe('an operator records a paper ceremony and the board counts it', () => {
  const journey = useJourney();
  let context: BrowserContext;
  let page: Page;
  let dir: string;

  beforeAll(async () => {
    context = await journey.browser.newContext({ ...LAPTOP, acceptDownloads: true });
    page = await context.newPage();
    dir = mkdtempSync(join(tmpdir(), 'ikrar-sheet-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints the signing sheet of her unit', async () => {
    await page.goto(`${journey.app.url}/masuk?next=/admin/kepatuhan`);
    await (await new LoginPage(page).verifyOnPage()).logIn('operator@ikrar.test', 'ikrar-demo');
    await (await new ComplianceIndexPage(page).verifyOnPage()).openReport(ALL_ASN_PACT);
    await new ComplianceReportPage(page, ALL_ASN_PACT).verifyOnPage();
    await page.getByRole('link', { name: 'Tanda tangan di atas kertas' }).click();
    const chooser = await new PaperChooserPage(page).verifyOnPage();
    await expectAccessible(page);
    // Her one unit is chosen already.
    await expect(chooser.unit('Dinas Komunikasi dan Informatika').isChecked()).resolves.toBe(true);

    const [download] = await Promise.all([page.waitForEvent('download'), chooser.printSheet().click()]);
    expect(await download.failure()).toBeNull();
    expect(download.suggestedFilename()).toMatch(/^lembar-tanda-tangan-\d+-\d{4}-\d{2}-\d{2}\.pdf$/);
    const pdf = readFileSync((await download.path()) as string);
    const text = Array.from({ length: popplerPageCount(pdf) }, (_, i) =>
      popplerLines(pdf, i + 1).join('\n'),
    ).join('\n');
    expect(text).toContain('LEMBAR PENANDATANGANAN PAKTA INTEGRITAS');
    expect(text).toContain('Dinas Komunikasi dan Informatika');
    expect(text).toContain('Sri Wahyuni');
    expect(text).toContain('Mengetahui,');
  });

  it('ticks 20 signers with one scan, and the board moves by 20 without reloading', async () => {
    const pactId = Number(/\/admin\/kepatuhan\/(\d+)\/kertas/.exec(page.url())?.[1]);
    // The board runs on the hall's projector: another browser, so that her own page stays in front (a tab in the
    // background has its frames throttled).
    const projector = await journey.browser.newContext(LAPTOP);
    const boardPage = await projector.newPage();
    await boardPage.goto(`${journey.app.url}/kepatuhan/${pactId}/layar`);
    const board = await new LiveBoardPage(boardPage, ALL_ASN_PACT).verifyOnPage();
    let loads = 0;
    boardPage.on('load', () => {
      loads += 1;
    });
    const before = Number(((await board.signed().textContent()) ?? '').trim().replace(/\./g, ''));

    const chooser = await new PaperChooserPage(page).verifyOnPage();
    await chooser.openTicking();
    const sheet = await new PaperRecordPage(page).verifyOnPage();
    await expectAccessible(page);
    const waiting = await sheet.waiting().count();
    expect(waiting).toBeGreaterThanOrEqual(20);

    // Saved without the scan first: the page says what is missing and keeps the ticks.
    for (let i = 0; i < 20; i += 1) await sheet.waiting().nth(i).check();
    await page.getByLabel('Saksi').fill('Kepala Dinas Komunikasi dan Informatika');
    await sheet.save();
    await sheet.verifyOnPage();
    await expectAccessible(page);
    await expect(page.getByRole('alert').first().textContent()).resolves.toContain(
      'Lampirkan pindaian lembar yang ditandatangani',
    );
    let ticked = 0;
    for (let i = 0; i < waiting; i += 1) if (await sheet.waiting().nth(i).isChecked()) ticked += 1;
    expect(ticked).toBe(20);

    const scan = join(dir, 'lembar-ikrar-diskominfo.pdf');
    writeFileSync(scan, SCANNED_SHEET);
    await sheet.fill({ witness: 'Kepala Dinas Komunikasi dan Informatika', scan });
    await sheet.save();
    await sheet.verifyOnPage();
    await expectAccessible(page);
    await expect(sheet.flash().first().textContent()).resolves.toContain(
      '20 tanda tangan di atas kertas dicatat.',
    );
    await expect(sheet.waiting().count()).resolves.toBe(waiting - 20);

    const expected = new Intl.NumberFormat('id-ID').format(before + 20);
    await board.signedReads(expected).waitFor({ timeout: 5000 });
    expect(loads, 'the board never reloaded').toBe(0);
    await projector.close();
  });
});
