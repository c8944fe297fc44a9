import type { Download, Locator } from 'playwright-core';
import { decodeQr } from '../../helpers/pacts.js';
import { PageObject } from './page-object.js';

/** The demo accounts' password (README, `npm start`'s banner). */
export const DEMO_PASSWORD = 'ikrar-demo';

/** `/masuk`: NIP or email and password. */
export class LoginPage extends PageObject {
  protected readonly expectedHeading = 'Masuk';

  get username(): Locator {
    return this.page.getByLabel('NIP atau email');
  }

  get password(): Locator {
    return this.page.getByLabel('Kata sandi', { exact: true });
  }

  get submit(): Locator {
    return this.page.getByRole('main').getByRole('button', { name: 'Masuk' });
  }

  async logIn(email: string, password = DEMO_PASSWORD): Promise<void> {
    await this.username.fill(email);
    await this.password.fill(password);
    await this.submit.click();
    await this.page.waitForURL((url) => url.pathname !== '/masuk');
  }
}

/** `/pakta`: the pacts this person must sign, has signed, and the closed ones. */
export class MyPactsPage extends PageObject {
  protected readonly expectedHeading = 'Pakta Saya';

  section(name: string): Locator {
    return this.page.getByRole('region', { name });
  }

  /** The card of a pact still to sign, found by (part of) its title. */
  toSign(title: string | RegExp): Locator {
    return this.section('Perlu ditandatangani').getByRole('listitem').filter({ hasText: title });
  }

  /** The "read and sign" link of a pact still to sign. */
  readAndSign(title: string | RegExp): Locator {
    return this.toSign(title).getByRole('link', { name: 'Baca dan tandatangani' });
  }
}

/** `/pakta/:id`: the pact as paper, then the consent, typed name, drawing and submit. */
export class PactPage extends PageObject {
  constructor(
    page: PactPage['page'],
    protected readonly expectedHeading: string | RegExp,
  ) {
    super(page);
  }

  get document(): Locator {
    return this.page.getByRole('article');
  }

  get consent(): Locator {
    return this.page.getByRole('checkbox', { name: /Saya telah membaca, memahami, dan menyetujui/ });
  }

  get fullName(): Locator {
    return this.page.getByRole('textbox', { name: 'Ketik nama lengkap Anda' });
  }

  get canvas(): Locator {
    return this.page.locator('canvas.signature-pad');
  }

  get signatureField(): Locator {
    return this.page.locator('input[name="signature"]');
  }

  get submit(): Locator {
    return this.page.getByRole('button', { name: 'Tandatangani pakta' });
  }

  /** Signs with the typed name only (no drawing), which is a valid electronic signature; waits for the receipt. */
  async signWithTypedName(fullName: string): Promise<void> {
    await this.consent.check();
    await this.fullName.fill(fullName);
    await Promise.all([this.page.waitForURL(ReceiptPage.PATH), this.submit.click()]);
  }

  /** Draws a wavy stroke across the pad: with touch on a touch device, else with the mouse. */
  async drawSignature(options: { touch?: boolean } = {}): Promise<void> {
    await this.canvas.scrollIntoViewIfNeeded();
    const box = await this.canvas.boundingBox();
    if (!box) throw new Error('the signature pad is not on screen');
    const points = Array.from({ length: 25 }, (_, i) => ({
      x: box.x + box.width * (0.1 + (0.8 * i) / 24),
      y: box.y + box.height * (0.5 + 0.3 * Math.sin(i / 2.5)),
    }));
    if (options.touch) await this.touchStroke(points);
    else {
      const [first, ...rest] = points as [(typeof points)[0], ...typeof points];
      await this.page.mouse.move(first.x, first.y);
      await this.page.mouse.down();
      for (const p of rest) await this.page.mouse.move(p.x, p.y, { steps: 2 });
      await this.page.mouse.up();
    }
  }

  /**
   * One finger stroke through the points. Playwright's touchscreen only taps, so the stroke goes through CDP's
   * Input.dispatchTouchEvent, which Chromium turns into touch and pointer events as a real finger would.
   */
  private async touchStroke(points: { x: number; y: number }[]): Promise<void> {
    const cdp = await this.page.context().newCDPSession(this.page);
    const at = (p: { x: number; y: number }) => [{ x: p.x, y: p.y, id: 1, radiusX: 2, radiusY: 2, force: 1 }];
    const [first, ...rest] = points as [(typeof points)[0], ...typeof points];
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(first) });
    for (const p of rest)
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(p) });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await cdp.detach();
  }

  /** How many pixels of the pad have ink on them (read from the page). */
  async inkedPixels(): Promise<number> {
    return this.canvas.evaluate((el: unknown) => {
      const canvas = el as CanvasLike;
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) n += 1;
      return n;
    });
  }
}

/** What inkedPixels uses of a `<canvas>` (the test project has no DOM types). */
interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
  };
}

