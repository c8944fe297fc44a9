import type { Locator } from 'playwright-core';
import { PageObject } from './page-object.js';

/** `/admin/kepatuhan/:id/kertas`: choosing the units of a ceremony, to print their sheet or tick who signed it. */
export class PaperChooserPage extends PageObject {
  protected readonly expectedHeading = 'Tanda tangan di atas kertas';

  unit(name: string): Locator {
    return this.page.getByRole('checkbox', { name: new RegExp(`^${name}`) });
  }

  printSheet(): Locator {
    return this.page.getByRole('button', { name: 'Cetak lembar penandatanganan (PDF)' });
  }

  async openTicking(): Promise<void> {
    await Promise.all([
      this.page.waitForURL(/\/kertas\/catat\?/),
      this.page.getByRole('button', { name: 'Catat yang sudah menandatangani' }).click(),
    ]);
  }
}

/** `/admin/kepatuhan/:id/kertas/catat`: the sheet's day, place, witness and scan, and who signed it. */
export class PaperRecordPage extends PageObject {
  protected readonly expectedHeading = 'Catat tanda tangan di atas kertas';

  flash(): Locator {
    return this.page.getByRole('main').locator('> .alert');
  }

  /**
   * The people still to sign, as checkboxes (by their field name: a role query per box of a list of dozens costs
   * seconds each).
   */
  waiting(): Locator {
    return this.page.locator('input[type="checkbox"][name="orang"]');
  }

  async fill(fields: { witness: string; scan: string }): Promise<void> {
    await this.page.getByLabel('Saksi').fill(fields.witness);
    await this.page.getByLabel('Pindaian lembar yang ditandatangani').setInputFiles(fields.scan);
  }

  async save(): Promise<void> {
    await Promise.all([
      this.page.waitForEvent('load'),
      this.page.getByRole('button', { name: 'Simpan tanda tangan kertas' }).click(),
    ]);
  }
}
