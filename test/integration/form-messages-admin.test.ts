import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Unit } from '../../src/directory/types.js';
import type { Pact } from '../../src/pledges/types.js';
import { BARE_MESSAGES, expectNamedErrors, summaryOf } from '../helpers/form-messages.js';
import { type Agent, fetchCsrfToken, loggedInAdmin } from '../helpers/http.js';
import { makePact, postForm } from '../helpers/pacts.js';
import { uploadRoster } from '../helpers/roster.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * Every admin form, submitted empty and with typical bad values: each message names its field, in the summary
 * (linking to the field) and beside it, and what was typed is there to correct.
 */
describe('form messages of the admin forms', () => {
  let t: TestApp;
  let agent: Agent;
  let unit: Unit;
  let pact: Pact;
  /** Someone in the unit who has not signed: to excuse, or to tick on a paper sheet. */
  let personId: number;
  beforeEach(async () => {
    t = await createTestApp();
    agent = (await loggedInAdmin(t)).agent;
    unit = await t.make.unit({ name: 'Dinas Pendidikan' });
    personId = (await t.make.user({ unitId: unit.id, fullName: 'Ani Lestari' })).id;
    pact = await makePact(t.services);
  });
  afterEach(() => t.close());

  /** A form: the page that shows it and where it is sent (both may need the test's unit or pact). */
  interface Form {
    name: string;
    page: () => string;
    action: () => string;
    /** Sends `fields` as the form does (default: urlencoded, with the page's CSRF token). */
    send?: (fields: Record<string, string>) => Promise<{ status: number; text: string }>;
    /** The form as a browser sends it with nothing filled in (radio buttons left unchosen are not sent). */
    empty: () => Record<string, string>;
    /** What even a request without the form's fields carries: the person the form is about, a tick. */
    hidden?: () => Record<string, string>;
    status: number;
    expected: [string, string][];
    /** Typical mistakes, what they are answered with, and the typed values the page must show again. */
    bad: { fields: () => Record<string, string>; expected: [string, string][]; kept: string[] };
  }

  const forms: Form[] = [
    {
      name: 'a new person (/admin/pengguna)',
      page: () => '/admin/pengguna/baru',
      action: () => '/admin/pengguna',
      empty: () => ({
        nip: '',
        employee_type: 'PNS',
        full_name: '',
        email: '',
        position: '',
        pangkat: '',
        unit_id: '',
        role: 'signer',
      }),
      // Every missing field at once, not the name first and the NIP and unit after it was filled in.
      status: 422,
      expected: [
        ['nip', 'NIP wajib diisi (hanya akun admin teknis yang boleh tanpa NIP).'],
        ['email', 'Akun tanpa NIP harus memiliki email.'],
        ['full_name', 'Nama lengkap wajib diisi.'],
        ['unit_id', 'Pilih unit kerja.'],
      ],
      bad: {
        fields: () => ({
          nip: '19850312',
          employee_type: 'honorer',
          full_name: 'Dewi Lestari',
          email: 'dewi@',
          position: 'Analis',
          unit_id: String(unit.id),
          role: 'signer',
        }),
        expected: [['employee_type', 'Jenis pegawai belum dipilih.']],
        kept: ['value="19850312"', 'value="Dewi Lestari"', 'value="dewi@"', 'value="Analis"'],
      },
    },
    {
      name: 'a new unit (/admin/unit)',
      page: () => '/admin/unit/baru',
      action: () => '/admin/unit',
      empty: () => ({ code: '', name: '', kind: '', time_zone: '', parent_id: '' }),
      status: 400,
      expected: [
        ['code', 'Kode wajib diisi.'],
        ['name', 'Nama unit wajib diisi.'],
        ['kind', 'Jenis unit wajib diisi.'],
      ],
      bad: {
        fields: () => ({
          code: 'DIS KOMINFO',
          name: 'Dinas Kominfo',
          kind: 'kantor',
          time_zone: '',
          parent_id: '',
        }),
        expected: [
          [
            'code',
            'Kode hanya boleh berisi huruf, angka, titik (.), tanda hubung (-) dan garis bawah (_), diawali huruf atau angka.',
          ],
          ['kind', 'Jenis unit belum dipilih.'],
        ],
        kept: ['value="DIS KOMINFO"', 'value="Dinas Kominfo"'],
      },
    },
    {
      name: 'a draft pact (/admin/pakta)',
      page: () => '/admin/pakta/baru',
      action: () => '/admin/pakta',
      empty: () => ({
        title: '',
        body: '',
        place: '',
        opens_at: '',
        deadline: '',
        ceremony_on: '',
        ceremony_place: '',
      }),
      status: 400,
      expected: [
        ['title', 'Judul wajib diisi.'],
        ['body', 'Isi pakta wajib diisi.'],
        ['audience', 'Penanda tangan belum dipilih.'],
        ['opens_at', 'Waktu dibuka wajib diisi.'],
        ['deadline', 'Batas waktu wajib diisi.'],
      ],
      bad: {
        fields: () => ({
          title: 'Pakta Netralitas 2026',
          body: 'Saya menyatakan netral.\r\n\r\n1. Tidak berpihak.',
          place: 'Semarang',
          audience: 'all',
          opens_at: 'besok pagi',
          deadline: '2026-13-40T25:00',
          ceremony_on: '',
          ceremony_place: '',
        }),
        expected: [
          ['opens_at', 'Waktu dibuka harus tanggal dan jam yang sah.'],
          ['deadline', 'Batas waktu harus tanggal dan jam yang sah.'],
        ],
        kept: ['value="Pakta Netralitas 2026"', '1. Tidak berpihak.</textarea>', 'value="besok pagi"'],
      },
    },
    {
      name: "an open pact's deadline extension (/admin/pakta/:id/perpanjang)",
      page: () => `/admin/pakta/${pact.id}`,
      action: () => `/admin/pakta/${pact.id}/perpanjang`,
      empty: () => ({ deadline: '', reason: '' }),
      status: 400,
      expected: [
        ['deadline', 'Batas waktu baru wajib diisi.'],
        ['reason', 'Alasan perpanjangan wajib diisi.'],
      ],
      bad: {
        fields: () => ({ deadline: '31-12-2026 10:00', reason: 'Menunggu pelantikan pejabat baru' }),
        expected: [['deadline', 'Batas waktu baru harus tanggal dan jam yang sah.']],
        kept: ['value="31-12-2026 10:00"', 'value="Menunggu pelantikan pejabat baru"'],
      },
    },
    {
      name: "an open pact's ceremony (/admin/pakta/:id/upacara)",
      page: () => `/admin/pakta/${pact.id}`,
      action: () => `/admin/pakta/${pact.id}/upacara`,
      // Both empty clears the ceremony: only a request without the fields is refused as empty.
      empty: () => ({}),
      status: 400,
      expected: [
        ['ceremony_on', 'Tanggal ikrar bersama wajib diisi.'],
        ['ceremony_place', 'Tempat ikrar bersama wajib diisi.'],
      ],
      bad: {
        fields: () => ({ ceremony_on: '26/09/2026', ceremony_place: 'Gedung Gradhika Bhakti Praja' }),
        expected: [['ceremony_on', 'Tanggal ikrar bersama harus tanggal yang sah']],
        kept: ['value="26/09/2026"', 'value="Gedung Gradhika Bhakti Praja"'],
      },
    },
    {
      name: 'excusing a person (/admin/kepatuhan/:id/pengecualian)',
      page: () => `/admin/kepatuhan/${pact.id}/pengecualian/baru?orang=${personId}`,
      action: () => `/admin/kepatuhan/${pact.id}/pengecualian`,
      empty: () => ({ user_id: String(personId), reason: '', note: '', starts_on: '', ends_on: '' }),
      hidden: () => ({ user_id: String(personId) }),
      status: 400,
      expected: [
        ['reason', 'Pilih alasan pengecualian'],
        ['starts_on', 'Tanggal mulai wajib diisi.'],
      ],
      bad: {
        fields: () => ({
          user_id: String(personId),
          reason: 'tugas_belajar',
          note: 'SK 800/12/2026',
          starts_on: '1 Januari',
          ends_on: '2026/12/31',
        }),
        expected: [
          ['starts_on', 'Tanggal mulai harus tanggal yang sah (tttt-bb-hh).'],
          ['ends_on', 'Tanggal akhir harus tanggal yang sah (tttt-bb-hh).'],
        ],
        kept: ['value="SK 800/12/2026"', 'value="1 Januari"', 'value="2026/12/31"'],
      },
    },
    {
      name: 'the settings (/admin/pengaturan)',
      page: () => '/admin/pengaturan',
      action: () => '/admin/pengaturan',
      empty: () => ({
        name: '',
        short_name: '',
        address: '',
        email: '',
        phone: '',
        place: '',
        activation_days: '',
        official_title: '',
        official_name: '',
        official_nip: '',
      }),
      status: 400,
      expected: [
        ['name', 'Nama instansi wajib diisi.'],
        ['short_name', 'Nama singkat wajib diisi.'],
        ['activation_days', 'Masa berlaku kode aktivasi wajib diisi.'],
      ],
      bad: {
        fields: () => ({
          name: 'Pemerintah Provinsi Jawa Tengah',
          short_name: 'Ikrar Jateng',
          address: 'Jl. Pahlawan No. 9',
          email: 'humas@',
          phone: '(024) 8311282',
          place: 'Semarang',
          activation_days: '14',
          official_title: 'Sekretaris Daerah',
          official_name: 'S'.repeat(151),
          official_nip: '',
        }),
        expected: [
          ['email', 'Isi alamat email yang sah, atau kosongkan.'],
          ['official_name', 'Nama pejabat terlalu panjang.'],
        ],
        kept: ['value="Pemerintah Provinsi Jawa Tengah"', 'value="humas@"', 'value="Sekretaris Daerah"'],
      },
    },
    {
      name: 'a news post (/admin/berita)',
      page: () => '/admin/berita/baru',
      action: () => '/admin/berita',
      empty: () => ({
        title: '',
        slug: '',
        category: '',
        excerpt: '',
        body: '',
        status: 'draft',
        published_at: '',
        cover_alt: '',
      }),
      status: 422,
      expected: [
        ['title', 'Judul wajib diisi.'],
        ['category', 'Pilih kategori Berita atau Pengumuman.'],
        ['body', 'Isi berita wajib diisi.'],
      ],
      bad: {
        fields: () => ({
          title: 'Apel Netralitas ASN',
          slug: '',
          category: 'berita',
          excerpt: '',
          body: 'Apel digelar di halaman kantor gubernur.',
          status: 'draft',
          published_at: 'besok',
          cover_alt: '',
        }),
        expected: [['published_at', 'Tanggal terbit harus tanggal dan jam yang sah.']],
        kept: ['value="Apel Netralitas ASN"', 'value="besok"', 'halaman kantor gubernur.</textarea>'],
      },
    },
    {
      name: 'a unit agreement (/admin/kesepakatan)',
      page: () => '/admin/kesepakatan/baru',
      action: () => '/admin/kesepakatan',
      empty: () => ({ title: '', description: '', scope: 'kabkota', parent_unit_id: '', deadline_on: '' }),
      status: 400,
      expected: [['title', 'Judul wajib diisi.']],
      bad: {
        fields: () => ({
          title: 'NPHD Pilkada 2024',
          description: 'Data per 21 November 2023.',
          scope: 'kabkota',
          parent_unit_id: '',
          deadline_on: '21/11/2023',
        }),
        expected: [['deadline_on', 'Batas waktu harus tanggal yang sah (tttt-bb-hh).']],
        kept: ['value="NPHD Pilkada 2024"', 'Data per 21 November 2023.</textarea>', 'value="21/11/2023"'],
      },
    },
    {
      name: 'activation letters (/admin/surat-aktivasi)',
      page: () => '/admin/surat-aktivasi',
      action: () => '/admin/surat-aktivasi',
      empty: () => ({ unit_id: '', nips: '' }),
      status: 400,
      expected: [
        ['kind', 'Pilih untuk siapa surat dicetak'],
        ['layout', 'Ukuran surat belum dipilih.'],
      ],
      bad: {
        fields: () => ({ kind: 'list', unit_id: '', nips: '198503122010012004', layout: 'a3' }),
        expected: [['layout', 'Ukuran surat belum dipilih.']],
        kept: ['198503122010012004</textarea>'],
      },
    },
    {
      name: 'paper signings (/admin/kepatuhan/:id/kertas/catat)',
      page: () => `/admin/kepatuhan/${pact.id}/kertas/catat?unit=${unit.id}`,
      action: () => '',
      // Multipart, its token in the action's query, as the page sends it.
      send: async (fields) => {
        const form = await agent.get(`/admin/kepatuhan/${pact.id}/kertas/catat?unit=${unit.id}`);
        const action = /<form method="post" enctype="multipart\/form-data" action="([^"]+)"/.exec(
          form.text,
        )?.[1];
        let req = agent.post((action as string).replaceAll('&amp;', '&'));
        for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
        return req;
      },
      empty: () => ({ signed_on: '', place: '', witness: '' }),
      hidden: () => ({ orang: String(personId) }),
      status: 400,
      expected: [
        ['signed_on', 'Tanggal penandatanganan wajib diisi.'],
        ['place', 'Tempat penandatanganan wajib diisi.'],
        ['witness', 'Saksi wajib diisi.'],
        ['scan', 'Lampirkan pindaian lembar yang ditandatangani'],
        ['orang', 'Centang paling sedikit satu orang yang menandatangani'],
      ],
      bad: {
        fields: () => ({ signed_on: '26-09-2026', place: 'Gedung Gradhika', witness: 'Kepala BKD' }),
        expected: [
          ['signed_on', 'Tanggal penandatanganan harus tanggal yang sah (tttt-bb-hh).'],
          ['scan', 'Lampirkan pindaian lembar yang ditandatangani'],
          ['orang', 'Centang paling sedikit satu orang yang menandatangani'],
        ],
        kept: ['value="26-09-2026"', 'value="Gedung Gradhika"', 'value="Kepala BKD"'],
      },
    },
  ];

  const send = (form: Form, fields: Record<string, string>) =>
    form.send ? form.send(fields) : postForm(agent, form.page(), form.action(), fields);

  for (const form of forms) {
    describe(form.name, () => {
      it('answers an empty submit naming each field, in the summary (linking to it) and beside it', async () => {
        const res = await send(form, form.empty());
        expect(res.status).toBe(form.status);
        expectNamedErrors(res.text, form.expected);
      });

      it('answers typical mistakes naming the field, keeping what was typed', async () => {
        const res = await send(form, form.bad.fields());
        expect([400, 422]).toContain(res.status);
        expectNamedErrors(res.text, form.bad.expected);
        for (const kept of form.bad.kept) expect(res.text).toContain(kept);
      });

      it('names the fields of a request that left them all out', async () => {
        const res = await send(form, form.hidden?.() ?? {});
        expect([400, 422]).toContain(res.status);
        expect(summaryOf(res.text).length).toBeGreaterThan(0);
        for (const bare of BARE_MESSAGES) expect(res.text).not.toContain(bare);
      });
    });
  }

  describe('the roster import (/admin/pengguna/impor)', () => {
    it('answers an upload without a file in the summary, linking to the file field, with the message beside it', async () => {
      const token = await fetchCsrfToken(agent, '/admin/pengguna/impor');
      const res = await agent
        .post(`/admin/pengguna/impor?_csrf=${encodeURIComponent(token)}`)
        .field('note', 'tanpa berkas');
      expect(res.status).toBe(400);
      expectNamedErrors(res.text, [['file', 'Pilih berkas CSV atau XLSX untuk diunggah.']]);
      expect(res.text).toMatch(
        /id="file"[^>]*aria-describedby="file-hint file-error"[^>]*aria-invalid="true"/,
      );
    });

    it('fills the numbers of a refusal in the summary as beside the field', async () => {
      const res = await uploadRoster(agent, 'nip,nama,kode_unit\n"123,Nama,DINKES\n', 'kutip.csv');
      expect(res.status).toBe(400);
      const [[field, message] = []] = summaryOf(res.text);
      expect(field).toBe('file');
      expect(message).toMatch(/^Berkas CSV rusak di sekitar baris \d+: /);
      expectNamedErrors(res.text, [['file', message as string]]);
    });
  });
});
