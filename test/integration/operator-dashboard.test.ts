import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Unit, User } from '../../src/directory/types.js';
import type { Pact } from '../../src/pledges/types.js';
import { createFormatter } from '../../src/web/format.js';
import { type Agent, fetchCsrfToken, loggedInAdmin, loggedInAs, pageText } from '../helpers/http.js';
import { makePact, postForm, signAs } from '../helpers/pacts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The card of one open pact on the dashboard, as HTML. */
function card(html: string, title: string): string {
  const cards = html.split('<article').slice(1);
  const found = cards.find((part) => part.includes(`>${title}</a></h3>`));
  if (!found) throw new Error(`no card for ${title}`);
  return found.slice(0, found.indexOf('</article>'));
}

/** The cells after the name in a person's row of "Belum menandatangani". */
function row(html: string, name: string): string[] | null {
  const match = html.match(new RegExp(`<tr><td[^>]*>${name}</td>(.*?)</tr>`));
  return match
    ? [...(match[1] as string).matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1] as string)
    : null;
}

/** The fields of the dashboard's reminder form for one unit, as a browser sends them (the CSRF token aside). */
function remindFields(html: string, unitId: number): Record<string, string> {
  const form = html
    .split('<form ')
    .find((part) => part.includes(`<input type="hidden" name="unit" value="${unitId}">`));
  if (!form) throw new Error(`no reminder form for unit ${unitId}`);
  const fields = [...form.slice(0, form.indexOf('</form>')).matchAll(/name="([^"]+)" value="([^"]*)"/g)];
  return Object.fromEntries(fields.map((m) => [m[1], m[2]]).filter(([name]) => name !== '_csrf'));
}

