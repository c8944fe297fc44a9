import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/credentials/password.js';
import { readReferenceUnits } from '../../src/directory/units/reference-units.js';
import type { Pact } from '../../src/pledges/types.js';
import { checkRecords } from '../../src/pledges/verification/check-records.js';
import { DEMO_PASSWORD, seedDemo } from '../../src/seed/demo.js';
import { DEMO_CEREMONY_2023, demoPactTitles } from '../../src/seed/demo-pacts.js';
import { seedDemoPosts } from '../../src/seed/seed-demo-posts.js';
import { browser, logIn, pageText } from '../helpers/http.js';
import { popplerLines, popplerPageCount } from '../helpers/poppler.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * Early on a Monday in December 2026 in Jakarta (04.00 WIB), before the hour the demo's pacts open on their day:
 * this year's pacts are those of 2027.
 */
const NOW = '2026-12-06T21:00:00.000Z';

// The demo tells one story (DESIGN.md, "Demo story"): the 26 September 2023 ikrar bersama of every Kepala OPD as an
// archived pact signed on paper, and this year's pacts open for anyone to sign, with news dated to match.
describe('the demo story', () => {
  let t: TestApp;
  let archive: Pact;
  let open: Pact[];

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set(NOW);
    await seedDemo(t.services, await hashPassword(DEMO_PASSWORD));
    await seedDemoPosts(t.services);
    const pacts = await t.services.pacts.list();
    archive = pacts.find((p) => p.archived) as Pact;
    open = (await t.services.pacts.listByStatus('open')).sort((a, b) => a.id - b.id);
  }, 60_000);
  afterAll(() => t?.close());

  const userId = async (email: string) => (await t.services.users.findByEmail(email))?.id as number;

  it('keeps the 26 September 2023 heads pact as an archive, signed on paper by all 52 OPD heads', async () => {
    expect(archive).toMatchObject({
      title: DEMO_CEREMONY_2023.title,
      status: 'closed',
      archived: true,
      audience: 'heads',
      ceremonyOn: '2023-09-26',
      ceremonyPlace: 'Gedung Gradhika Bhakti Praja, Semarang',
    });
    expect(archive.body).toContain('14 Februari 2024');

    // Exactly the heads of the 52 OPD, not the 35 kabupaten/kota.
    const compliance = await t.services.complianceCache.forPact(archive);
    expect(compliance).toMatchObject({ required: 52, signed: 52, percent: 100 });
    const opdCodes = readReferenceUnits('jateng-opd').map((u) => u.code);
    expect(compliance.units.map((u) => u.code).sort()).toEqual([...opdCodes].sort());

    const rows = (
      await sql<{
        method: string;
        signed_at: string;
        paper_signed_on: string;
        paper_place: string;
        paper_witness: string;
        paper_scan_id: number;
      }>`SELECT method, signed_at, paper_signed_on, paper_place, paper_witness, paper_scan_id
         FROM signatures WHERE pact_id = ${archive.id} AND status = 'valid'`.execute(t.db.q)
    ).rows;
    expect(rows).toHaveLength(52);
    for (const row of rows) {
      expect(row).toMatchObject({
        method: 'paper',
        paper_signed_on: '2023-09-26',
        paper_place: 'Gedung Gradhika Bhakti Praja, Semarang',
        paper_witness: 'Sekretaris Daerah Provinsi Jawa Tengah',
      });
      // Noon of the day in Jakarta.
      expect(new Date(row.signed_at).toISOString()).toBe('2023-09-26T05:00:00.000Z');
    }
    const scans = new Set(rows.map((row) => Number(row.paper_scan_id)));
    expect(scans.size).toBe(1);

    // The scan is the ceremony's signing sheet of those 52 heads.
    const scan = await t.services.scans.withBytes([...scans][0] as number);
    expect(scan).toMatchObject({
      mime: 'application/pdf',
      fileName: 'lembar-ikrar-bersama-26-september-2023.pdf',
    });
    const bytes = scan?.bytes as Buffer;
    const text = Array.from({ length: popplerPageCount(bytes) }, (_, i) =>
      popplerLines(bytes, i + 1).join('\n'),
    ).join('\n');
    expect(text).toContain('Ikrar bersama: 26 September 2023, Gedung Gradhika Bhakti Praja, Semarang');
    expect(text).toContain('Bambang Setiawan');
    expect(text.match(/Unit kerja: /g)).toHaveLength(52);
    // Made by the sheet Ikrar prints (src/paper/sheet.ts): printed for the ceremony's day, its official's title under
    // "Mengetahui" (name and NIP left to write by hand), and a word that it is the demo's.
    expect(text).toContain(`Pakta #${archive.id} v1 · lembar 2023-09-26 · Halaman 1 dari`);
    expect(text).toMatch(
      /Semarang, 26 September 2023\s+Mengetahui,\s+Sekretaris Daerah Provinsi Jawa Tengah/,
    );
    expect(text).toContain('Contoh untuk demo: lembar ini dibuat ulang oleh Ikrar');

    expect(await checkRecords(t.services, t.clock, { record: false })).toMatchObject({ ok: true });
  });

  it('opens this year’s pacts for heads and for all ASN, none of them for Pemilu 2024', async () => {
    const titles = demoPactTitles(2027);
    expect(open.map((p) => [p.id, p.audience, p.title])).toEqual([
      [1, 'heads', titles.heads],
      [2, 'all', titles.all],
    ]);
    const now = t.clock.now().toISOString();
    for (const pact of open) {
      expect(pact.title).not.toMatch(/2024/);
      expect(pact.body).not.toMatch(/2024|\{tahun\}/);
      expect(pact.body).toContain('Tahun 2027');
      expect(pact.opensAt < now && now < pact.deadline, pact.title).toBe(true);
      const compliance = await t.services.complianceCache.forPact(pact);
      // Every unit: the 52 OPD and the 35 kabupaten/kota.
      expect(compliance.units).toHaveLength(87);
      expect(compliance.signed).toBeGreaterThan(0);
      expect(compliance.signed).toBeLessThan(compliance.required);
    }
    // Every online signing falls within its pact's period.
    const outside = await sql<{ n: number }>`
      SELECT count(*) AS n FROM signatures s JOIN pacts p ON p.id = s.pact_id
      WHERE s.method = 'online' AND (s.signed_at < p.opens_at OR s.signed_at > ${now})`.execute(t.db.q);
    expect(Number(outside.rows[0]?.n)).toBe(0);
  });

  it('leaves the open pacts unsigned by kepala@ and asn@, who find them to sign', async () => {
    const [heads, all] = open as [Pact, Pact];
    const kepala = await userId('kepala@ikrar.test');
    const asn = await userId('asn@ikrar.test');
    for (const [pact, person] of [
      [heads, kepala],
      [all, kepala],
      [all, asn],
    ] as const) {
      expect(await t.services.pacts.requirement(pact.id, person), `${pact.id} ${person}`).toBeDefined();
      expect(await t.services.signatures.findValid(pact.id, person)).toBeUndefined();
    }
    for (const email of ['kepala@ikrar.test', 'asn@ikrar.test']) {
      const agent = browser(t.app);
      expect((await logIn(agent, email, DEMO_PASSWORD)).status).toBe(302);
      const page = pageText((await agent.get('/pakta')).text);
      expect(page, email).toContain(demoPactTitles(2027).all);
    }
  });

  it('leaves at least 30 people of DISKOMINFO, the operator’s unit, to sign the all-ASN pact', async () => {
    const all = open[1] as Pact;
    const unit = (await t.services.complianceCache.forPact(all)).units.find((u) => u.code === 'DISKOMINFO');
    expect(unit?.required).toBeGreaterThan(0);
    expect((unit?.required ?? 0) - (unit?.signed ?? 0)).toBeGreaterThanOrEqual(30);
  });

  it('dates the news of 2023 on their days and the posts about Ikrar in the days of this year’s pacts', async () => {
    const post = async (slug: string) =>
      (
        await sql<{ published_at: string }>`SELECT published_at FROM posts WHERE slug = ${slug}`.execute(
          t.db.q,
        )
      ).rows[0]?.published_at as string;
    const day = async (slug: string) => t.services.timeZone.dayOf(await post(slug));
    expect(await day('kepala-perangkat-daerah-ikrarkan-netralitas-asn-di-gedung-gradhika-bhakti-praja')).toBe(
      '2023-09-26',
    );
    expect(await day('komisi-ii-dpr-ri-tinjau-kesiapan-pemilu-dan-pilkada-2024-di-jawa-tengah')).toBe(
      '2023-11-21',
    );
    expect(await day('pemilu-dan-pilkada-2024-pemprov-jateng-siapkan-dukungan-dan-jaga-netralitas-asn')).toBe(
      '2023-08-08',
    );
    const [heads, all] = open as [Pact, Pact];
    // The posts that say a pact opened "today": on its opening day, after it opened.
    const sameDayAfter = (postAt: string, opensAt: string) => {
      expect(t.services.timeZone.dayOf(postAt)).toBe(t.services.timeZone.dayOf(opensAt));
      expect(new Date(postAt).getTime()).toBeGreaterThan(Date.parse(opensAt));
    };
    sameDayAfter(
      await post('tata-cara-menandatangani-pakta-integritas-netralitas-asn-melalui-ikrar'),
      all.opensAt,
    );
    sameDayAfter(
      await post('pakta-integritas-netralitas-asn-dibuka-kepala-perangkat-daerah-lebih-dahulu'),
      heads.opensAt,
    );
    const reminder = await post(
      'pengingat-seluruh-asn-wajib-menandatangani-pakta-integritas-sebelum-batas-waktu',
    );
    expect(reminder < heads.deadline).toBe(true);

    const ceremony = await browser(t.app).get(
      '/berita/kepala-perangkat-daerah-ikrarkan-netralitas-asn-di-gedung-gradhika-bhakti-praja',
    );
    expect(pageText(ceremony.text)).toContain('26 September 2023');
  });

  it('shows the archive on the public compliance page: 52 of 52', async () => {
    const page = pageText((await browser(t.app).get(`/kepatuhan/${archive.id}`)).text);
    expect(page).toContain(DEMO_CEREMONY_2023.title);
    expect(page).toMatch(/100%/);
  });
});
