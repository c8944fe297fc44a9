import PDFDocument from 'pdfkit';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordUnitAgreement } from '../../src/agreements/record-unit-agreement.js';
import { changeAgreementStatus, createAgreement } from '../../src/agreements/save-agreement.js';
import type { AgreementScope } from '../../src/agreements/types.js';
import { systemActor } from '../../src/audit/record-event.js';
import type { Unit, User } from '../../src/directory/types.js';
import { pdfBytes } from '../../src/pdf/document.js';
import type { Pact } from '../../src/pledges/types.js';
import { checkScan } from '../../src/scans/scan-file.js';
import { pageText } from '../helpers/http.js';
import { makePact, signAs } from '../helpers/pacts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** The ranking chart's bars: each one's text, and its rect's width (the share, out of 100). */
function chartBars(html: string) {
  return [...html.matchAll(/<li class="rank-chart-row">([\s\S]*?)<\/li>/g)].map((m) => ({
    text: pageText(m[1] ?? ''),
    width: /<rect class="rank-chart-fill" width="([^"]+)"/.exec(m[1] ?? '')?.[1],
  }));
}

/** The tile map's squares: abbreviation, value, tone and hover title. */
function tiles(html: string) {
  return [
    ...html.matchAll(
      /<g class="tile-tone-([a-z]+)">\s*<title>([^<]*)<\/title>[\s\S]*?<text class="tile-map-abbr"[^>]*>([^<]*)<\/text>\s*<text class="tile-map-value"[^>]*>([^<]*)<\/text>/g,
    ),
  ].map((m) => ({ tone: m[1], title: m[2], abbr: m[3], value: m[4] }));
}

const tileOf = (html: string, abbr: string) => tiles(html).find((tile) => tile.abbr === abbr);

