import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/record-event.js';
import type { Unit, User } from '../../src/directory/types.js';
import { closePact } from '../../src/pledges/pacts/close-pact.js';
import type { Pact } from '../../src/pledges/types.js';
import { createFormatter } from '../../src/web/format.js';
import { browser, logIn, pageText as text } from '../helpers/http.js';
import { makePact, signAs, signThroughForm } from '../helpers/pacts.js';
import { makePost } from '../helpers/posts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const DAY = 24 * 3_600_000;
const NO_OPEN_PACT = 'Belum ada pakta yang dibuka untuk ditandatangani.';
const ALL_HEADS_SIGNED = 'Semua kepala unit sudah menandatangani.';

/** The compliance column of the home page. */
function complianceSection(html: string): string {
  const start = html.indexOf('id="ringkasan-kepatuhan"');
  expect(start, 'the compliance section').toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</section>', start));
}

/** The compliance card of one pact (found by its link), or undefined when the page has none. */
function cardOf(html: string, pact: Pick<Pact, 'id'>): string | undefined {
  return complianceSection(html)
    .split('<article class="card mb-3 compliance-card">')
    .slice(1)
    .find((card) => card.includes(`href="/kepatuhan/${pact.id}"`));
}

function expectCard(html: string, pact: Pick<Pact, 'id'>): string {
  const card = cardOf(html, pact);
  expect(card, `a card for pact ${pact.id}`).toBeDefined();
  return card as string;
}

/** The names in a card's list of units whose head has not signed. */
function outstandingNames(card: string): string[] {
  const list = /<ul class="small mb-2 outstanding-list">([\s\S]*?)<\/ul>/.exec(card)?.[1];
  if (list === undefined) return [];
  return [...list.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => (m[1] as string).trim());
}

