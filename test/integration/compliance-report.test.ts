import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatNip } from '../../src/directory/nip.js';
import type { Unit, User } from '../../src/directory/types.js';
import { formatReceiptCode } from '../../src/pledges/receipt-code.js';
import { voidSignature } from '../../src/pledges/receipts/void-signature.js';
import { createFormatter } from '../../src/web/format.js';
import { type Agent, loggedInAdmin, loggedInAs, pageText as text } from '../helpers/http.js';
import { makePact, signAs } from '../helpers/pacts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const BAD_QUERY =
  'Saringan atau urutan laporan tidak dikenal. Gunakan pilihan yang tersedia di halaman laporan.';

/** The report table's body. */
const tableBody = (html: string): string => {
  const start = html.indexOf('<tbody>');
  expect(start, 'a table body').toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</tbody>', start));
};

/** The unit names of the report's rows, in order. */
const rowNames = (html: string): string[] =>
  [...tableBody(html).matchAll(/<a href="\/admin\/kepatuhan\/\d+\/unit\/\d+">([^<]*)<\/a>/g)].map(
    (m) => m[1] as string,
  );

/** One report row (its text), found by the unit's name. */
const rowOf = (html: string, name: string): string => {
  const row = tableBody(html)
    .split('<tr>')
    .find((r) => r.includes(`>${name}</a>`));
  expect(row, `a row for ${name}`).toBeDefined();
  return text(row as string);
};

/** A section of the drill-down page by its id ("belum" or "sudah"). */
const section = (html: string, id: string): string => {
  const start = html.indexOf(`aria-labelledby="${id}"`);
  expect(start, `section ${id}`).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</section>', start));
};