/** `/tanda-terima/:code`: the signed pact, the receipt code, the QR code and the PDF. */
export class ReceiptPage extends PageObject {
  protected readonly expectedHeading = 'Tanda Terima Penandatanganan';

  static readonly PATH = /\/tanda-terima\/([A-HJ-NP-Z2-9]{16})$/;

  get success(): Locator {
    return this.page.getByRole('status').filter({ hasText: 'Penandatanganan Anda telah tercatat' });
  }

  get signatureImage(): Locator {
    return this.page.getByRole('img', { name: 'Tanda tangan', exact: true });
  }

  get typedOnly(): Locator {
    return this.page.getByText('Ditandatangani secara elektronik dengan mengetik nama lengkap.');
  }

  /** The signer's NIP under the signature, in full ("NIP. 19850312 201001 2 004"). */
  get nip(): Locator {
    return this.page.locator('.pact-signature-block p', { hasText: /^NIP\./ });
  }

  get qr(): Locator {
    return this.page.getByRole('img', { name: 'Kode QR untuk verifikasi publik' });
  }

  get pdfLink(): Locator {
    return this.page.getByRole('link', { name: 'Unduh PDF' });
  }

  /** "Cetak": the button the how-to post tells people to press for a paper copy. */
  get printButton(): Locator {
    return this.page.getByRole('button', { name: 'Cetak' });
  }

  /** The notice of the next pact still to sign, with its "Baca dan tandatangani" link. */
  get nextPact(): Locator {
    return this.page.locator('.alert', { hasText: 'Masih ada pakta yang perlu Anda tandatangani' });
  }

  /** The receipt code from the URL (16 characters, no dashes). */
  code(): string {
    const code = ReceiptPage.PATH.exec(new URL(this.page.url()).pathname)?.[1];
    if (!code) throw new Error(`not a receipt URL: ${this.page.url()}`);
    return code;
  }

  /** Clicks "Unduh PDF" and returns the file's bytes. */
  async downloadPdf(): Promise<{ download: Download; bytes: Buffer }> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.pdfLink.click()]);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return { download, bytes: Buffer.concat(chunks) };
  }

  /** What a phone camera reads from the QR code as it is shown on screen (a screenshot of the image). */
  async scanQr(): Promise<string | null> {
    await this.qr.scrollIntoViewIfNeeded();
    return decodeQr(await this.qr.screenshot());
  }
}

/** `/verifikasi/:code`: what the public may know of a receipt. */
export class VerificationPage extends PageObject {
  protected readonly expectedHeading = 'Verifikasi Tanda Terima';

  get status(): Locator {
    return this.page.locator('.verify-status');
  }

  /** The value beside a term of the facts list (Nama, NIP, Jabatan…). */
  fact(term: string): Locator {
    return this.page
      .locator('dt', { hasText: new RegExp(`^${term}$`) })
      .locator('xpath=following-sibling::dd[1]');
  }
}

/** What the keyboard is on now, and whether a sighted keyboard user can see it (outline or box-shadow ring). */
export interface FocusedElement {
  tag: string;
  id: string;
  name: string;
  text: string;
  outline: string;
  boxShadow: string;
}

// A string, not a function: the test project's TypeScript has no DOM library.
const FOCUSED = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    name: el.getAttribute('name') || '',
    text: (el.getAttribute('aria-label') || el.textContent || el.value || '').replace(/\\s+/g, ' ').trim(),
    outline: style.outlineStyle === 'none' || parseFloat(style.outlineWidth) === 0 ? 'none' : style.outlineStyle + ' ' + style.outlineWidth + ' ' + style.outlineColor,
    boxShadow: style.boxShadow,
  };
})()`;

export function focused(page: PageObject['page']): Promise<FocusedElement | null> {
  return page.evaluate<FocusedElement | null>(FOCUSED);
}

/** True when the focused element shows a focus indicator: an outline or a box-shadow ring. */
export function hasVisibleFocus(el: FocusedElement | null): boolean {
  return !!el && (el.outline !== 'none' || (el.boxShadow !== 'none' && el.boxShadow !== ''));
}

/**
 * Presses Tab (or Shift+Tab) until the focused element matches, as a keyboard user moves through a page; fails
 * after `max` presses. Returns the element reached.
 */
export async function tabUntil(
  page: PageObject['page'],
  matches: (el: FocusedElement) => boolean,
  options: { backwards?: boolean; max?: number } = {},
): Promise<FocusedElement> {
  const seen: string[] = [];
  for (let i = 0; i < (options.max ?? 60); i += 1) {
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
    const el = await focused(page);
    if (el && matches(el)) return el;
    seen.push(el ? `${el.tag}#${el.id}[${el.text.slice(0, 30)}]` : '(body)');
  }
  throw new Error(`Tab never reached the element; went through:\n  ${seen.join('\n  ')}`);
}
