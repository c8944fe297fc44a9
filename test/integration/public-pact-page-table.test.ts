import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { maskNip } from '../../src/directory/nip.js';
import type { Unit, User } from '../../src/directory/types.js';
import { pageText } from '../helpers/http.js';
import { binaryParser, makePact, signAs } from '../helpers/pacts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** The body rows of the page's table, each a list of its cells' text. */
function tableRows(html: string): string[][] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return body
    .split(/<tr\b[^>]*>/)
    .slice(1)
    .map((row) =>
      [...row.matchAll(/<(td|th)\b[^>]*>([\s\S]*?)<\/\1>/g)].map((cell) => pageText(cell[2] ?? '')),
    );
}

/** The column headers: their text, link and aria-sort. */
function headers(html: string) {
  const head = /<thead>([\s\S]*?)<\/thead>/.exec(html)?.[1] ?? '';
  return [...head.matchAll(/<th\b[^>]*aria-sort="([a-z]+)"[^>]*><a href="([^"]*)">([^<]*)<\/a>/g)].map(
    (m) => ({
      label: m[3],
      href: (m[2] ?? '').replace(/&amp;/g, '&'),
      ariaSort: m[1],
    }),
  );
}

const csvRows = (body: Buffer): string[][] => parse(body, { delimiter: ';', bom: true }) as string[][];