describe('the compliance report (/admin/kepatuhan)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const members = async (unit: Unit, names: string[]): Promise<User[]> => {
    const people: User[] = [];
    for (const fullName of names) people.push(await t.make.user({ unitId: unit.id, fullName }));
    return people;
  };

  const makeHead = (unit: Unit, user: User) => t.services.units.setHead(unit.id, user.id, t.clock.now());

  /**
   * Three units of three active members each: Kabupaten Kudus (all signed), Dinas Perhubungan (two) and Badan
   * Pendapatan Daerah (none), under an open all-ASN pact.
   */
  async function threeUnits() {
    const kudus = await t.make.unit({ name: 'Kabupaten Kudus', code: 'KAB-KDS', kind: 'kabupaten' });
    const dishub = await t.make.unit({ name: 'Dinas Perhubungan', code: 'DISHUB', kind: 'dinas' });
    const bapenda = await t.make.unit({ name: 'Badan Pendapatan Daerah', code: 'BAPENDA', kind: 'badan' });
    const kudusPeople = await members(kudus, ['Ahmad Fauzi', 'Budi Santoso', 'Citra Lestari']);
    const dishubPeople = await members(dishub, ['Dewi Anggraini', 'Eko Prasetyo', 'Fajar Nugroho']);
    const bapendaPeople = await members(bapenda, ['Gita Permata', 'Hendra Wijaya', 'Indah Sari']);
    const pact = await makePact(t.services, { audience: 'all', title: 'Pakta Netralitas Pilkada Serentak' });
    for (const person of kudusPeople) {
      t.clock.advance(60_000);
      await signAs(t.services, pact, person);
    }
    for (const person of dishubPeople.slice(0, 2)) {
      t.clock.advance(60_000);
      await signAs(t.services, pact, person);
    }
    return { kudus, dishub, bapenda, kudusPeople, dishubPeople, bapendaPeople, pact };
  }

  const get = async (agent: Agent, path: string, status = 200) => {
    const res = await agent.get(path);
    expect(res.status, path).toBe(status);
    return res.text;
  };

  describe('as an admin', () => {
    it('shows every unit with its numbers and the totals', async () => {
      const { pact } = await threeUnits();
      const { agent } = await loggedInAdmin(t);

      const index = text(await get(agent, '/admin/kepatuhan'));
      expect(index).toContain('Pakta Netralitas Pilkada Serentak');
      // Wajib, Sudah, Belum, Persentase.
      expect(index).toContain('Wajib Sudah Belum Persentase');
      expect(index).toMatch(/Dibuka 9 5 4 55,6%/);

      const html = await get(agent, `/admin/kepatuhan/${pact.id}`);
      expect(text(html)).toContain('5 dari 9 sudah menandatangani');
      expect(text(html)).toContain('55,6%');
      expect(text(html)).toContain('3 unit ditampilkan.');
      // Furthest behind first.
      expect(rowNames(html)).toEqual(['Badan Pendapatan Daerah', 'Dinas Perhubungan', 'Kabupaten Kudus']);
      expect(rowOf(html, 'Kabupaten Kudus')).toMatch(/KAB-KDS · Kabupaten .* 3 3 0 100%/);
      expect(rowOf(html, 'Dinas Perhubungan')).toMatch(/DISHUB · Dinas .* 3 2 1 66,7%/);
      expect(rowOf(html, 'Badan Pendapatan Daerah')).toMatch(/BAPENDA · Badan .* 3 0 3 0% —$/);
    });

    it('lists the heads of a heads pact with whether they signed', async () => {
      const batang = await t.make.unit({ name: 'Kabupaten Batang', code: 'KAB-BTG', kind: 'kabupaten' });
      const pati = await t.make.unit({ name: 'Kabupaten Pati', code: 'KAB-PTI', kind: 'kabupaten' });
      const headless = await t.make.unit({
        name: 'Kabupaten Tanpa Kepala',
        code: 'KAB-TK',
        kind: 'kabupaten',
      });
      await members(headless, ['Joko Susilo']);
      const [lani] = await members(batang, ['Lani Dwi Rahayu', 'Staf Batang']);
      const [henggar] = await members(pati, ['Henggar Budi Anggoro']);
      await makeHead(batang, lani as User);
      await makeHead(pati, henggar as User);
      const pact = await makePact(t.services, { audience: 'heads' });
      await signAs(t.services, pact, lani as User);
      const { agent } = await loggedInAdmin(t);

      const html = await get(agent, `/admin/kepatuhan/${pact.id}`);
      expect(text(html)).toContain('1 dari 2 sudah menandatangani');
      expect(rowNames(html)).toEqual(['Kabupaten Pati', 'Kabupaten Batang']);
      expect(rowOf(html, 'Kabupaten Batang')).toMatch(/Lani Dwi Rahayu Sudah 1 1 0 100%/);
      expect(rowOf(html, 'Kabupaten Pati')).toMatch(/Henggar Budi Anggoro Belum 1 0 1 0% —$/);
      // A unit without a head requires nobody and is not listed.
      expect(html).not.toContain('Kabupaten Tanpa Kepala');
    });

    it('filters by state, finds a unit by its code and sorts by a column', async () => {
      const { pact } = await threeUnits();
      const { agent } = await loggedInAdmin(t);
      const base = `/admin/kepatuhan/${pact.id}`;

      const none = await get(agent, `${base}?status=belum`);
      expect(rowNames(none)).toEqual(['Badan Pendapatan Daerah']);
      expect(text(none)).toContain('1 unit ditampilkan.');
      // The totals stay those of every unit.
      expect(text(none)).toContain('5 dari 9 sudah menandatangani');
      expect(none).toMatch(/<option value="belum" selected>/);

      expect(rowNames(await get(agent, `${base}?status=lengkap`))).toEqual(['Kabupaten Kudus']);
      expect(rowNames(await get(agent, `${base}?status=sebagian`))).toEqual(['Dinas Perhubungan']);
      expect(rowNames(await get(agent, `${base}?jenis=dinas`))).toEqual(['Dinas Perhubungan']);

      const byCode = await get(agent, `${base}?q=dishub`);
      expect(rowNames(byCode)).toEqual(['Dinas Perhubungan']);
      expect(byCode).toContain('name="q" value="dishub"');
      expect(rowNames(await get(agent, `${base}?q=${encodeURIComponent('  kab-kds ')}`))).toEqual([
        'Kabupaten Kudus',
      ]);
      const nothing = await get(agent, `${base}?q=tidak-ada`);
      expect(rowNames(nothing)).toEqual([]);
      expect(text(nothing)).toContain('Tidak ada unit dengan status ini.');

      // The sort links of the page: percent going up, then (from there) going down.
      const page = await get(agent, base);
      const percentLink = /<a href="([^"]*)">Persentase<\/a>/.exec(page)?.[1]?.replace(/&amp;/g, '&');
      expect(percentLink).toBe('?urut=persen&arah=naik');
      const up = await get(agent, `${base}${percentLink}`);
      expect(rowNames(up)).toEqual(['Badan Pendapatan Daerah', 'Dinas Perhubungan', 'Kabupaten Kudus']);
      expect(up).toMatch(/aria-sort="ascending"><a href="[^"]*">Persentase/);
      const downLink = /<a href="([^"]*)">Persentase<\/a>/.exec(up)?.[1]?.replace(/&amp;/g, '&');
      expect(downLink).toBe('?urut=persen&arah=turun');
      const down = await get(agent, `${base}${downLink}`);
      expect(rowNames(down)).toEqual(['Kabupaten Kudus', 'Dinas Perhubungan', 'Badan Pendapatan Daerah']);
      expect(down).toMatch(/aria-sort="descending"><a href="[^"]*">Persentase/);

      // A sort link keeps the filters.
      const filtered = await get(agent, `${base}?status=sebagian&q=dinas`);
      const nameLink = /<a href="([^"]*)">Unit kerja<\/a>/.exec(filtered)?.[1]?.replace(/&amp;/g, '&');
      expect(nameLink).toBe('?status=sebagian&q=dinas&urut=nama&arah=naik');

      expect(rowNames(await get(agent, `${base}?urut=nama&arah=naik`))).toEqual([
        'Badan Pendapatan Daerah',
        'Dinas Perhubungan',
        'Kabupaten Kudus',
      ]);
      expect(rowNames(await get(agent, `${base}?urut=nama&arah=turun`))).toEqual([
        'Kabupaten Kudus',
        'Dinas Perhubungan',
        'Badan Pendapatan Daerah',
      ]);
      expect(rowNames(await get(agent, `${base}?urut=sudah&arah=turun`))).toEqual([
        'Kabupaten Kudus',
        'Dinas Perhubungan',
        'Badan Pendapatan Daerah',
      ]);
    });

    it('leads with the unit where most people are still to sign, with a Belum column to sort by', async () => {
      // A unit of six with four still to sign, and three units of one whose one person has not signed.
      const bapenda = await t.make.unit({ name: 'Badan Pendapatan Daerah', code: 'BAPENDA', kind: 'badan' });
      const people = await members(bapenda, ['A Satu', 'B Dua', 'C Tiga', 'D Empat', 'E Lima', 'F Enam']);
      for (const [i, name] of ['Kabupaten Blora', 'Kabupaten Demak', 'Kota Tegal'].entries()) {
        const unit = await t.make.unit({ name, code: `KK-${i}`, kind: 'kabupaten' });
        await members(unit, [`Kepala ${i}`]);
      }
      const pact = await makePact(t.services, { audience: 'all' });
      for (const person of people.slice(0, 2)) await signAs(t.services, pact, person);
      const { agent } = await loggedInAdmin(t);
      const base = `/admin/kepatuhan/${pact.id}`;

      const html = await get(agent, base);
      expect(rowNames(html)).toEqual([
        'Badan Pendapatan Daerah',
        'Kabupaten Blora',
        'Kabupaten Demak',
        'Kota Tegal',
      ]);
      expect(rowOf(html, 'Badan Pendapatan Daerah')).toMatch(/BAPENDA · Badan .* 6 2 4 33,3%/);
      expect(rowOf(html, 'Kota Tegal')).toMatch(/ 1 0 1 0% —$/);
      // The default order is by Belum, most first; its link sorts the other way, kept in the URL.
      expect(html).toMatch(/aria-sort="descending"><a href="\?urut=belum&amp;arah=naik">Belum<\/a>/);
      const up = await get(agent, `${base}?urut=belum&arah=naik`);
      expect(rowNames(up)).toEqual([
        'Kabupaten Blora',
        'Kabupaten Demak',
        'Kota Tegal',
        'Badan Pendapatan Daerah',
      ]);
      expect(up).toMatch(/aria-sort="ascending"><a href="\?urut=belum&amp;arah=turun">Belum<\/a>/);
      expect(rowNames(await get(agent, `${base}?urut=belum&arah=turun&q=kab`))).toEqual([
        'Kabupaten Blora',
        'Kabupaten Demak',
      ]);
      // Every column sorts, the head's too.
      expect(html).toMatch(/<a href="\?urut=kepala&amp;arah=naik">Kepala<\/a>/);
      expect((await agent.get(`${base}?urut=kepala&arah=turun`)).status).toBe(200);

      // The exports list the units in the same order, with the same Belum counts.
      const csv = await agent.get(`${base}?format=csv`);
      const lines = csv.text
        .replace(/^\ufeff/, '')
        .trim()
        .split(/\r?\n/);
      expect(lines[0]).toContain(';Wajib;Sudah;Belum;Persentase;');
      expect(lines[1]).toMatch(/^BAPENDA;Badan Pendapatan Daerah;Badan;;6;2;4;"33,3";/);
      expect(lines.slice(1).map((line) => line.split(';')[0])).toEqual(['BAPENDA', 'KK-0', 'KK-1', 'KK-2']);
    });

    it('shows the new numbers at once after a signing', async () => {
      const { pact, bapendaPeople, dishubPeople } = await threeUnits();
      const { agent } = await loggedInAdmin(t);
      const base = `/admin/kepatuhan/${pact.id}`;
      expect(text(await get(agent, base))).toContain('5 dari 9 sudah menandatangani');

      t.clock.advance(60_000);
      await signAs(t.services, pact, bapendaPeople[0] as User);
      const after = await get(agent, base);
      expect(text(after)).toContain('6 dari 9 sudah menandatangani');
      expect(text(after)).toContain('66,7%');
      expect(rowOf(after, 'Badan Pendapatan Daerah')).toMatch(/3 1 2 33,3%/);
      expect(rowNames(await get(agent, `${base}?status=belum`))).toEqual([]);
      expect(text(await get(agent, '/admin/kepatuhan'))).toMatch(/Dibuka 9 6 3 66,7%/);

      await signAs(t.services, pact, dishubPeople[2] as User);
      expect(rowNames(await get(agent, `${base}?status=lengkap`))).toEqual([
        'Dinas Perhubungan',
        'Kabupaten Kudus',
      ]);
    });

    it('answers an unknown or draft pact with 404', async () => {
      const { pact } = await threeUnits();
      const draft = await makePact(t.services, { status: 'draft', title: 'Pakta Draf Rahasia' });
      const { agent } = await loggedInAdmin(t);
      for (const id of ['999', 'abc', `0${pact.id}`, '01', String(draft.id)]) {
        const res = await agent.get(`/admin/kepatuhan/${id}`);
        expect(res.status, id).toBe(404);
        expect(res.text).toContain('Halaman tidak ditemukan');
      }
      expect((await agent.get(`/admin/kepatuhan/${draft.id}/unit/1`)).status).toBe(404);
      expect(await get(agent, '/admin/kepatuhan')).not.toContain('Pakta Draf Rahasia');
    });

    it('answers query values it does not know with a 400 in Indonesian', async () => {
      const { pact } = await threeUnits();
      const { agent } = await loggedInAdmin(t);
      const base = `/admin/kepatuhan/${pact.id}`;
      for (const qs of [
        'status=selesai',
        'urut=kode',
        'arah=asc',
        'status=belum&status=lengkap',
        'urut=nama&urut=persen',
        `q=${'x'.repeat(101)}`,
        'jenis=%3Cscript%3E',
        'jenis=Dinas',
      ]) {
        const res = await agent.get(`${base}?${qs}`);
        expect(res.status, qs).toBe(400);
        expect(text(res.text), qs).toContain(BAD_QUERY);
      }
      expect((await agent.get(`${base}?q=${'x'.repeat(100)}`)).status).toBe(200);
    });
  });

  describe('drill-down into a unit', () => {
    it('lists the outstanding people in full and the signings with time and verification link', async () => {
      const { pact, dishub, dishubPeople } = await threeUnits();
      const { agent } = await loggedInAdmin(t);
      const [dewi, eko, fajar] = dishubPeople as [User, User, User];

      const html = await get(agent, `/admin/kepatuhan/${pact.id}/unit/${dishub.id}`);
      expect(text(html)).toContain('DISHUB · Dinas · 2 dari 3 sudah menandatangani (66,7%)');

      const outstanding = text(section(html, 'belum'));
      expect(outstanding).toContain('Belum menandatangani (1)');
      expect(outstanding).toContain('Fajar Nugroho');
      expect(outstanding).toContain(formatNip(fajar.nip as string));
      expect(formatNip(fajar.nip as string)).toMatch(/^\d{8} \d{6} \d \d{3}$/);
      expect(outstanding).toContain(fajar.email as string);
      expect(outstanding).not.toContain('Dewi Anggraini');

      const signingsHtml = section(html, 'sudah');
      const signings = text(signingsHtml);
      expect(signings).toContain('Tanda tangan (2)');
      for (const person of [dewi, eko]) {
        const signature = await t.services.signatures.findValid(pact.id, person.id);
        expect(signature).toBeDefined();
        const code = formatReceiptCode(signature?.receiptCode as string);
        expect(signings).toContain(person.fullName);
        expect(signings).toContain(formatNip(person.nip as string));
        expect(signings).toContain(
          createFormatter(t.config.timeZone).formatDateTime(signature?.signedAt as string),
        );
        expect(signingsHtml).toContain(`href="/verifikasi/${code}">${code}</a>`);
      }
      // Newest first.
      expect(signings.indexOf('Eko Prasetyo')).toBeLessThan(signings.indexOf('Dewi Anggraini'));
      expect(signings).not.toContain('dibatalkan');
    });

    it('shows a voided signature as voided and its signer as outstanding again', async () => {
      const { pact, kudus, kudusPeople } = await threeUnits();
      const { agent, admin } = await loggedInAdmin(t);
      const budi = kudusPeople[1] as User;
      const signature = await t.services.signatures.findValid(pact.id, budi.id);
      const voided = await voidSignature(t.services, {
        receiptCode: signature?.receiptCode as string,
        reason: 'Ditandatangani oleh orang yang salah.',
        actor: { userId: admin.id, ip: null, userAgent: null },
      });
      expect(voided.ok).toBe(true);

      const html = await get(agent, `/admin/kepatuhan/${pact.id}/unit/${kudus.id}`);
      expect(text(html)).toContain('2 dari 3 sudah menandatangani (66,7%)');
      const outstanding = text(section(html, 'belum'));
      expect(outstanding).toContain('Belum menandatangani (1)');
      expect(outstanding).toContain('Budi Santoso');
      expect(outstanding).toContain(formatNip(budi.nip as string));
      const signings = section(html, 'sudah');
      expect(text(signings)).toContain('Tanda tangan (3)');
      const budiRow = signings.split('<tr').find((r) => r.includes('Budi Santoso'));
      expect(budiRow).toBeDefined();
      expect(text(`<tr${budiRow}`)).toContain('Budi Santoso dibatalkan');
      expect(budiRow).toContain(`/verifikasi/${formatReceiptCode(signature?.receiptCode as string)}`);
      expect(text(signings).match(/dibatalkan/g)).toHaveLength(1);

      // The report counts it at once, and signing again makes the unit complete.
      const report = await get(agent, `/admin/kepatuhan/${pact.id}`);
      expect(text(report)).toContain('4 dari 9 sudah menandatangani');
      expect(rowOf(report, 'Kabupaten Kudus')).toMatch(/3 2 1 66,7%/);
      t.clock.advance(60_000);
      await signAs(t.services, pact, budi);
      const again = await get(agent, `/admin/kepatuhan/${pact.id}/unit/${kudus.id}`);
      expect(text(section(again, 'belum'))).toContain('Semua yang wajib di unit ini sudah menandatangani.');
      expect(text(section(again, 'sudah'))).toContain('Tanda tangan (4)');
    });

    it('no longer requires a head who has moved to another unit, of either unit', async () => {
      // A head heads their unit only while they belong to it: once moved, the old unit has no head to
      // sign until a new one is set, and the new unit does not take them as its head.
      const batang = await t.make.unit({ name: 'Kabupaten Batang', code: 'KAB-BTG', kind: 'kabupaten' });
      const pati = await t.make.unit({ name: 'Kabupaten Pati', code: 'KAB-PTI', kind: 'kabupaten' });
      const [henggar] = await members(pati, ['Henggar Budi Anggoro']);
      const [lani] = await members(batang, ['Lani Dwi Rahayu']);
      await makeHead(pati, henggar as User);
      await makeHead(batang, lani as User);
      const pact = await makePact(t.services, { audience: 'heads' });
      const { agent } = await loggedInAdmin(t);
      await t.make.move(henggar as User, batang);

      const report = await get(agent, `/admin/kepatuhan/${pact.id}`);
      // The report lists units that require someone: Pati requires nobody until it has a head again.
      expect(text(report)).not.toContain('Henggar');
      expect(text(report)).not.toContain('Kabupaten Pati');
      expect(rowOf(report, 'Kabupaten Batang')).toMatch(/Lani Dwi Rahayu Belum 1 0 1 0%/);
      const unitPage = await get(agent, `/admin/kepatuhan/${pact.id}/unit/${pati.id}`);
      expect(text(unitPage)).toContain('0 dari 0 sudah menandatangani');
      expect(text(unitPage)).not.toContain('Henggar Budi Anggoro');
      // Signing is refused too: the pact does not ask him any more.
      expect(await t.services.pacts.requirement(pact.id, (henggar as User).id)).toBeUndefined();
    });

    it('answers an unknown unit with 404', async () => {
      const { pact } = await threeUnits();
      const { agent } = await loggedInAdmin(t);
      for (const id of ['999', 'abc', '01']) {
        expect((await agent.get(`/admin/kepatuhan/${pact.id}/unit/${id}`)).status, id).toBe(404);
      }
    });
  });

  describe('as an operator', () => {
    /** A province with a child unit (with a grandchild) and a sibling unit outside the operator's subtree. */
    async function tree() {
      const parent = await t.make.unit({ name: 'Sekretariat Daerah', code: 'SETDA', kind: 'sekretariat' });
      const child = await t.make.unit({
        name: 'Biro Hukum',
        code: 'BIRO-HK',
        kind: 'biro',
        parentId: parent.id,
      });
      const grandchild = await t.make.unit({
        name: 'Bagian Perundang-undangan',
        code: 'BAG-PU',
        kind: 'bagian',
        parentId: child.id,
      });
      const other = await t.make.unit({ name: 'Dinas Pariwisata Rahasia', code: 'DISPAR', kind: 'dinas' });
      const parentPeople = await members(parent, ['Kurniawan Adi', 'Lestari Putri']);
      const childPeople = await members(child, ['Mega Wulandari', 'Nanda Pratama', 'Oki Setiawan']);
      await members(grandchild, ['Putu Arya']);
      const otherPeople = await members(other, ['Rahmat Hidayat', 'Sinta Maharani']);
      const pact = await makePact(t.services, { audience: 'all', title: 'Pakta Netralitas Provinsi' });
      await signAs(t.services, pact, parentPeople[0] as User);
      await signAs(t.services, pact, childPeople[0] as User);
      await signAs(t.services, pact, childPeople[1] as User);
      await signAs(t.services, pact, otherPeople[0] as User);
      await signAs(t.services, pact, otherPeople[1] as User);
      return { parent, child, grandchild, other, pact };
    }

    it('sees its subtree only, with totals over it', async () => {
      const { parent, pact } = await tree();
      // The operator is a member of the parent unit too: 3 of 6 +1 (themselves) = 3 of 7.
      const { agent } = await loggedInAs(t, 'operator', { unitId: parent.id });

      const index = await get(agent, '/admin/kepatuhan');
      expect(text(index)).toMatch(/Dibuka 7 3 4 42,9%/);
      expect(index).not.toContain('Dinas Pariwisata Rahasia');

      const html = await get(agent, `/admin/kepatuhan/${pact.id}`);
      expect(text(html)).toContain('3 dari 7 sudah menandatangani');
      expect(text(html)).toContain('42,9%');
      expect(rowNames(html).sort()).toEqual([
        'Bagian Perundang-undangan',
        'Biro Hukum',
        'Sekretariat Daerah',
      ]);
      expect(html).not.toContain('Dinas Pariwisata Rahasia');
      expect(html).not.toContain('DISPAR');
      expect(html).not.toContain('Rahmat Hidayat');
      // Its kinds only in the filter.
      expect(html).not.toContain('<option value="dinas"');
      // Searching or filtering never reaches outside.
      for (const qs of [
        'q=pariwisata',
        'q=dispar',
        'jenis=dinas',
        'status=lengkap',
        'urut=nama&arah=turun',
      ]) {
        const page = await get(agent, `/admin/kepatuhan/${pact.id}?${qs}`);
        expect(page, qs).not.toContain('Dinas Pariwisata Rahasia');
        expect(text(page), qs).toContain('3 dari 7 sudah menandatangani');
      }
    });

    it('sees the subtree of a child unit without its parent', async () => {
      const { child, pact } = await tree();
      const { agent } = await loggedInAs(t, 'operator', { unitId: child.id });
      const html = await get(agent, `/admin/kepatuhan/${pact.id}`);
      // Biro Hukum 2 of 4 (with the operator) and the grandchild 0 of 1.
      expect(text(html)).toContain('2 dari 5 sudah menandatangani');
      expect(rowNames(html).sort()).toEqual(['Bagian Perundang-undangan', 'Biro Hukum']);
      expect(html).not.toContain('Sekretariat Daerah</a>');
      expect(html).not.toContain('Dinas Pariwisata Rahasia');
    });

    it('may drill down into its subtree but gets 404 for any unit outside it', async () => {
      const { parent, child, other, pact } = await tree();
      const { agent } = await loggedInAs(t, 'operator', { unitId: child.id });
      const own = await get(agent, `/admin/kepatuhan/${pact.id}/unit/${child.id}`);
      expect(text(own)).toContain('Biro Hukum');
      expect(text(section(own, 'belum'))).toContain('Oki Setiawan');

      for (const unit of [other, parent]) {
        const res = await agent.get(`/admin/kepatuhan/${pact.id}/unit/${unit.id}`);
        expect(res.status, unit.name).toBe(404);
        expect(res.text).not.toContain(unit.name);
        expect(res.text).not.toContain('Rahmat Hidayat');
      }
    });

    it('gets 404 for its unit under another pact that does not cover it', async () => {
      const { parent, child, other, pact } = await tree();
      const elsewhere = await makePact(t.services, {
        audience: 'all',
        unitIds: [other.id],
        title: 'Pakta Pariwisata',
      });
      const draft = await makePact(t.services, { status: 'draft', unitIds: [child.id] });
      const { agent } = await loggedInAs(t, 'operator', { unitId: parent.id });
      expect((await agent.get(`/admin/kepatuhan/${pact.id}/unit/${child.id}`)).status).toBe(200);
      expect((await agent.get(`/admin/kepatuhan/${elsewhere.id}/unit/${child.id}`)).status).toBe(404);
      expect((await agent.get(`/admin/kepatuhan/${elsewhere.id}/unit/${other.id}`)).status).toBe(404);
      expect((await agent.get(`/admin/kepatuhan/${draft.id}/unit/${child.id}`)).status).toBe(404);
      expect((await agent.get(`/admin/kepatuhan/${draft.id}`)).status).toBe(404);
      // The other pact's report shows nothing of the other unit to this operator.
      const report = await get(agent, `/admin/kepatuhan/${elsewhere.id}`);
      expect(report).not.toContain('Dinas Pariwisata Rahasia');
      expect(rowNames(report)).toEqual([]);
    });

    it('sees nothing while belonging to no unit', async () => {
      const { pact } = await tree();
      const { agent } = await loggedInAs(t, 'operator');
      const html = await get(agent, `/admin/kepatuhan/${pact.id}`);
      expect(rowNames(html)).toEqual([]);
      expect(html).not.toContain('Dinas Pariwisata Rahasia');
      expect(html).not.toContain('Sekretariat Daerah');
    });
  });

  describe('access', () => {
    it('forbids a signer and sends a visitor to log in', async () => {
      const { pact, kudus } = await threeUnits();
      const { agent } = await loggedInAs(t, 'signer', { unitId: kudus.id });
      for (const path of [
        '/admin/kepatuhan',
        `/admin/kepatuhan/${pact.id}`,
        `/admin/kepatuhan/${pact.id}/unit/${kudus.id}`,
      ]) {
        const res = await agent.get(path);
        expect(res.status, path).toBe(403);
        expect(res.text).not.toContain('Ahmad Fauzi');
      }
      const anonymous = await request(t.app).get(`/admin/kepatuhan/${pact.id}`);
      expect([302, 303, 401]).toContain(anonymous.status);
      expect(anonymous.text).not.toContain('Kabupaten Kudus');
    });
  });
});
