import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ComplianceIndexPage,
  ComplianceReportPage,
  ImportPreviewPage,
  ImportResultPage,
  ImportUploadPage,
  LiveBoardPage,
} from './pages/admin-pages.js';
import { LoginPage, PactPage, ReceiptPage } from './pages/signing-pages.js';
import { expectAccessible, LAPTOP } from './support/browser.js';
import { ALL_ASN_PACT as ALL_ASN } from './support/demo.js';
import { useJourney } from './support/journey.js';

/** The demo's all-ASN pact: this year's (the app seeds it with the same clock and the default TIME_ZONE). */

/** Two new staff of DISKOMINFO, the operator's own unit: one with an email (invited), one without. */
const ROSTER = `${[
  'nip,nama,jabatan,kode_unit,email,jenis,kepala',
  '198705122011031017,Rahmat Hidayat,Pranata Komputer Ahli Pertama,DISKOMINFO,rahmat.hidayat@ikrar.test,PNS,tidak',
  '199203142019022018,Siti Nurhaliza,Analis Kebijakan,DISKOMINFO,,PPPK,',
].join('\n')}\n`;

const login = async (page: Page, url: string, username: string) => {
  await page.goto(url);
  const form = await new LoginPage(page).verifyOnPage();
  await expectAccessible(page);
  await form.logIn(username, 'ikrar-demo');
};

// Sri Wahyuni, operator of DISKOMINFO, on a laptop: imports two new colleagues, reminds everyone in her unit who has
// not signed the all-ASN pact, then puts the ceremony board up while Dewi Lestari signs from another browser, and
// sees the count go up without reloading.
describe('an operator imports a roster, sends reminders and watches the live board', () => {
  const journey = useJourney();
  let operator: BrowserContext;
  let page: Page;
  let dir: string;
  let pactId: number;

  beforeAll(async () => {
    operator = await journey.browser.newContext(LAPTOP);
    page = await operator.newPage();
    dir = mkdtempSync(join(tmpdir(), 'ikrar-roster-'));
  });
  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('imports a small roster into her unit', async () => {
    await login(page, `${journey.app.url}/masuk?next=/admin/pengguna/impor`, 'operator@ikrar.test');
    const upload = await new ImportUploadPage(page).verifyOnPage();
    await expectAccessible(page);

    const file = join(dir, 'pegawai-diskominfo.csv');
    writeFileSync(file, ROSTER, 'utf8');
    await upload.upload(file);

    const preview = await new ImportPreviewPage(page).verifyOnPage();
    await expectAccessible(page);
    await expect(preview.count('total')).resolves.toBe(2);
    await expect(preview.count('new')).resolves.toBe(2);
    await expect(preview.count('rejected')).resolves.toBe(0);
    await expect(page.getByRole('cell', { name: 'Rahmat Hidayat' }).isVisible()).resolves.toBe(true);
    await preview.confirm();

    const result = await new ImportResultPage(page).verifyOnPage();
    await expectAccessible(page);
    await expect(result.flash().first().textContent()).resolves.toContain('Impor diterapkan.');
    await expect(result.count('created')).resolves.toBe(2);
    await expect(result.count('rejected')).resolves.toBe(0);
  });

  it('sends a reminder to everyone who has not signed the all-ASN pact', async () => {
    await page.goto(`${journey.app.url}/admin/kepatuhan`);
    const index = await new ComplianceIndexPage(page).verifyOnPage();
    await expectAccessible(page);
    await index.openReport(ALL_ASN);
    const report = await new ComplianceReportPage(page, ALL_ASN).verifyOnPage();
    await expectAccessible(page);
    pactId = Number(/\/admin\/kepatuhan\/(\d+)/.exec(page.url())?.[1]);
    expect(pactId).toBeGreaterThan(0);
    // The demo has her reminding her own unit two days ago (src/seed/demo-reminders.ts).
    const history = report.reminderHistory().getByRole('table');
    await expect(history.getByRole('row').count()).resolves.toBe(2);
    await expect(history.textContent()).resolves.toContain('Manual oleh Sri Wahyuni');

    await report.remindEveryone();
    await report.verifyOnPage();
    await expectAccessible(page);
    const flash = report.flash().filter({ hasText: /Pengingat sedang dikirim ke [\d.]+ orang/ });
    await expect(flash.count()).resolves.toBe(1);
    await expect(flash.getAttribute('role')).resolves.toBe('status');
    // The run is in the history, requested by her, above the demo's.
    await expect(history.getByRole('row').count()).resolves.toBe(3);
    await expect(history.getByRole('row').nth(1).textContent()).resolves.toContain('Manual oleh Sri Wahyuni');
  });

  it('watches the board count up while a colleague signs in another browser', async () => {
    const boardPage = await operator.newPage();
    const stream = boardPage.waitForResponse((res) => res.url().endsWith(`/kepatuhan/${pactId}/events`));
    await boardPage.goto(`${journey.app.url}/kepatuhan/${pactId}/layar`);
    const board = await new LiveBoardPage(boardPage, ALL_ASN).verifyOnPage();
    await expectAccessible(boardPage);
    // The board listens before anyone signs: its event stream is open.
    expect((await stream).headers()['content-type']).toContain('text/event-stream');
    let loads = 0;
    boardPage.on('load', () => {
      loads += 1;
    });
    const before = ((await board.signed().textContent()) ?? '').trim();
    expect(before).toMatch(/^[\d.]+$/);

    const signer = await journey.browser.newContext(LAPTOP);
    try {
      const asn = await signer.newPage();
      await login(asn, `${journey.app.url}/masuk?next=/pakta/${pactId}`, 'asn@ikrar.test');
      const sign = await new PactPage(asn, new RegExp(`${ALL_ASN}$`)).verifyOnPage();
      await expectAccessible(asn);
      await sign.signWithTypedName('Dewi Lestari');
      await new ReceiptPage(asn).verifyOnPage();
      await expectAccessible(asn);
    } finally {
      await signer.close();
    }

    // No reload: the board's own stream brings the new count within a few seconds.
    const expected = new Intl.NumberFormat('id-ID').format(Number(before.replace(/\./g, '')) + 1);
    await board.signedReads(expected).waitFor({ timeout: 5000 });
    await expect(board.signed().textContent()).resolves.toBe(expected);
    expect(loads, 'the board never reloaded').toBe(0);
    await expectAccessible(boardPage);
  });
});