/** The public list of one pact: its table sorted as the URL says, and the same rows as CSV. */
describe('the public pact page table', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  /**
   * Four units at different points: Kota Tegal 1 of 3 (two to go), Kabupaten Pati 0 of 1, BAPENDA 2 of 3, Dinas
   * Kesehatan 2 of 2; and a unit with nobody in it. Each unit's first member heads it.
   */
  async function province(audience: 'all' | 'heads') {
    const units: Record<string, Unit> = {};
    const people: Record<string, User[]> = {};
    const plan = [
      { code: '33.76', name: 'Kota Tegal', kind: 'kota', members: 3, signed: 1 },
      { code: '33.18', name: 'Kabupaten Pati', kind: 'kabupaten', members: 1, signed: 0 },
      { code: 'BAPENDA', name: 'Badan Pendapatan Daerah', kind: 'badan', members: 3, signed: 2 },
      { code: 'DINKES', name: 'Dinas Kesehatan', kind: 'dinas', members: 2, signed: 2 },
      { code: 'BIRO-KOSONG', name: 'Biro Tanpa Pegawai', kind: 'biro', members: 0, signed: 0 },
    ];
    for (const { code, name, kind, members } of plan) {
      const unit = await t.make.unit({ code, name, kind });
      units[code] = unit;
      people[code] = [];
      for (let i = 0; i < members; i += 1) people[code].push(await t.make.user({ unitId: unit.id }));
      const head = people[code][0];
      if (head) await t.services.units.setHead(unit.id, head.id, t.clock.now());
    }
    const pact = await makePact(t.services, { audience, title: 'Pakta Netralitas Uji' });
    for (const { code, signed } of plan) {
      for (const person of (people[code] ?? []).slice(0, signed)) {
        if (audience === 'all' || person === people[code]?.[0]) await signAs(t.services, pact, person);
      }
    }
    return { units, people, pact };
  }

  it('lists the units most behind first by default, and sorts by any column shown as the URL says', async () => {
    const { pact } = await province('all');
    const names = async (query: string) =>
      tableRows((await request(t.app).get(`/kepatuhan/${pact.id}${query}`).expect(200)).text).map((row) =>
        row[0]?.replace(/ (Kota|Kabupaten|Badan|Dinas)$/, ''),
      );
    // Two still to sign in Kota Tegal come before the one in Pati, then the one in BAPENDA (a higher share).
    expect(await names('')).toEqual([
      'Kota Tegal',
      'Kabupaten Pati',
      'Badan Pendapatan Daerah',
      'Dinas Kesehatan',
    ]);
    expect(await names('?urut=nama&arah=naik')).toEqual([
      'Badan Pendapatan Daerah',
      'Dinas Kesehatan',
      'Kabupaten Pati',
      'Kota Tegal',
    ]);
    expect(await names('?urut=persen&arah=turun')).toEqual([
      'Dinas Kesehatan',
      'Badan Pendapatan Daerah',
      'Kota Tegal',
      'Kabupaten Pati',
    ]);
    // Equal counts fall back to the name.
    expect(await names('?urut=wajib&arah=turun')).toEqual([
      'Badan Pendapatan Daerah',
      'Kota Tegal',
      'Dinas Kesehatan',
      'Kabupaten Pati',
    ]);
    expect(await names('?urut=belum&arah=naik&status=belum')).toEqual([
      'Badan Pendapatan Daerah',
      'Kabupaten Pati',
      'Kota Tegal',
    ]);
    // Each row with its Belum beside Wajib and Sudah, and the share by the one rule.
    const rows = tableRows((await request(t.app).get(`/kepatuhan/${pact.id}`)).text);
    expect(rows[0]).toEqual(['Kota Tegal Kota', '3', '1', '2', '33,3%']);
    expect(rows[2]).toEqual(['Badan Pendapatan Daerah Badan', '3', '2', '1', '66,7%']);
  });

  it('makes each column header a link that keeps the filter and says how the table is sorted', async () => {
    const { pact } = await province('all');
    const first = headers((await request(t.app).get(`/kepatuhan/${pact.id}`)).text);
    expect(first.map((h) => h.label)).toEqual(['Unit kerja', 'Wajib', 'Sudah', 'Belum', 'Persentase']);
    // The default order is most unsigned first.
    expect(first.map((h) => h.ariaSort)).toEqual(['none', 'none', 'none', 'descending', 'none']);
    expect(first[4]?.href).toBe('?urut=persen&arah=naik');

    const html = (await request(t.app).get(`/kepatuhan/${pact.id}?status=belum&urut=persen&arah=naik`)).text;
    const sorted = headers(html);
    expect(sorted.map((h) => h.ariaSort)).toEqual(['none', 'none', 'none', 'none', 'ascending']);
    // A second click on the same column turns it round; the filter stays.
    expect(sorted[4]?.href).toBe('?status=belum&urut=persen&arah=turun');
    expect(sorted[0]?.href).toBe('?status=belum&urut=nama&arah=naik');
    // The filter's links keep the order, and the phone's sort form shows it chosen.
    expect(html).toContain('href="?status=sudah&amp;urut=persen&amp;arah=naik"');
    expect(html).toMatch(/<option value="persen" selected>/);
  });

  it('refuses a sort, direction or format it does not know with a 400 that names the parameter', async () => {
    const { pact } = await province('all');
    for (const query of [
      '?urut=kode',
      '?urut=Nama',
      // A column of the admin report that this page does not show.
      '?urut=kepala',
      '?arah=asc',
      '?urut=nama&urut=wajib',
    ]) {
      const res = await request(t.app).get(`/kepatuhan/${pact.id}${query}`);
      expect(res.status, query).toBe(400);
      expect(res.text, query).toContain('Urutan tabel tidak dikenal: parameter „urut“');
    }
    const format = await request(t.app).get(`/kepatuhan/${pact.id}?format=pdf`);
    expect(format.status).toBe(400);
    expect(format.text).toContain('parameter „format“ hanya boleh csv');
    // Empty parameters are the default.
    expect((await request(t.app).get(`/kepatuhan/${pact.id}?urut=&arah=`)).status).toBe(200);
  });

  it('downloads exactly the rows the page shows, in its order, named by the WIB date', async () => {
    const { pact } = await province('all');
    // 04.39 WIB on 7 December is still 6 December in UTC.
    t.clock.set('2024-12-06T21:39:00Z');
    const query = '?status=belum&urut=persen&arah=turun';
    const page = (await request(t.app).get(`/kepatuhan/${pact.id}${query}`)).text;
    expect(page).toContain(`href="${query.replace(/&/g, '&amp;')}&amp;format=csv"`);
    const res = await request(t.app)
      .get(`/kepatuhan/${pact.id}${query}&format=csv`)
      .buffer(true)
      .parse(binaryParser);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename=kepatuhan-${pact.id}-v1-2024-12-07.csv`,
    );
    expect((res.body as Buffer).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const [header, ...rows] = csvRows(res.body as Buffer);
    expect(header).toEqual(['Unit kerja', 'Jenis', 'Wajib', 'Sudah', 'Belum', 'Persentase']);
    expect(rows).toEqual([
      ['Badan Pendapatan Daerah', 'Badan', '3', '2', '1', '66,7%'],
      ['Kota Tegal', 'Kota', '3', '1', '2', '33,3%'],
      ['Kabupaten Pati', 'Kabupaten', '1', '0', '1', '0%'],
    ]);
    // Cell for cell what the page's table says.
    expect(rows.map(([name, kind, ...rest]) => [`${name} ${kind}`, ...rest])).toEqual(tableRows(page));
  });

  it("downloads a heads pact's list with each head's masked NIP and signing time, never the full NIP", async () => {
    const { pact, people } = await province('heads');
    t.clock.set('2024-11-21T03:15:00Z');
    const res = await request(t.app).get(`/kepatuhan/${pact.id}?format=csv`).buffer(true).parse(binaryParser);
    expect(res.status).toBe(200);
    const [header, ...rows] = csvRows(res.body as Buffer);
    expect(header).toEqual([
      'Unit kerja',
      'Jenis',
      'Kepala',
      'Jabatan',
      'NIP',
      'Penandatanganan',
      'Waktu penandatanganan',
    ]);
    // Only Pati's head has not signed: first, then the others by name, as on the page.
    const page = tableRows((await request(t.app).get(`/kepatuhan/${pact.id}`)).text);
    expect(rows.map((row) => `${row[0]} ${row[1]}`)).toEqual(page.map((row) => row[0]));
    expect(rows.map((row) => row[0])).toEqual([
      'Kabupaten Pati',
      'Badan Pendapatan Daerah',
      'Dinas Kesehatan',
      'Kota Tegal',
    ]);
    const pati = rows.find((row) => row[0] === 'Kabupaten Pati');
    const headPati = people['33.18']?.[0] as User;
    expect(pati).toEqual([
      'Kabupaten Pati',
      'Kabupaten',
      headPati.fullName,
      'Analis Kebijakan',
      maskNip(headPati.nip as string),
      'Belum',
      '',
    ]);
    const tegal = rows.find((row) => row[0] === 'Kota Tegal');
    expect(tegal?.slice(5)).toEqual(['Sudah', expect.stringMatching(/^\d+ \w+ \d{4} pukul \d\d\.\d\d WIB$/)]);
    expect((res.body as Buffer).toString()).not.toContain(headPati.nip as string);
  });
});