/** What the public pact page draws from the cached numbers: the time they are from, the ranking, the map. */
describe('the public pact page charts', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  /**
   * Kabupaten Pati 0 of 1, Dinas Kesehatan 1 of 2, Kota Tegal 2 of 3, Kota Semarang 4 of 5, Kabupaten Batang 1 of
   * 1, signed on an all-ASN pact; on a heads pact each unit's head (its first member) signed where anyone did.
   */
  async function province() {
    const plan = [
      { code: '33.18', name: 'Kabupaten Pati', kind: 'kabupaten', members: 1, signed: 0 },
      { code: 'DINKES', name: 'Dinas Kesehatan', kind: 'dinas', members: 2, signed: 1 },
      { code: '33.76', name: 'Kota Tegal', kind: 'kota', members: 3, signed: 2 },
      { code: '33.74', name: 'Kota Semarang', kind: 'kota', members: 5, signed: 4 },
      { code: '33.25', name: 'Kabupaten Batang', kind: 'kabupaten', members: 1, signed: 1 },
    ];
    const units: Record<string, Unit> = {};
    const people: Record<string, User[]> = {};
    for (const { code, name, kind, members } of plan) {
      units[code] = await t.make.unit({ code, name, kind });
      people[code] = [];
      for (let i = 0; i < members; i += 1)
        people[code].push(await t.make.user({ unitId: (units[code] as Unit).id }));
      await t.services.units.setHead((units[code] as Unit).id, (people[code][0] as User).id, t.clock.now());
    }
    const all = await makePact(t.services, { audience: 'all', title: 'Pakta Seluruh ASN Uji' });
    const heads = await makePact(t.services, { audience: 'heads', title: 'Pakta Kepala Uji' });
    for (const { code, signed } of plan) {
      const signers = (people[code] ?? []).slice(0, signed);
      for (const person of signers) await signAs(t.services, all, person);
      if (signers[0]) await signAs(t.services, heads, signers[0]);
    }
    return { units, people, all, heads };
  }

  const page = async (pact: Pact, app = t.app) => {
    const res = await request(app).get(`/kepatuhan/${pact.id}`);
    expect(res.status).toBe(200);
    return res.text;
  };

  it('says when its numbers are from, on the clocks of the instance', async () => {
    const { all } = await province();
    t.clock.set('2024-11-21T03:15:00Z');
    expect(pageText(await page(all))).toContain('Data per 21 November 2024 pukul 10.15 WIB');

    const wita = await createTestApp({ TIME_ZONE: 'Asia/Makassar' });
    try {
      const pact = await makePact(wita.services, { audience: 'all' });
      wita.clock.set('2024-11-21T03:15:00Z');
      expect(pageText(await page(pact, wita.app))).toContain('Data per 21 November 2024 pukul 11.15 WITA');
    } finally {
      await wita.close();
    }
  });

  it('ranks the units of an all-ASN pact by share signed, lowest first, each bar labelled with its value', async () => {
    const { all } = await province();
    expect(pageText(await page(all))).toContain(
      'Peringkat unit menurut persentase yang sudah menandatangani',
    );
    expect(chartBars(await page(all))).toEqual([
      { text: 'Kabupaten Pati 0% (0 dari 1)', width: '0' },
      { text: 'Dinas Kesehatan 50% (1 dari 2)', width: '50' },
      { text: 'Kota Tegal 66,7% (2 dari 3)', width: '66.7' },
      { text: 'Kota Semarang 80% (4 dari 5)', width: '80' },
      { text: 'Kabupaten Batang 100% (1 dari 1)', width: '100' },
    ]);
  });

  it('ranks the kinds of unit of a heads pact, where each unit alone is all or nothing', async () => {
    const { heads } = await province();
    const html = await page(heads);
    expect(pageText(html)).toContain('Persentase kepala yang sudah menandatangani menurut jenis unit');
    expect(chartBars(html)).toEqual([
      { text: 'Kabupaten 50% (1 dari 2)', width: '50' },
      { text: 'Dinas 100% (1 dari 1)', width: '100' },
      { text: 'Kota 100% (2 dari 2)', width: '100' },
    ]);
  });

  it('draws the 35 kabupaten/kota as tiles coloured by share, with a legend and a list', async () => {
    const { all, heads } = await province();
    const html = await page(all);
    const text = pageText(html);
    expect(text).toContain('Peta kabupaten/kota Jawa Tengah');
    expect(tiles(html)).toHaveLength(35);
    expect(tileOf(html, 'PTI')).toEqual({
      tone: 'low',
      title: 'Kabupaten Pati: 0%',
      abbr: 'PTI',
      value: '0%',
    });
    expect(tileOf(html, 'KTG')).toEqual({
      tone: 'mid',
      title: 'Kota Tegal: 66,7%',
      abbr: 'KTG',
      value: '66,7%',
    });
    expect(tileOf(html, 'KSM')).toEqual({
      tone: 'high',
      title: 'Kota Semarang: 80%',
      abbr: 'KSM',
      value: '80%',
    });
    expect(tileOf(html, 'BTG')).toEqual({
      tone: 'full',
      title: 'Kabupaten Batang: 100%',
      abbr: 'BTG',
      value: '100%',
    });
    // A kabupaten the directory does not have: blank, and said so in the legend.
    expect(tileOf(html, 'CLP')).toEqual({
      tone: 'none',
      title: 'Kabupaten Cilacap: —',
      abbr: 'CLP',
      value: '—',
    });
    expect(html).toContain('<ul class="tile-map-legend small" aria-label="Keterangan warna">');
    expect(text).toContain(
      'Di bawah 50% 50% sampai 79,9% 80% sampai 99,9% 100%: semua sudah Tidak ada yang wajib',
    );
    // The text alternative: the image is named, and every square is a line of the list.
    expect(html).toMatch(
      /<svg class="tile-map-svg" viewBox="0 0 110 50" role="img" aria-label="Peta kabupaten/,
    );
    expect(text).toContain('Tampilkan sebagai daftar (35 kabupaten/kota)');
    expect(text).toContain('PTI Kabupaten Pati: 0%');
    expect(text).toContain('KSM Kota Semarang: 80%');

    // A heads pact: each head signed or not.
    const headsHtml = await page(heads);
    expect(tileOf(headsHtml, 'PTI')?.tone).toBe('low');
    expect(tileOf(headsHtml, 'KSM')).toMatchObject({ tone: 'full', value: '100%' });
  });

  it('shows no map where the pact asks no kabupaten/kota, or where theirs have no layout', async () => {
    const { units, all } = await province();
    const opd = await makePact(t.services, { audience: 'all', unitIds: [(units.DINKES as Unit).id] });
    const opdHtml = await page(opd);
    expect(opdHtml).not.toContain('tile-map');
    expect(chartBars(opdHtml)).toEqual([{ text: 'Dinas Kesehatan 0% (0 dari 2)', width: '0' }]);

    // A kabupaten of another province joins: a map without it would mislead, so there is none.
    const sleman = await t.make.unit({ code: '34.04', name: 'Kabupaten Sleman', kind: 'kabupaten' });
    await t.make.user({ unitId: sleman.id });
    const html = await page(all);
    expect(html).not.toContain('tile-map');
    expect(pageText(html)).toContain('Kabupaten Sleman 0% (0 dari 1)');
  });

  it("colours the unit agreement page's map by agreed or not", async () => {
    const pati = await t.make.unit({ code: '33.18', name: 'Kabupaten Pati', kind: 'kabupaten' });
    await t.make.unit({ code: '33.27', name: 'Kabupaten Pemalang', kind: 'kabupaten' });
    const agreement = async (scope: AgreementScope) => {
      const created = await createAgreement(t.services, {
        actor: systemActor,
        fields: { title: `NPHD ${scope}`, description: '', scope, parentUnitId: null, deadlineOn: null },
      });
      if (!created.ok) throw new Error('not created');
      expect(
        await changeAgreementStatus(t.services, {
          agreementId: created.agreementId,
          status: 'open',
          actor: systemActor,
        }),
      ).toEqual({ ok: true });
      return created.agreementId;
    };
    const nphd = await agreement('kabkota');
    const doc = new PDFDocument({ size: 'A4', compress: false });
    const bytes = pdfBytes(doc);
    doc.text('NPHD Kabupaten Pati');
    doc.end();
    const scan = await checkScan(await bytes, 'nphd.pdf');
    if (!scan.ok) throw new Error('scan refused');
    const recorded = await recordUnitAgreement(t.services, {
      agreementId: nphd,
      unitId: pati.id,
      input: {
        status: 'signed',
        signedOn: '2023-11-08',
        documentNumber: '900/1/XI/2023',
        parties: 'KPU; Bawaslu',
        note: null,
      },
      scan,
      actor: systemActor,
    });
    expect(recorded.ok).toBe(true);
    const html = (await request(t.app).get(`/kepatuhan/kesepakatan/${nphd}`)).text;
    expect(tileOf(html, 'PTI')).toMatchObject({ tone: 'full', value: 'Sudah' });
    expect(tileOf(html, 'PML')).toMatchObject({ tone: 'low', value: 'Belum' });
    expect(tileOf(html, 'KSM')).toMatchObject({ tone: 'none', value: '—' });
    expect(pageText(html)).toContain(
      'Sudah menandatangani Belum menandatangani Tidak termasuk kesepakatan ini',
    );

    await t.make.unit({ code: 'DINKES', name: 'Dinas Kesehatan', kind: 'dinas' });
    const dinas = await agreement('dinas');
    expect((await request(t.app).get(`/kepatuhan/kesepakatan/${dinas}`)).text).not.toContain('tile-map');
  });
});
