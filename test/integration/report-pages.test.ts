import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Unit, User } from '../../src/directory/types.js';
import { type Agent, loggedInAdmin, pageText as text } from '../helpers/http.js';
import { makePact, signAs } from '../helpers/pacts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** The unit names of the report's rows, in order. */
const rowNames = (html: string): string[] =>
  [...html.matchAll(/<a href="\/admin\/kepatuhan\/\d+\/unit\/\d+">([^<]*)<\/a>/g)].map((m) => m[1] as string);

/** A list of the drill-down ("belum" or "sudah"): its people's names in order. */
const namesIn = (html: string, id: string, names: readonly string[]): string[] => {
  const start = html.indexOf(`aria-labelledby="${id}"`);
  expect(start, `section ${id}`).toBeGreaterThan(-1);
  const part = html.slice(start, html.indexOf('</section>', start));
  return names
    .filter((name) => part.includes(`>${name}<`))
    .sort((a, b) => part.indexOf(`>${a}<`) - part.indexOf(`>${b}<`));
};

const links = (html: string, rel: 'next' | 'prev'): string[] =>
  [...html.matchAll(new RegExp(`href="([^"]*)" rel="${rel}"`, 'g'))].map((m) =>
    (m[1] as string).replaceAll('&amp;', '&'),
  );

