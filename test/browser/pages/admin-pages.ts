import type { Locator, Page } from 'playwright-core';
import { PageObject } from './page-object.js';

/** Any page with a flash message on top of `main`. */
abstract class AdminPage extends PageObject {
  /** The flash messages (alerts and statuses) at the top of the page. */
  flash(): Locator {
    return this.page.getByRole('main').locator('> .alert');
  }

  navLink(name: string): Locator {
    return this.page.getByRole('navigation', { name: 'Navigasi admin' }).getByRole('link', { name });
  }

  /** A number the page marks with `data-count` (an import's summary), read as Indonesian digits (1.234). */
  protected async dataCount(key: string): Promise<number> {
    const text = await this.page.locator(`[data-count="${key}"]`).textContent();
    return Number((text ?? '').trim().replace(/\./g, ''));
  }
}

/** `/admin`: counts, the compliance of each open pact, and (admins) the latest audit events. */
export class AdminDashboardPage extends AdminPage {
  protected readonly expectedHeading = 'Dasbor Admin';

  /** The card of one open pact in "Kepatuhan pakta yang dibuka". */
  pactCard(title: string): Locator {
    return this.page
      .getByRole('region', { name: 'Kepatuhan pakta yang dibuka' })
      .getByRole('article')
      .filter({ has: this.page.getByRole('heading', { name: title, exact: true }) });
  }
}

/** `/admin` for an operator: titled by her unit, with its people who have not signed and a reminder button per unit. */
export class OperatorDashboardPage extends AdminPage {
  protected readonly expectedHeading = 'Dasbor Operator — Dinas Komunikasi dan Informatika';

  /** The card of one open pact. */
  pactCard(pactTitle: RegExp): Locator {
    return this.page
      .getByRole('article')
      .filter({ has: this.page.getByRole('heading', { name: pactTitle }) });
  }

  /** "Belum menandatangani" of one open pact's card. */
  outstanding(pactTitle: RegExp): Locator {
    return this.pactCard(pactTitle).getByRole('region', { name: 'Belum menandatangani' });
  }

  /** A figure at the top of the page ("Unit aktif", "Pengguna aktif"), read as a number. */
  async figure(label: string): Promise<number> {
    const text = ((await this.page.getByRole('main').textContent()) ?? '').replace(/\s+/g, ' ');
    const match = new RegExp(`${label}\\s*([\\d.]+)`).exec(text);
    if (!match?.[1]) throw new Error(`no figure "${label}" in "${text.slice(0, 300)}"`);
    return Number(match[1].replace(/\./g, ''));
  }

  /** "{signed} dari {required} sudah menandatangani" of one open pact's card, read as numbers. */
  async totals(pactTitle: RegExp): Promise<{ signed: number; required: number }> {
    const text = ((await this.pactCard(pactTitle).textContent()) ?? '').replace(/\s+/g, ' ');
    const match = /([\d.]+) dari ([\d.]+) sudah menandatangani/.exec(text);
    if (!match?.[1] || !match[2]) throw new Error(`no totals in "${text.slice(0, 300)}"`);
    const number = (s: string) => Number(s.replace(/\./g, ''));
    return { signed: number(match[1]), required: number(match[2]) };
  }

  /** The cells of one person's row in a pact's "Belum menandatangani" (name, jabatan, last reminded). */
  async outstandingRow(pactTitle: RegExp, name: string): Promise<string[]> {
    const row = this.outstanding(pactTitle)
      .getByRole('row')
      .filter({ has: this.page.getByRole('cell', { name, exact: true }) });
    return (await row.getByRole('cell').allTextContents()).map((cell) => cell.trim());
  }

  /** Presses a unit's "Kirim pengingat ke N orang di …" in a pact's card, and waits for the page it leads to. */
  async remind(pactTitle: RegExp, unit: string): Promise<void> {
    await Promise.all([
      this.page.waitForEvent('load'),
      this.outstanding(pactTitle)
        .getByRole('button', { name: new RegExp(`^Kirim pengingat ke [\\d.]+ orang di ${unit}$`) })
        .click(),
    ]);
  }

