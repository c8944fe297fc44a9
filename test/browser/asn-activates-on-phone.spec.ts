import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { popplerLines } from '../helpers/poppler.js';
import { LoginPage, MyPactsPage, PactPage, ReceiptPage } from './pages/signing-pages.js';
import { expectAccessible, expectNoHorizontalScroll, LAPTOP, PHONE } from './support/browser.js';
import { useJourney } from './support/journey.js';

const NIP = '199203142019032007';
const NAME = 'Rina Kusumawati';
const PASSWORD = 'gerimis turun di alun-alun kudus';
const CODE = /[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}/;

// The DISKOMINFO operator (operator@ikrar.test) registers an ASN who has no email and prints her activation letter.
// She activates on a 360 px phone with the NIP and code from the paper, chooses a password, is signed in and signs
// the pact waiting for her. The code then opens nothing.
describe('an ASN without email activates her account on a phone with a printed letter', () => {
  const journey = useJourney();
  let office: Page;
  let phone: Page;
  let code: string;

  beforeAll(async () => {
    office = await (await journey.browser.newContext({ ...LAPTOP, acceptDownloads: true })).newPage();
    phone = await (await journey.browser.newContext(PHONE)).newPage();
  });

  const check = async (page: Page) => {
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
  };

  it('the operator registers her without email and prints her letter, watching it finish', async () => {
    await office.goto(`${journey.app.url}/masuk`);
    await new LoginPage(office).logIn('operator@ikrar.test');
    await office.goto(`${journey.app.url}/admin/pengguna/baru`);
    await office.locator('#nip').fill(NIP);
    await office.locator('#full_name').fill(NAME);
    await office.locator('#position').fill('Pranata Komputer Ahli Muda');
    await office.locator('#pangkat').fill('Penata, III/c');
    const unit = office.locator('#unit_id');
    await unit.selectOption({ index: 1 });
    await Promise.all([
      office.waitForURL(/\/admin\/pengguna\/\d+/),
      office.getByRole('button', { name: /Simpan/ }).click(),
    ]);

    await office.goto(`${journey.app.url}/admin/surat-aktivasi`);
    await check(office);
    await office.getByLabel('Daftar NIP pilihan').check();
    await office.locator('#nips').fill(NIP);
    await office.getByLabel(/Dua surat A5/).check();
    await office.getByRole('button', { name: 'Periksa daftar penerima' }).click();
    await office.getByText(NAME).waitFor();
    await check(office);

    const [download] = await Promise.all([
      office.waitForEvent('download'),
      office.getByRole('button', { name: 'Cetak 1 surat (PDF)' }).click(),
    ]);
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    const letter = popplerLines(Buffer.concat(chunks), 1).join('\n');
    expect(letter).toContain(NAME);
    expect(letter).toContain('Penata, III/c');
    code = CODE.exec(letter)?.[0] as string;
    expect(code).toBeDefined();
    await office.getByText('Selesai: 1 dari 1 surat tercetak').waitFor();
  });

  it('she types NIP and code on her phone, chooses a password, is signed in and signs', async () => {
    await phone.goto(`${journey.app.url}/aktivasi`);
    await check(phone);
    await phone.getByLabel('NIP', { exact: true }).fill('19920314 201903 2 007');
    await phone.getByLabel('Kode aktivasi').fill(code.toLowerCase());
    await phone.getByRole('button', { name: 'Lanjutkan' }).tap();
    await phone.getByRole('heading', { name: 'Buat kata sandi Anda' }).waitFor();
    await expect(phone.getByText(NAME).first().isVisible()).resolves.toBe(true);
    await check(phone);
    await phone.getByLabel('Kata sandi baru', { exact: true }).fill(PASSWORD);
    await phone.getByLabel('Ulangi kata sandi baru').fill(PASSWORD);
    await Promise.all([
      phone.waitForURL(/\/pakta$/),
      phone.getByRole('button', { name: 'Simpan kata sandi' }).tap(),
    ]);

    const myPacts = await new MyPactsPage(phone).verifyOnPage();
    await expect(phone.getByText('Akun Anda sudah aktif').isVisible()).resolves.toBe(true);
    await check(phone);
    const card = myPacts
      .section('Perlu ditandatangani')
      .getByRole('link', { name: 'Baca dan tandatangani' })
      .first();
    await card.tap();
    const pact = await new PactPage(phone, /Pakta/).verifyOnPage();
    await pact.signWithTypedName(NAME);
    await new ReceiptPage(phone).verifyOnPage();
    await check(phone);
  });

  it("the letter's QR code fills the form in, but the same code opens nothing a second time", async () => {
    const other = await (await journey.browser.newContext(PHONE)).newPage();
    // What the phone's camera opens: the code in the fragment, which the page takes out of the address bar.
    await other.goto(`${journey.app.url}/aktivasi#${new URLSearchParams({ nip: NIP, kode: code })}`);
    await expect(other.getByLabel('NIP', { exact: true }).inputValue()).resolves.toBe(NIP);
    await expect(other.getByLabel('Kode aktivasi').inputValue()).resolves.toBe(code);
    expect(new URL(other.url()).hash).toBe('');
    await other.getByRole('button', { name: 'Lanjutkan' }).tap();
    await other.getByText('NIP atau kode aktivasi tidak cocok').waitFor();
    await check(other);
  });
});