/** The operator of Kabupaten Pati sees Pati and the units under it, nothing of Batang. */
describe("the operator's dashboard", () => {
  let t: TestApp;
  let pati: Unit;
  let juwana: Unit;
  let batang: Unit;
  let people: Record<'henggar' | 'siti' | 'joko' | 'lani', User>;
  let all: Pact;

  beforeEach(async () => {
    t = await createTestApp();
    // 09.00 WIB on 14 January; the all-ASN pact opened an hour before.
    t.clock.set('2024-01-14T03:00:00Z');
    pati = await t.make.unit({ name: 'Kabupaten Pati', code: '33.18', kind: 'kabupaten' });
    juwana = await t.make.unit({ name: 'Kecamatan Juwana', kind: 'kecamatan', parentId: pati.id });
    const closedDown = await t.make.unit({ name: 'Kecamatan Lama', kind: 'kecamatan', parentId: pati.id });
    await t.services.units.setActive(closedDown.id, false, t.clock.now());
    batang = await t.make.unit({ name: 'Kabupaten Batang', code: '33.25', kind: 'kabupaten' });
    people = {
      henggar: await t.make.user({ unitId: pati.id, fullName: 'Henggar Budi Anggoro' }),
      siti: await t.make.user({ unitId: pati.id, fullName: 'Siti Aminah' }),
      joko: await t.make.user({ unitId: juwana.id, fullName: 'Joko Susilo' }),
      lani: await t.make.user({ unitId: batang.id, fullName: 'Lani Dwi Rejeki' }),
    };
    await t.make.user({ unitId: pati.id, fullName: 'Pegawai Nonaktif', status: 'disabled' });
    all = await makePact(t.services, {
      audience: 'all',
      title: 'Pakta Seluruh ASN',
      deadline: new Date('2024-01-31T00:00:00Z'),
    });
    await makePact(t.services, {
      audience: 'heads',
      title: 'Pakta Kepala Daerah',
      deadline: new Date('2024-01-31T00:00:00Z'),
    });
    // 12.00 WIB on 16 January.
    t.clock.set('2024-01-16T05:00:00Z');
    await signAs(t.services, all, people.henggar);
  });
  afterEach(() => t.close());

  const operatorOfPati = () => loggedInAs(t, 'operator', { unitId: pati.id, fullName: 'Operator Pati' });
  const dashboard = async (agent: Agent) => {
    const res = await agent.get('/admin');
    expect(res.status).toBe(200);
    return res.text;
  };

  it("is titled by the operator's unit and counts only the units and people of its subtree", async () => {
    const { agent } = await operatorOfPati();
    const html = await dashboard(agent);
    expect(html).toContain('<h1 class="h3">Dasbor Operator — Kabupaten Pati</h1>');
    expect(html).toContain('<title>Dasbor Operator — Kabupaten Pati');
    const text = pageText(html);
    expect(text).toContain(
      'Semua angka di halaman ini hanya mencakup Kabupaten Pati beserta unit di bawahnya.',
    );
    // Pati and Juwana (not the closed-down Kecamatan Lama, nor Batang); Henggar, Siti, Joko and the operator.
    expect(text).toContain('Unit aktif 2 Pengguna aktif 4');
    expect(text).not.toContain('Dasbor Admin');

    // The admin keeps the province's figures and title.
    const admin = await loggedInAdmin(t);
    const adminText = pageText(await dashboard(admin.agent));
    expect(adminText).toContain('Dasbor Admin');
    expect(adminText).toContain('Unit aktif 3 Pengguna aktif 6');
  });

  it('gives an operator without a unit an empty dashboard that says why', async () => {
    const { agent } = await loggedInAs(t, 'operator', { unitId: null });
    const text = pageText(await dashboard(agent));
    expect(text).toContain('Dasbor Operator Selamat datang');
    expect(text).toContain('Akun Anda belum terdaftar di unit mana pun');
    expect(text).toContain('Unit aktif 0 Pengguna aktif 0');
    expect(text).not.toContain('Siti Aminah');
  });

  it('shows operators no "Pakta (segera hadir)" placeholder in the menu, and admins the pacts', async () => {
    const { agent } = await operatorOfPati();
    const html = await dashboard(agent);
    const menu = html.slice(
      html.indexOf('aria-label="Navigasi admin"'),
      html.indexOf('</nav>', html.indexOf('aria-label="Navigasi admin"')),
    );
    expect(pageText(menu)).not.toContain('Pakta');
    expect(html).not.toContain('segera hadir');
    expect(html).not.toContain('aria-disabled="true"');

    const admin = await loggedInAdmin(t);
    expect(await dashboard(admin.agent)).toContain('<a class="nav-link" href="/admin/pakta">Pakta</a>');
  });

  it('lists who has not signed in her units, with jabatan and a reminder button per unit', async () => {
    const { agent, user: operator } = await operatorOfPati();
    const html = card(await dashboard(agent), 'Pakta Seluruh ASN');
    const text = pageText(html);
    expect(text).toContain('Belum menandatangani');
    expect(text).toContain('1 dari 1 orang belum menandatangani');
    expect(text).toContain('2 dari 3 orang belum menandatangani');
    expect(row(html, 'Siti Aminah')).toEqual(['Analis Kebijakan', 'Belum pernah']);
    expect(row(html, 'Joko Susilo')).toEqual(['Analis Kebijakan', 'Belum pernah']);
    expect(row(html, operator.fullName)).not.toBeNull();
    // Who signed is not listed, nor anyone outside her subtree.
    expect(row(html, 'Henggar Budi Anggoro')).toBeNull();
    expect(html).not.toContain('Lani Dwi Rejeki');
    expect(html).not.toContain('Kabupaten Batang');
    // The buttons post to the report's reminder route, one unit each.
    expect(html).toContain(`action="/admin/kepatuhan/${all.id}/pengingat"`);
    expect(html).toContain(`<input type="hidden" name="unit" value="${pati.id}">`);
    expect(html).toContain(`<input type="hidden" name="unit" value="${juwana.id}">`);
    expect(text).toContain('Kirim pengingat ke 2 orang di Kabupaten Pati');
    expect(text).toContain('Kirim pengingat ke 1 orang di Kecamatan Juwana');
  });

  it('reminds a unit from the dashboard and comes back to it, which then shows when each was last reminded', async () => {
    const { agent } = await operatorOfPati();
    const fields = remindFields(card(await dashboard(agent), 'Pakta Seluruh ASN'), pati.id);
    expect(fields).toEqual({ unit: String(pati.id), kembali: 'dasbor' });
    const res = await postForm(agent, '/admin', `/admin/kepatuhan/${all.id}/pengingat`, fields);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin');
    // The mails go out after the answer (to the outbox here).
    let reminded = new Map<number, string>();
    for (let i = 0; i < 100 && reminded.size === 0; i++) {
      await pause(20);
      reminded = await t.services.reminders.lastReminded(all.id, [people.siti.id]);
    }
    const at = reminded.get(people.siti.id) as string;
    expect(at).toBeDefined();
    const page = await dashboard(agent);
    // The confirmation, once, above the dashboard.
    expect(pageText(page).match(/Pengingat sedang dikirim ke 2 orang\./g)).toHaveLength(1);
    const html = card(page, 'Pakta Seluruh ASN');
    expect(row(html, 'Siti Aminah')).toEqual([
      'Analis Kebijakan',
      createFormatter(t.services.timeZone).formatDateTime(at),
    ]);
    expect(row(html, 'Joko Susilo')).toEqual(['Analis Kebijakan', 'Belum pernah']);
  });

  it('goes back only to the pages it knows, never to an address the form carries', async () => {
    const { agent } = await operatorOfPati();
    const unitPage = `/admin/kepatuhan/${all.id}/unit/${pati.id}#pengingat`;
    for (const kembali of [
      'https://evil.example/admin',
      '//evil.example',
      '/\\evil.example',
      '/admin/pengguna',
      '/admin',
      '__proto__',
      'constructor',
      'toString',
      '',
    ]) {
      const res = await postForm(agent, '/admin', `/admin/kepatuhan/${all.id}/pengingat`, {
        unit: String(pati.id),
        kembali,
      });
      expect(res.status, kembali).toBe(303);
      expect(res.headers.location, kembali).toBe(unitPage);
    }
    // Several values (kembali[]=…) are not a name either.
    const token = await fetchCsrfToken(agent, '/admin');
    const listed = await agent
      .post(`/admin/kepatuhan/${all.id}/pengingat`)
      .type('form')
      .send(`_csrf=${encodeURIComponent(token)}&unit=${pati.id}&kembali=dasbor&kembali=dasbor`);
    expect(listed.status).toBe(303);
    expect(listed.headers.location).toBe(unitPage);
  });

  it('says the reminder hint once on the page, every button pointing to it', async () => {
    const { agent } = await operatorOfPati();
    const html = await dashboard(agent);
    const hint = 'setiap orang menerima paling banyak satu pengingat sehari';
    // Two buttons (Pati and Juwana), one hint.
    const buttons = [...html.matchAll(/<button type="submit"[^>]*>Kirim pengingat ke [^<]*<\/button>/g)];
    expect(buttons).toHaveLength(2);
    expect(html.split(hint)).toHaveLength(2);
    expect(html.match(/id="petunjuk-pengingat"/g)).toHaveLength(1);
    expect(html).toMatch(new RegExp(`id="petunjuk-pengingat">[^<]*${hint}`));
    for (const [button] of buttons) expect(button).toContain('aria-describedby="petunjuk-pengingat"');

    // A page of one button keeps its hint beside it.
    const unitPage = (await agent.get(`/admin/kepatuhan/${all.id}/unit/${pati.id}`)).text;
    expect(unitPage.split(hint)).toHaveLength(2);
    expect(unitPage).toMatch(/aria-describedby="petunjuk-pengingat">Kirim pengingat ke 2 orang/);
    expect(unitPage.match(/id="petunjuk-pengingat"/g)).toHaveLength(1);
  });

  it('lists at most twenty people of a unit, then links to all of them', async () => {
    for (let i = 1; i <= 21; i++) {
      await t.make.user({
        unitId: juwana.id,
        fullName: `Staf Juwana ${String(i).padStart(2, '0')}`,
        password: null,
      });
    }
    const { agent } = await operatorOfPati();
    const html = card(await dashboard(agent), 'Pakta Seluruh ASN');
    // Joko and the 21: the first twenty by name.
    expect(row(html, 'Joko Susilo')).not.toBeNull();
    expect(row(html, 'Staf Juwana 19')).not.toBeNull();
    expect(row(html, 'Staf Juwana 20')).toBeNull();
    expect(html).toContain(
      `href="/admin/kepatuhan/${all.id}/unit/${juwana.id}#belum">Lihat semua 22 orang di Kecamatan Juwana</a>`,
    );
  });

  it('draws the daily chart with dated axes and values, and says what will appear while it is empty', async () => {
    const { agent } = await operatorOfPati();
    const page = await dashboard(agent);
    const signed = card(page, 'Pakta Seluruh ASN');
    expect(pageText(signed)).toContain(
      'Penandatanganan per hari (WIB): 1 dalam periode ini, paling banyak 1 sehari.',
    );
    // The horizontal axis is dated at both ends, the vertical one reads 0 to the busiest day.
    expect(signed).toContain(
      '<div class="daily-chart-y small" aria-hidden="true"><span>1</span><span>0</span></div>',
    );
    expect(signed).toContain(
      '<div class="daily-chart-x small" aria-hidden="true"><span>14 Januari 2024</span><span>16 Januari 2024</span></div>',
    );
    // Each day tells its count on hover, and in the table.
    expect(signed).toContain('<title>14 Januari 2024: 0 penandatanganan</title>');
    expect(signed).toContain('<title>16 Januari 2024: 1 penandatanganan</title>');
    expect(pageText(signed)).toContain(
      'Jumlah penandatanganan per hari (WIB) Tanggal Penandatanganan 14 Januari 2024 0 15 Januari 2024 0 16 Januari 2024 1',
    );

    const empty = card(page, 'Pakta Kepala Daerah');
    expect(empty).not.toContain('<svg');
    expect(pageText(empty)).not.toContain('0 dalam periode ini');
    expect(pageText(empty)).toContain(
      'Belum ada tanda tangan sejak 14 Januari 2024. Setelah tanda tangan pertama masuk, di sini tampil batang jumlah penandatanganan per hari',
    );
  });
});