  /** The rows (day, count) of a pact's daily chart as a table, opening it first. */
  async chartTable(pactTitle: RegExp): Promise<string[][]> {
    const card = this.pactCard(pactTitle);
    await card.getByText('Tampilkan sebagai tabel').click();
    const rows = card.getByRole('table', { name: /Jumlah penandatanganan per hari/ }).locator('tbody tr');
    await rows.first().waitFor();
    const cells = [];
    for (const row of await rows.all())
      cells.push((await row.getByRole('cell').allTextContents()).map((c) => c.trim()));
    return cells;
  }
}

/** `/admin/pakta`: every pact and the button to draft a new one. */
export class PactListPage extends AdminPage {
  protected readonly expectedHeading = 'Pakta';

  async newPact(): Promise<void> {
    await this.page.getByRole('link', { name: 'Buat pakta baru' }).click();
  }
}

export interface PactFields {
  title: string;
  body: string;
  place?: string;
  audience: 'heads' | 'all';
  /** `YYYY-MM-DDTHH:MM`, WIB. */
  opensAt: string;
  deadline: string;
}

/** `/admin/pakta/baru`: the draft form. */
export class PactFormPage extends AdminPage {
  protected readonly expectedHeading = 'Pakta baru';

  async fill(fields: PactFields): Promise<void> {
    await this.page.getByLabel('Judul', { exact: true }).fill(fields.title);
    await this.page.getByLabel('Isi pakta (Markdown)').fill(fields.body);
    if (fields.place !== undefined) await this.page.getByLabel('Tempat penandatanganan').fill(fields.place);
    await this.page
      .getByRole('group', { name: 'Ditandatangani oleh' })
      .getByRole('radio', { name: fields.audience === 'all' ? /Seluruh|Semua/i : /Kepala/i })
      .check();
    await this.page.getByLabel('Dibuka mulai (WIB)').fill(fields.opensAt);
    await this.page.getByLabel('Batas waktu (WIB)').fill(fields.deadline);
  }

  async save(): Promise<void> {
    await Promise.all([
      this.page.waitForURL(/\/admin\/pakta\/\d+$/),
      this.page.getByRole('button', { name: 'Simpan draf' }).click(),
    ]);
  }
}

/** `/admin/pakta/:id`: one pact, its status and what can be done with it. */
export class PactAdminPage extends AdminPage {
  constructor(
    page: Page,
    protected readonly expectedHeading: string,
  ) {
    super(page);
  }

  /** The status badge ("Draf", "Dibuka", …). */
  status(): Locator {
    return this.page.getByRole('main').locator('.badge').first();
  }

  async preview(): Promise<void> {
    await this.page.getByRole('link', { name: 'Pratinjau' }).click();
  }

  async open(): Promise<void> {
    await Promise.all([
      // Back on the same address: wait for the new page itself.
      this.page.waitForEvent('load'),
      this.page.getByRole('button', { name: 'Buka untuk ditandatangani' }).click(),
    ]);
  }
}

/** `/admin/pakta/:id/pratinjau`: the pact as a signer will see it, its form disabled. */
export class PactPreviewPage extends PageObject {
  protected readonly expectedHeading: RegExp;

