import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_UNIT_STAFF } from '../../src/seed/demo.js';
import { OperatorDashboardPage } from './pages/admin-pages.js';
import { LoginPage } from './pages/signing-pages.js';
import { expectAccessible, expectNoHorizontalScroll, PHONE, screenshot } from './support/browser.js';
import { ALL_ASN_PACT } from './support/demo.js';
import { useJourney } from './support/journey.js';

/** The demo operator's unit (src/seed/demo.ts): no unit under it; its head, the operator, Dewi and its staff. */
const OWN_UNIT = {
  code: 'DISKOMINFO',
  name: 'Dinas Komunikasi dan Informatika',
  people: DEMO_UNIT_STAFF + 3,
};
/** A pact's title as a heading's whole name. */
const exactly = (title: string) => new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
const ALL_ASN = exactly(ALL_ASN_PACT);
/**
 * Who she reminds: Dewi Lestari (asn@ikrar.test), who has an email and has not signed the demo pacts; the demo has
 * her reminded two days ago (src/seed/demo-reminders.ts).
 */
const DEWI = 'Dewi Lestari';
/** A date as the dashboard writes it ('14 Januari 2027'), and a time ('… pukul 10.15 WIB'). */
const DAY =
  /^\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember) \d{4}$/;
const DATE_TIME = /^\d{1,2} \S+ \d{4} pukul \d{2}\.\d{2} WIB$/;

interface ApiUnit {
  code: string;
  required: number;
  signed: number;
}

/** What the public API says of the open pacts and of her unit in each: the figures her dashboard must match. */
async function ownUnitInApi(base: string): Promise<{ title: string; required: number; unit: ApiUnit }[]> {
  const list = (await (await fetch(`${base}/api/v1/pacts`)).json()) as {
    pacts: { id: number; title: string; required: number }[];
  };
  const found = [];
  for (const pact of list.pacts) {
    const body = (await (await fetch(`${base}/api/v1/pacts/${pact.id}/compliance`)).json()) as {
      units: ApiUnit[];
    };
    const unit = body.units.find((u) => u.code === OWN_UNIT.code);
    if (!unit) throw new Error(`${OWN_UNIT.code} is not in pact ${pact.id}`);
    found.push({ title: pact.title, required: pact.required, unit });
  }
  return found;
}

// Sri Wahyuni, operator of DISKOMINFO, on her phone: her dashboard is about her unit, tells her who has not signed
// the all-ASN pact, and lets her remind them from there without losing her place.
describe('an operator works from her dashboard on a phone', () => {
  const journey = useJourney();
  let page: Page;
  let dashboard: OperatorDashboardPage;
  /** When Dewi was last reminded before the operator presses the button. */
  let remindedBefore = '';

  beforeAll(async () => {
    page = await (await journey.browser.newContext(PHONE)).newPage();
  });
  afterAll(async () => {
    await page?.context().close();
  });

  /** The dashboard on screen: its heading, no axe violation, no sideways scrolling. */
  const checked = async (name: string) => {
    await dashboard.verifyOnPage();
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
    await screenshot(page, name);
  };

  it("logs in to a dashboard titled by her unit, with her unit's figures only", async () => {
    await page.goto(`${journey.app.url}/masuk?next=/admin`);
    await (await new LoginPage(page).verifyOnPage()).logIn('operator@ikrar.test');
    dashboard = new OperatorDashboardPage(page);
    await checked('operator-dasbor-ponsel');
    expect(await page.title()).toMatch(/^Dasbor Operator — Dinas Komunikasi dan Informatika/);

    await expect(dashboard.figure('Unit aktif')).resolves.toBe(1);
    await expect(dashboard.figure('Pengguna aktif')).resolves.toBe(OWN_UNIT.people);
    // Each open pact: her unit's figures, as the public API gives them, not the province's.
    const pacts = await ownUnitInApi(journey.app.url);
    expect(pacts).toHaveLength(2);
    for (const pact of pacts) {
      const title = exactly(pact.title);
      await expect(dashboard.totals(title)).resolves.toEqual({
        signed: pact.unit.signed,
        required: pact.unit.required,
      });
      expect(pact.required).toBeGreaterThan(pact.unit.required);
    }
  });

  it('has the people who have not signed on the dashboard, and the daily chart as a dated table', async () => {
    const outstanding = dashboard.outstanding(ALL_ASN);
    await expect(outstanding.getByRole('heading', { name: OWN_UNIT.name }).isVisible()).resolves.toBe(true);
    const [name, position, reminded] = await dashboard.outstandingRow(ALL_ASN, DEWI);
    expect([name, position]).toEqual([DEWI, 'Pranata Hubungan Masyarakat']);
    expect(reminded).toMatch(DATE_TIME);
    remindedBefore = reminded ?? '';

    const days = await dashboard.chartTable(ALL_ASN);
    // From the day the pact opened (a week ago) to today, each with its count.
    expect(days.length).toBeGreaterThanOrEqual(7);
    for (const [day, count] of days) {
      expect(day).toMatch(DAY);
      expect(count).toMatch(/^[\d.]+$/);
    }
    expect(days.some(([, count]) => Number(count) > 0)).toBe(true);
    await expectAccessible(page);
  });

  it('reminds her unit and comes back to the dashboard, which says so and when Dewi was reminded', async () => {
    await dashboard.remind(ALL_ASN, OWN_UNIT.name);
    expect(new URL(page.url()).pathname).toBe('/admin');
    await checked('operator-dasbor-diingatkan-ponsel');
    const confirmation = dashboard.flash().filter({ hasText: /Pengingat sedang dikirim ke [\d.]+ orang/ });
    await expect(confirmation.count()).resolves.toBe(1);
    await expect(confirmation.getAttribute('role')).resolves.toBe('status');

    // The mails go out after the answer (to the outbox in the demo): the column moves on once Dewi's has gone.
    let reminded = '';
    for (let i = 0; i < 20; i += 1) {
      reminded = (await dashboard.outstandingRow(ALL_ASN, DEWI))[2] ?? '';
      if (reminded !== remindedBefore) break;
      await page.waitForTimeout(250);
      await page.reload();
    }
    expect(reminded).toMatch(DATE_TIME);
    expect(reminded).not.toBe(remindedBefore);
    await dashboard.verifyOnPage();
  });
});