describe('the report and its drill-down, a page at a time', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const get = async (agent: Agent, path: string): Promise<string> => {
    const res = await agent.get(path);
    expect(res.status, path).toBe(200);
    return res.text;
  };

  /** 103 units of one to four members (unit i has i % 4 + 1), one of whom has signed in the even units. */
  async function hundredAndThreeUnits() {
    const units: Unit[] = [];
    for (let i = 0; i < 103; i += 1) {
      const unit = await t.make.unit({ name: `Unit ${String(i).padStart(3, '0')}`, code: `U${i}` });
      units.push(unit);
      // Unit i has i % 4 + 1 members, one of whom has signed in the even units.
      for (let m = 0; m <= i % 4; m += 1) await t.make.user({ unitId: unit.id, fullName: `Staf ${i}-${m}` });
    }
    const pact = await makePact(t.services, { audience: 'all' });
    for (const [i, unit] of units.entries()) {
      if (i % 2 === 1) continue;
      const [first] = await t.services.users.search(
        { query: `Staf ${i}-0`, unitIds: [unit.id], role: null, status: null, headsOnly: false },
        1,
        0,
      );
      await signAs(t.services, pact, first as User);
    }
    return pact;
  }

  it('shows a hundred units a page, most behind first, and keeps the sort and filters across pages', async () => {
    const pact = await hundredAndThreeUnits();
    const { agent } = await loggedInAdmin(t);

    const first = await get(agent, `/admin/kepatuhan/${pact.id}`);
    const page1 = rowNames(first);
    expect(page1).toHaveLength(100);
    expect(text(first)).toContain('Halaman 1 dari 2');
    // The most unsigned first: the odd units of four members (3, 7, 11, …) have four unsigned.
    expect(page1.slice(0, 3)).toEqual(['Unit 003', 'Unit 007', 'Unit 011']);
    const [next] = links(first, 'next');
    expect(next).toBe('?halaman=2');
    const page2 = rowNames(await get(agent, `/admin/kepatuhan/${pact.id}${next}`));
    expect(page2).toHaveLength(3);
    expect(new Set([...page1, ...page2]).size).toBe(103);

    // Sorted by name: the sort stays in the page links, and choosing a sort starts again at page 1.
    const byName = await get(agent, `/admin/kepatuhan/${pact.id}?urut=nama&arah=turun&halaman=2`);
    expect(rowNames(byName)).toEqual(['Unit 002', 'Unit 001', 'Unit 000']);
    expect(links(byName, 'prev')).toEqual(['?urut=nama&arah=turun&halaman=1']);
    expect(byName).toContain('href="?urut=nama&amp;arah=naik"');
    expect(byName).not.toMatch(/href="\?[^"]*halaman=2[^"]*format=csv/);

    // The export still has every unit.
    const csv = await agent.get(`/admin/kepatuhan/${pact.id}?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.text.match(/Unit \d{3}/g)).toHaveLength(103);

    // A page past the end shows the last; a page that is not a number is refused.
    expect(rowNames(await get(agent, `/admin/kepatuhan/${pact.id}?halaman=9`))).toEqual(page2);
    expect((await agent.get(`/admin/kepatuhan/${pact.id}?halaman=dua`)).status).toBe(400);
  });

  it('shows a signing on the next view of the report, whose rows are kept between views', async () => {
    const unit = await t.make.unit({ name: 'Dinas Perhubungan', code: 'DISHUB' });
    const people = [
      await t.make.user({ unitId: unit.id, fullName: 'Dewi Anggraini' }),
      await t.make.user({ unitId: unit.id, fullName: 'Eko Prasetyo' }),
    ];
    const pact = await makePact(t.services, { audience: 'all' });
    const { agent } = await loggedInAdmin(t);
    const row = async () => {
      const html = await get(agent, `/admin/kepatuhan/${pact.id}`);
      const body = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
      return text(body.slice(body.indexOf('Dinas Perhubungan')));
    };
    // Unit, code and kind, head, then required, signed, unsigned, share and the last signing.
    expect(await row()).toMatch(/^Dinas Perhubungan DISHUB · Dinas — 2 0 2 0% —/);
    expect(await row()).toMatch(/— 2 0 2 0% —/);
    await signAs(t.services, pact, people[0] as User);
    expect(await row()).toMatch(/— 2 1 1 50% \d/);
  });

  it('shows the public a hundred units a page and ranks only the twenty lowest in its chart', async () => {
    const pact = await hundredAndThreeUnits();
    const res = await request(t.app).get(`/kepatuhan/${pact.id}`);
    expect(res.status).toBe(200);
    const chart = res.text.slice(
      res.text.indexOf('id="peringkat"'),
      res.text.indexOf('</section>', res.text.indexOf('id="peringkat"')),
    );
    expect(chart.match(/class="rank-chart-row"/g)).toHaveLength(20);
    expect(text(chart)).toContain('Ditampilkan 20 terendah dari 103 unit');
    const body = res.text.slice(res.text.indexOf('<tbody>'), res.text.indexOf('</tbody>'));
    expect(body.match(/<tr>/g)).toHaveLength(100);
    expect(text(res.text)).toContain('Halaman 1 dari 2');
    const [next] = links(res.text, 'next');
    expect(next).toBe('?halaman=2');
    const sorted = await request(t.app).get(`/kepatuhan/${pact.id}?urut=nama&halaman=2`);
    const rest = sorted.text.slice(sorted.text.indexOf('<tbody>'), sorted.text.indexOf('</tbody>'));
    expect(text(rest)).toMatch(/^\s*Unit 100.*Unit 101.*Unit 102/s);
    // The CSV has every unit of the filter and order, not one page of them.
    const csv = await request(t.app).get(`/kepatuhan/${pact.id}?format=csv&urut=nama`);
    expect(csv.text.match(/Unit \d{3}/g)).toHaveLength(103);
  });

  it("pages a unit's outstanding people and its signings separately, and follows a new signing at once", async () => {
    const unit = await t.make.unit({ name: 'Dinas Pendidikan', code: 'DISDIK' });
    const people: User[] = [];
    for (let i = 0; i < 105; i += 1) {
      people.push(
        await t.make.user({
          unitId: unit.id,
          fullName: `Guru ${String(i).padStart(3, '0')}`,
          password: null,
        }),
      );
    }
    const pact = await makePact(t.services, { audience: 'all' });
    // All but Guru 000, 010 and 020 sign, in order of their names: 102 signings.
    const signed = people.filter((_, i) => i % 10 !== 0 || i > 20);
    for (const person of signed) {
      t.clock.advance(60_000);
      await signAs(t.services, pact, person);
    }
    const names = people.map((person) => person.fullName);
    const outstandingNames = ['Guru 000', 'Guru 010', 'Guru 020'];
    const { agent } = await loggedInAdmin(t);
    const base = `/admin/kepatuhan/${pact.id}/unit/${unit.id}`;

    const first = await get(agent, base);
    expect(text(first)).toContain(`Belum menandatangani (${outstandingNames.length})`);
    expect(namesIn(first, 'belum', names)).toEqual(outstandingNames);
    // The signings, newest first, twenty a page.
    const newestFirst = signed.map((person) => person.fullName).reverse();
    expect(text(first)).toContain('Tanda tangan (102)');
    expect(namesIn(first, 'sudah', names)).toEqual(newestFirst.slice(0, 20));
    const [signingsNext] = links(first, 'next');
    expect(signingsNext).toBe('?halaman_ttd=2#sudah');
    const second = await get(agent, `${base}${signingsNext}`);
    expect(namesIn(second, 'sudah', names)).toEqual(newestFirst.slice(20, 40));
    expect(namesIn(second, 'belum', names)).toEqual(outstandingNames);

    // One of the outstanding signs: both lists follow on the next view.
    const late = people.find((person) => person.fullName === outstandingNames[0]) as User;
    t.clock.advance(60_000);
    await signAs(t.services, pact, late);
    const after = await get(agent, base);
    expect(namesIn(after, 'belum', names)).toEqual(outstandingNames.slice(1));
    expect(namesIn(after, 'sudah', names)[0]).toBe(late.fullName);
    expect(text(after)).toContain('Tanda tangan (103)');

    expect((await agent.get(`${base}?halaman_ttd=0`)).status).toBe(400);
  });

  it('pages through a unit of 130 outstanding people, fifty at a time by name', async () => {
    const unit = await t.make.unit({ name: 'Dinas Kesehatan', code: 'DINKES' });
    for (let i = 0; i < 130; i += 1) {
      await t.make.user({
        unitId: unit.id,
        fullName: `Perawat ${String(129 - i).padStart(3, '0')}`,
        password: null,
      });
    }
    const pact = await makePact(t.services, { audience: 'all' });
    const { agent } = await loggedInAdmin(t);
    const names = Array.from({ length: 130 }, (_, i) => `Perawat ${String(i).padStart(3, '0')}`);
    const base = `/admin/kepatuhan/${pact.id}/unit/${unit.id}`;

    const first = await get(agent, base);
    expect(namesIn(first, 'belum', names)).toEqual(names.slice(0, 50));
    const [next] = links(first, 'next');
    expect(next).toBe('?halaman=2#belum');
    expect(namesIn(await get(agent, `${base}${next}`), 'belum', names)).toEqual(names.slice(50, 100));
  });
});