  constructor(page: Page, title: string) {
    super(page);
    this.expectedHeading = new RegExp(`${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  }

  notice(): Locator {
    return this.page.getByRole('status').filter({ hasText: 'Pratinjau' });
  }

  submit(): Locator {
    return this.page.getByRole('button', { name: 'Tandatangani pakta' });
  }
}

/** `/admin/kepatuhan`: the compliance report of every open and closed pact. */
export class ComplianceIndexPage extends AdminPage {
  protected readonly expectedHeading = 'Laporan Kepatuhan';

  async openReport(title: string): Promise<void> {
    await this.page.getByRole('main').getByRole('link', { name: title, exact: true }).click();
  }
}

/** `/admin/kepatuhan/:id`: one pact's totals, its unit table, downloads and reminders. */
export class ComplianceReportPage extends AdminPage {
  constructor(
    page: Page,
    protected readonly expectedHeading: string,
  ) {
    super(page);
  }

  /** "{signed} dari {required} …" beside the percentage, read as numbers. */
  async totals(): Promise<{ signed: number; required: number; percent: string }> {
    const card = this.page.getByRole('main').locator('.card-body').first();
    const text = ((await card.textContent()) ?? '').replace(/\s+/g, ' ');
    const match = /([\d.]+) dari ([\d.]+)/.exec(text);
    if (!match?.[1] || !match[2]) throw new Error(`no totals in "${text}"`);
    const percent = ((await card.locator('.display-6').textContent()) ?? '').trim();
    const number = (s: string) => Number(s.replace(/\./g, ''));
    return { signed: number(match[1]), required: number(match[2]), percent };
  }

  downloadLink(format: 'CSV' | 'XLSX' | 'PDF'): Locator {
    return this.page
      .getByRole('group', { name: 'Unduh' })
      .getByRole('link', { name: `Unduh ${format}`, exact: true });
  }

  async remindEveryone(): Promise<void> {
    await Promise.all([
      // Back on the report (at #pengingat): wait for the new page itself.
      this.page.waitForEvent('load'),
      this.page.getByRole('button', { name: 'Kirim pengingat ke semua yang belum menandatangani' }).click(),
    ]);
  }

  reminderHistory(): Locator {
    return this.page.getByRole('region', { name: 'Riwayat pengingat' });
  }
}

/** `/admin/pengguna/impor`: the columns a roster has, and the upload form. */
export class ImportUploadPage extends AdminPage {
  protected readonly expectedHeading = 'Impor Pengguna';

  async upload(file: string): Promise<void> {
    await this.page.getByLabel('Berkas CSV atau XLSX').setInputFiles(file);
    await Promise.all([
      this.page.waitForURL(/\/admin\/pengguna\/impor\/\d+$/),
      this.page.getByRole('button', { name: 'Unggah dan periksa' }).click(),
    ]);
  }
}

/** `/admin/pengguna/impor/:id` before it is applied: what the roster would do. */
export class ImportPreviewPage extends AdminPage {
  protected readonly expectedHeading = 'Pratinjau impor';

  /** One count of "Ringkasan" (total, new, changed, unchanged, rejected). */
  async count(key: 'total' | 'new' | 'changed' | 'unchanged' | 'rejected'): Promise<number> {
    return this.dataCount(key);
  }

  async confirm(): Promise<void> {
    await Promise.all([
      // The result is on the same address as the preview: wait for the new page itself.
      this.page.waitForEvent('load'),
      this.page.getByRole('button', { name: 'Terapkan impor' }).click(),
    ]);
  }
}

/** `/admin/pengguna/impor/:id` once applied: what it did and how the invitations went. */
export class ImportResultPage extends AdminPage {
  protected readonly expectedHeading = 'Hasil impor';

  async count(key: 'created' | 'updated' | 'unchanged' | 'rejected' | 'headsSet'): Promise<number> {
    return this.dataCount(key);
  }
}

/** `/kepatuhan/:id/layar`: the ceremony board a projector shows, updated over Server-Sent Events. */
export class LiveBoardPage extends PageObject {
  constructor(
    page: Page,
    protected readonly expectedHeading: string,
  ) {
    super(page);
  }

  signed(): Locator {
    return this.page.locator('[data-board="signed"]');
  }

  /** The signed counter, once it reads exactly `text` (for waiting until the stream redraws it). */
  signedReads(text: string): Locator {
    return this.signed().filter({ hasText: new RegExp(`^\\s*${text.replace(/\./g, '\\.')}\\s*$`) });
  }

  required(): Locator {
    return this.page.locator('[data-board="required"]');
  }
}