describe('the home page', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const home = async () => {
    const res = await request(t.app).get('/');
    expect(res.status).toBe(200);
    return res.text;
  };

  const signDirectly = (pact: Pact, user: User) => signAs(t.services, pact, user);

  /** A unit of its own with an active head who is one of its members. */
  async function headedUnit(name: string, fullName: string, email: string, kind = 'kabupaten') {
    const unit = await t.make.unit({ name, kind });
    const head = await t.make.user({ fullName, email, unitId: unit.id });
    await t.services.units.setHead(unit.id, head.id, t.clock.now());
    return { unit: (await t.services.units.findById(unit.id)) as Unit, head };
  }

  describe('news', () => {
    it('shows the latest published post, not a draft or a scheduled one', async () => {
      const now = t.clock.now().getTime();
      await makePost(t.services, {
        title: 'Apel Siaga Netralitas ASN Jawa Tengah',
        publishedAt: new Date(now - 2 * 3_600_000),
      });
      await makePost(t.services, { title: 'Berita Lama Sosialisasi', publishedAt: new Date(now - 30 * DAY) });
      await makePost(t.services, { title: 'Draf Berita Rahasia', status: 'draft', publishedAt: null });
      await makePost(t.services, {
        title: 'Draf Bertanggal Lampau',
        status: 'draft',
        publishedAt: new Date(now - DAY),
      });
      await makePost(t.services, { title: 'Berita Terjadwal Besok', publishedAt: new Date(now + DAY) });

      const html = await home();
      expect(html).toContain('Berita terbaru');
      expect(html).toContain('Apel Siaga Netralitas ASN Jawa Tengah');
      expect(html).toContain('Berita Lama Sosialisasi');
      // The newest first.
      expect(html.indexOf('Apel Siaga Netralitas ASN Jawa Tengah')).toBeLessThan(
        html.indexOf('Berita Lama Sosialisasi'),
      );
      expect(html).not.toContain('Draf Berita Rahasia');
      expect(html).not.toContain('Draf Bertanggal Lampau');
      expect(html).not.toContain('Berita Terjadwal Besok');

      // Once its time has come, the scheduled post is the latest.
      t.clock.advance(DAY + 60_000);
      const later = await home();
      expect(later).toContain('Berita Terjadwal Besok');
      expect(later.indexOf('Berita Terjadwal Besok')).toBeLessThan(
        later.indexOf('Apel Siaga Netralitas ASN Jawa Tengah'),
      );
    });

    it('shows pinned announcements in their own section, not again among the latest', async () => {
      const now = t.clock.now().getTime();
      await makePost(t.services, {
        title: 'Batas Penandatanganan Pakta Integritas',
        category: 'pengumuman',
        pinned: true,
        excerpt: 'Seluruh Kepala OPD wajib menandatangani.',
        publishedAt: new Date(now - 3 * DAY),
      });
      await makePost(t.services, {
        title: 'Pengumuman Terjadwal Disematkan',
        category: 'pengumuman',
        pinned: true,
        publishedAt: new Date(now + DAY),
      });
      await makePost(t.services, {
        title: 'Pengumuman Draf Disematkan',
        category: 'pengumuman',
        pinned: true,
        status: 'draft',
        publishedAt: null,
      });
      await makePost(t.services, { title: 'Berita Biasa Hari Ini', publishedAt: new Date(now - 3_600_000) });

      const html = await home();
      const pinnedStart = html.indexOf('id="pengumuman-utama"');
      expect(pinnedStart).toBeGreaterThan(-1);
      const pinned = html.slice(pinnedStart, html.indexOf('</section>', pinnedStart));
      expect(pinned).toContain('Pengumuman penting');
      expect(pinned).toContain('Batas Penandatanganan Pakta Integritas');
      expect(pinned).toContain('Seluruh Kepala OPD wajib menandatangani.');
      expect(pinned).not.toContain('Berita Biasa Hari Ini');
      expect(html).not.toContain('Pengumuman Terjadwal Disematkan');
      expect(html).not.toContain('Pengumuman Draf Disematkan');

      const latestStart = html.indexOf('id="berita-terbaru"');
      const latest = html.slice(latestStart, html.indexOf('</section>', latestStart));
      expect(latest).toContain('Berita Biasa Hari Ini');
      expect(latest).not.toContain('Batas Penandatanganan Pakta Integritas');
    });

    it('describes a pinned announcement without an excerpt by its first paragraph', async () => {
      await makePost(t.services, {
        title: 'Jadwal Penandatanganan Pakta Integritas',
        category: 'pengumuman',
        pinned: true,
        excerpt: '',
        body: 'Penandatanganan dibuka **sampai 31 Januari** bagi seluruh ASN.\n\nParagraf kedua tidak ditampilkan.',
      });
      const html = await home();
      const start = html.indexOf('id="pengumuman-utama"');
      const pinned = text(html.slice(start, html.indexOf('</section>', start)));
      expect(pinned).toContain(
        'Jadwal Penandatanganan Pakta Integritas Penandatanganan dibuka sampai 31 Januari bagi seluruh ASN.',
      );
      expect(pinned).not.toContain('Paragraf kedua');
    });

    it('has no pinned section without a pinned announcement', async () => {
      await makePost(t.services, { title: 'Berita Biasa Saja' });
      const html = await home();
      expect(html).toContain('Berita Biasa Saja');
      expect(html).not.toContain('id="pengumuman-utama"');
    });
  });

  describe('compliance of the open pacts', () => {
    it('says so when no pact is open, and shows neither a draft nor a closed pact', async () => {
      await makePact(t.services, { title: 'Pakta Draf Belum Dibuka', status: 'draft' });
      await makePact(t.services, { title: 'Pakta Lama Sudah Ditutup', status: 'closed' });
      const html = await home();
      const section = complianceSection(html);
      expect(section).toContain(NO_OPEN_PACT);
      expect(section).not.toContain('compliance-card');
      expect(html).not.toContain('Pakta Draf Belum Dibuka');
      expect(html).not.toContain('Pakta Lama Sudah Ditutup');
    });

    it('shows the numbers, percentage and days left of an all-ASN pact', async () => {
      const unit = await t.make.unit({ name: 'Dinas Komunikasi dan Informatika' });
      const people = await Promise.all(
        ['Dewi Lestari', 'Bambang Setiawan', 'Rina Handayani'].map((fullName) =>
          t.make.user({ fullName, unitId: unit.id }),
        ),
      );
      const pact = await makePact(t.services, {
        title: 'Pakta Netralitas Seluruh ASN',
        audience: 'all',
        deadline: new Date(t.clock.now().getTime() + 10 * DAY),
      });
      await makePact(t.services, { title: 'Pakta Draf Belum Dibuka', status: 'draft' });
      await makePact(t.services, { title: 'Pakta Lama Sudah Ditutup', status: 'closed' });

      let card = expectCard(await home(), pact);
      expect(text(card)).toContain('0% 0 dari 3 sudah menandatangani');

      await signDirectly(pact, people[0] as User);
      await signDirectly(pact, people[1] as User);
      const html = await home();
      expect(complianceSection(html)).not.toContain(NO_OPEN_PACT);
      card = expectCard(html, pact);
      expect(card).toContain('Pakta Netralitas Seluruh ASN');
      expect(card).toContain('Seluruh ASN');
      expect(card).toContain('versi 1');
      // One decimal, rounded half up: 2 of 3 is 66,7% (the rule of every page and export).
      expect(card).toContain('66,7%');
      expect(card).not.toContain('66,6%');
      expect(card).toContain('2 dari 3 sudah menandatangani');
      expect(card).toContain('value="66.7"');
      expect(card).toContain(`Batas waktu ${createFormatter(t.config.timeZone).formatDate(pact.deadline)}`);
      expect(card).toContain('10 hari lagi');
      // An all-ASN pact lists no heads.
      expect(card).not.toContain('outstanding-list');
      expect(card).not.toContain(ALL_HEADS_SIGNED);
      expect(html).not.toContain('Pakta Draf Belum Dibuka');
      expect(html).not.toContain('Pakta Lama Sudah Ditutup');
    });

    it('names the units whose head has not signed, and updates after a head signs through the form', async () => {
      const pemalang = await headedUnit('Kabupaten Pemalang', 'Mansur Hidayat', 'bupati.pemalang@uji.test');
      const pati = await headedUnit('Kabupaten Pati', 'Henggar Budi Anggoro', 'bupati.pati@uji.test');
      const semarang = await headedUnit('Kota Semarang', 'Hevearita Gunaryanti', 'walikota@uji.test', 'kota');
      // Staff do not count on a heads pact.
      await t.make.user({ fullName: 'Staf Pati', unitId: pati.unit.id });
      const heads = await makePact(t.services, {
        title: 'Pakta Integritas Kepala Daerah',
        audience: 'heads',
        deadline: new Date(t.clock.now().getTime() + 3 * DAY),
      });
      const all = await makePact(t.services, {
        title: 'Pakta Netralitas ASN Kabupaten',
        audience: 'all',
        deadline: new Date(t.clock.now().getTime() + 20 * DAY),
      });
      await signDirectly(heads, semarang.head);

      const before = await home();
      let card = expectCard(before, heads);
      expect(card).toContain('Kepala OPD dan kepala daerah');
      expect(card).toContain('1 dari 3 sudah menandatangani');
      expect(card).toContain('33,3%');
      expect(card).toContain('3 hari lagi');
      expect(card).toContain('2 unit yang kepalanya belum menandatangani:');
      expect(outstandingNames(card)).toEqual(['Kabupaten Pati', 'Kabupaten Pemalang']);
      // Both open pacts, the soonest deadline first.
      const allCard = expectCard(before, all);
      expect(allCard).toContain('0 dari 4 sudah menandatangani');
      expect(allCard).toContain('20 hari lagi');
      expect(before.indexOf(`href="/kepatuhan/${heads.id}"`)).toBeLessThan(
        before.indexOf(`href="/kepatuhan/${all.id}"`),
      );

      // The head of Pati signs as a person would: logged in, through the signing form.
      const agent = browser(t.app);
      await logIn(agent, 'bupati.pati@uji.test');
      const signed = await signThroughForm(agent, heads.id, {
        consent: '1',
        full_name: 'Henggar Budi Anggoro',
        signature: '',
      });
      expect(signed.status).toBe(303);

      card = expectCard(await home(), heads);
      expect(card).toContain('2 dari 3 sudah menandatangani');
      expect(card).toContain('66,7%');
      expect(card).toContain('1 unit yang kepalanya belum menandatangani:');
      expect(outstandingNames(card)).toEqual(['Kabupaten Pemalang']);
      expect(card).not.toContain('Kabupaten Pati');

      // The last one signs: no list, and a word that everyone has.
      await signDirectly(heads, pemalang.head);
      card = expectCard(await home(), heads);
      expect(card).toContain('3 dari 3 sudah menandatangani');
      expect(card).toContain('100%');
      expect(card).not.toContain('outstanding-list');
      expect(card).toContain(ALL_HEADS_SIGNED);

      // Closed, the pact leaves the home page.
      expect(await closePact(t.services, { pactId: heads.id, actor: systemActor })).toEqual({ ok: true });
      const after = await home();
      expect(cardOf(after, heads)).toBeUndefined();
      expect(after).not.toContain('Pakta Integritas Kepala Daerah');
      expectCard(after, all);
    });

    it('names the first 10 outstanding units and counts the rest', async () => {
      const names = [
        'Kabupaten Banjarnegara',
        'Kabupaten Banyumas',
        'Kabupaten Batang',
        'Kabupaten Blora',
        'Kabupaten Boyolali',
        'Kabupaten Brebes',
        'Kabupaten Cilacap',
        'Kabupaten Demak',
        'Kabupaten Grobogan',
        'Kabupaten Jepara',
        'Kabupaten Karanganyar',
        'Kabupaten Kebumen',
        'Kabupaten Kendal',
      ];
      // Made in another order than their names, which decide the list.
      let i = 0;
      const made: Record<string, { unit: Unit; head: User }> = {};
      for (const name of [...names].reverse()) {
        i += 1;
        made[name] = await headedUnit(name, `Kepala Daerah Uji ${i}`, `kepala${i}@uji.test`);
      }
      const pact = await makePact(t.services, {
        title: 'Pakta Kepala Daerah Jawa Tengah',
        audience: 'heads',
      });
      // Brebes has signed: 12 of 13 are outstanding.
      await signDirectly(pact, (made['Kabupaten Brebes'] as { head: User }).head);

      const card = expectCard(await home(), pact);
      expect(card).toContain('1 dari 13 sudah menandatangani');
      expect(card).toContain('7,7%');
      expect(card).toContain('7 hari lagi');
      expect(card).toContain('12 unit yang kepalanya belum menandatangani:');
      const outstanding = names.filter((name) => name !== 'Kabupaten Brebes');
      expect(outstandingNames(card)).toEqual(outstanding.slice(0, 10));
      expect(card).toContain('dan 2 lainnya.');
      expect(card).not.toContain('Kabupaten Kebumen');
      expect(card).not.toContain('Kabupaten Kendal');

      // One more signs: 11 outstanding, the 11th is no longer named.
      await signDirectly(pact, (made['Kabupaten Banjarnegara'] as { head: User }).head);
      const next = expectCard(await home(), pact);
      expect(next).toContain('2 dari 13 sudah menandatangani');
      expect(next).toContain('15,4%');
      expect(outstandingNames(next)).toEqual(outstanding.slice(1, 11));
      expect(next).toContain('dan 1 lainnya.');

      // Exactly 10: all named, no remainder.
      await signDirectly(pact, (made['Kabupaten Banyumas'] as { head: User }).head);
      const ten = expectCard(await home(), pact);
      expect(outstandingNames(ten)).toEqual(outstanding.slice(2));
      expect(ten).not.toContain('lainnya');
    });
  });
});
