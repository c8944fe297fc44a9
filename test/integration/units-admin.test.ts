import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Role, Unit } from '../../src/directory/types.js';
import { browser, loggedInAs, pageText } from '../helpers/http.js';
import { postForm } from '../helpers/pacts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

type Agent = ReturnType<typeof browser>;

describe('managing units', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const unitCount = async () =>
    (await sql<{ n: number }>`SELECT count(*) AS n FROM units`.execute(t.db.q)).rows[0]?.n as number;
  const unitRow = async (id: number) =>
    (await sql`SELECT * FROM units WHERE id = ${id}`.execute(t.db.q)).rows[0];
  const unitRows = async () => (await sql`SELECT * FROM units ORDER BY id`.execute(t.db.q)).rows;
  const eventsFor = (unitId: number) => t.services.audit.forTarget('unit', String(unitId));
  const unitEvents = async () =>
    (await t.services.audit.recent(1000)).map((e) => e.action).filter((action) => action.startsWith('unit.'));

  const logInAs = (role: Role, options: { unitId?: number | null; fullName?: string } = {}) =>
    loggedInAs(t, role, options);

  const asAdmin = () => logInAs('admin', { fullName: 'Admin Uji' });

  /** The table row of one unit on the tree page. */
  function rowOf(html: string, unitId: number): string {
    const match = new RegExp(`<tr data-unit-id="${unitId}"[\\s\\S]*?</tr>`).exec(html);
    if (!match) throw new Error(`unit ${unitId} is not on the page`);
    return match[0];
  }
  const rowIds = (html: string) => [...html.matchAll(/<tr data-unit-id="(\d+)"/g)].map((m) => Number(m[1]));
  const depthOf = (html: string, unitId: number) =>
    Number(new RegExp(`<tr data-unit-id="${unitId}" data-depth="(\\d+)"`).exec(html)?.[1]);

  /** SETDA › Biro Hukum › Bagian Perundang-undangan, and a second root, Dinas Kesehatan. */
  async function smallTree() {
    const setda = await t.make.unit({ code: 'SETDA', name: 'Sekretariat Daerah', kind: 'sekretariat' });
    const biro = await t.make.unit({
      code: 'BIRO-HUKUM',
      name: 'Biro Hukum',
      kind: 'biro',
      parentId: setda.id,
    });
    const bagian = await t.make.unit({
      code: 'BAG-PUU',
      name: 'Bagian Perundang-undangan',
      kind: 'bagian',
      parentId: biro.id,
    });
    const dinkes = await t.make.unit({ code: 'DINKES', name: 'Dinas Kesehatan', kind: 'dinas' });
    return { setda, biro, bagian, dinkes };
  }

  describe('the tree', () => {
    it('shows every unit in tree order with kind, code, head, active users and status', async () => {
      const { agent } = await asAdmin();
      const { setda, biro, bagian, dinkes } = await smallTree();
      const head = await t.make.user({ unitId: biro.id, fullName: 'Ratna Kusumawati' });
      await t.make.user({ unitId: biro.id });
      await t.make.user({ unitId: biro.id, status: 'disabled' });
      await t.make.user({ unitId: dinkes.id });
      await t.services.units.setHead(biro.id, head.id, t.clock.now());
      await t.services.units.setActive(bagian.id, false, t.clock.now());

      const page = await agent.get('/admin/unit');
      expect(page.status).toBe(200);
      expect(page.text).toContain('<h1 class="h3 mb-0">Unit Kerja</h1>');
      expect(page.text).toContain('4 unit');
      // Roots by name (Dinas before Sekretariat), each followed by its subtree.
      expect(rowIds(page.text)).toEqual([dinkes.id, setda.id, biro.id, bagian.id]);
      expect([setda, biro, bagian, dinkes].map((u) => depthOf(page.text, u.id))).toEqual([0, 1, 2, 0]);

      const biroRow = rowOf(page.text, biro.id);
      expect(biroRow).toContain(`href="/admin/unit/${biro.id}">Biro Hukum</a>`);
      expect(biroRow).toContain('<code>BIRO-HUKUM</code>');
      expect(biroRow).toContain('<td>Biro</td>');
      expect(biroRow).toContain('Ratna Kusumawati');
      expect(biroRow).toContain('<td class="text-end">2</td>'); // the disabled user does not count
      expect(biroRow).toContain('Aktif');
      expect(biroRow).toContain('sub-unit dari Sekretariat Daerah');
      expect(rowOf(page.text, dinkes.id)).toContain('<td class="text-end">1</td>');
      expect(rowOf(page.text, setda.id)).toContain('Belum ditetapkan');
      expect(rowOf(page.text, setda.id)).toContain('<td class="text-end">0</td>');
      expect(rowOf(page.text, bagian.id)).toContain('Nonaktif');
      expect(rowOf(page.text, bagian.id)).toContain('<td>Bagian</td>');
    });

    it('marks a head who has left the unit', async () => {
      const { agent } = await asAdmin();
      const { biro, dinkes } = await smallTree();
      const moved = await t.make.user({ unitId: dinkes.id, fullName: 'Agus Pranoto' });
      await t.services.units.setHead(biro.id, moved.id, t.clock.now());
      const row = rowOf((await agent.get('/admin/unit')).text, biro.id);
      expect(row).toContain('Agus Pranoto');
      expect(row).toContain('bukan lagi pengguna aktif unit ini');
    });

    it('lists 600 units with their counts in one page', async () => {
      const { agent } = await asAdmin();
      const ids: number[] = [];
      await t.db.transaction(async () => {
        for (let root = 0; root < 20; root += 1) {
          const rootId = await t.services.units.insert(
            {
              code: `R${root}`,
              name: `Induk ${String(root).padStart(2, '0')}`,
              kind: 'dinas',
              parentId: null,
            },
            t.clock.now(),
          );
          ids.push(rootId);
          for (let child = 0; child < 29; child += 1) {
            ids.push(
              await t.services.units.insert(
                { code: `R${root}-C${child}`, name: `Bidang ${child}`, kind: 'bidang', parentId: rootId },
                t.clock.now(),
              ),
            );
          }
        }
      });
      expect(ids).toHaveLength(600);
      const last = ids[599] as number;
      await t.make.user({ unitId: last });
      await t.make.user({ unitId: last });
      await t.make.user({ unitId: last });

      const started = Date.now();
      const page = await agent.get('/admin/unit');
      expect(page.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(rowIds(page.text)).toHaveLength(600);
      expect(page.text).toContain('600 unit');
      expect(rowOf(page.text, last)).toContain('<td class="text-end">3</td>');
      expect(rowOf(page.text, ids[0] as number)).toContain('<td class="text-end">0</td>');
    });

    it('links the units page from the admin menu for admins and operators', async () => {
      const unit = await t.make.unit();
      for (const role of ['admin', 'operator'] as const) {
        const { agent } = await logInAs(role, { unitId: unit.id });
        expect((await agent.get('/admin')).text).toContain('href="/admin/unit"');
      }
    });
  });

  describe('creating', () => {
    const fields = (overrides: Record<string, string> = {}) => ({
      code: 'DISKOMINFO',
      name: 'Dinas Komunikasi dan Informatika',
      kind: 'dinas',
      time_zone: '',
      parent_id: '',
      ...overrides,
    });
    const create = (agent: Agent, overrides: Record<string, string> = {}) =>
      postForm(agent, '/admin/unit/baru', '/admin/unit', fields(overrides));

    it('creates a unit under a parent, records it and shows it', async () => {
      const { user: admin, agent } = await asAdmin();
      const form = await agent.get('/admin/unit/baru');
      expect(form.status).toBe(200);
      expect(form.text).toContain('<option value="sekretariat">Sekretariat</option>');
      expect(form.text).toContain('<option value="lainnya">Lainnya</option>');
      const { setda } = await smallTree();

      const res = await create(agent, {
        code: 'BIRO-PBJ',
        name: 'Biro Pengadaan',
        kind: 'biro',
        parent_id: String(setda.id),
      });
      expect(res.status).toBe(303);
      const id = Number(/^\/admin\/unit\/(\d+)$/.exec(res.headers.location ?? '')?.[1]);
      expect(await t.services.units.findById(id)).toMatchObject({
        code: 'BIRO-PBJ',
        name: 'Biro Pengadaan',
        kind: 'biro',
        parentId: setda.id,
        headUserId: null,
        active: true,
      });
      const page = await agent.get(res.headers.location as string);
      expect(page.text).toContain('Unit ditambahkan.');
      expect(page.text).toContain('Biro Pengadaan');
      expect(page.text).toContain(`<a href="/admin/unit/${setda.id}">Sekretariat Daerah</a>`);

      const [event] = await eventsFor(id);
      expect(event).toMatchObject({ action: 'unit.created', actorUserId: admin.id });
      expect(event?.details).toMatchObject({ code: 'BIRO-PBJ', parentId: setda.id });
    });

    it('creates a top-level unit when no parent is chosen', async () => {
      const { agent } = await asAdmin();
      const res = await create(agent);
      expect(res.status).toBe(303);
      expect((await t.services.units.findByCode('DISKOMINFO'))?.parentId).toBeNull();
    });

    it('refuses a code already used (ignoring case) with 422 beside the field, keeping the input', async () => {
      const { agent } = await asAdmin();
      const { setda } = await smallTree();
      const before = await unitCount();
      const res = await create(agent, {
        code: 'setda',
        name: 'Nama yang saya ketik',
        kind: 'badan',
        parent_id: String(setda.id),
      });
      expect(res.status).toBe(422);
      expect(res.text).toContain('id="code-error"');
      expect(res.text).toContain('Kode ini sudah dipakai unit lain.');
      expect(res.text).toContain('Ada isian yang perlu diperbaiki');
      expect(res.text).toContain('value="setda"');
      expect(res.text).toContain('value="Nama yang saya ketik"');
      expect(res.text).toContain('<option value="badan" selected>');
      expect(res.text).toContain(`<option value="${setda.id}" selected>`);
      expect(await unitCount()).toBe(before);
      expect(await unitEvents()).toEqual([]);
    });

    it.each([
      [{ code: '' }, 400, 'Kode wajib diisi.', 'code'],
      [{ name: '   ' }, 400, 'Nama unit wajib diisi.', 'name'],
      [{ kind: '' }, 400, 'Jenis unit wajib diisi.', 'kind'],
      [{ kind: 'kementerian' }, 400, 'Jenis unit belum dipilih.', 'kind'],
      [{ code: 'KODE DENGAN SPASI' }, 400, 'Kode hanya boleh berisi huruf', 'code'],
      [{ parent_id: '012' }, 400, 'Unit induk belum dipilih.', 'parent_id'],
      [{ parent_id: '987654' }, 422, 'Unit induk tidak dikenal.', 'parent_id'],
      [{ name: 'Nama \u0000 rusak' }, 400, 'karakter yang tidak sah', 'name'],
    ])(
      'refuses %o with %i and a message beside the field, creating nothing',
      async (bad, status, message, field) => {
        const { agent } = await asAdmin();
        const res = await create(agent, bad);
        expect(res.status).toBe(status);
        expect(res.text).toContain(message);
        expect(res.text).toContain(`id="${field}-error"`);
        expect(await unitCount()).toBe(0);
      },
    );

    it('refuses an inactive parent', async () => {
      const { agent } = await asAdmin();
      const { dinkes } = await smallTree();
      await t.services.units.setActive(dinkes.id, false, t.clock.now());
      const before = await unitCount();
      const res = await create(agent, { parent_id: String(dinkes.id) });
      expect(res.status).toBe(422);
      expect(res.text).toContain('Unit induk ini nonaktif.');
      expect(await unitCount()).toBe(before);
    });
  });

  describe('editing', () => {
    it('changes code, name and kind and records what changed', async () => {
      const { user: admin, agent } = await asAdmin();
      const { biro } = await smallTree();
      const form = await agent.get(`/admin/unit/${biro.id}/ubah`);
      expect(form.status).toBe(200);
      expect(form.text).toContain('Ubah unit');
      expect(form.text).toContain('value="BIRO-HUKUM"');
      expect(form.text).toContain('<option value="biro" selected>');

      const res = await postForm(agent, `/admin/unit/${biro.id}/ubah`, `/admin/unit/${biro.id}`, {
        code: 'BIRO-HKM',
        name: 'Biro Hukum dan HAM',
        kind: 'biro',
        time_zone: '',
      });
      expect(res.status).toBe(303);
      expect(await t.services.units.findById(biro.id)).toMatchObject({
        code: 'BIRO-HKM',
        name: 'Biro Hukum dan HAM',
        kind: 'biro',
        parentId: biro.parentId,
      });
      expect((await agent.get(`/admin/unit/${biro.id}`)).text).toContain('Perubahan unit disimpan.');
      const updated = (await eventsFor(biro.id)).find((e) => e.action === 'unit.updated');
      expect(updated).toMatchObject({ actorUserId: admin.id });
      expect(updated?.details).toEqual({
        before: { code: 'BIRO-HUKUM', name: 'Biro Hukum' },
        after: { code: 'BIRO-HKM', name: 'Biro Hukum dan HAM' },
      });
    });

    it("keeps the unit's own code in another case, and refuses another unit's code", async () => {
      const { agent } = await asAdmin();
      const { biro, dinkes } = await smallTree();
      const own = await postForm(agent, `/admin/unit/${biro.id}/ubah`, `/admin/unit/${biro.id}`, {
        code: 'biro-hukum',
        name: 'Biro Hukum',
        kind: 'biro',
        time_zone: '',
      });
      expect(own.status).toBe(303);
      expect((await t.services.units.findById(biro.id))?.code).toBe('biro-hukum');

      const res = await postForm(agent, `/admin/unit/${biro.id}/ubah`, `/admin/unit/${biro.id}`, {
        code: 'Dinkes',
        name: 'Nama baru',
        kind: 'dinas',
        time_zone: '',
      });
      expect(res.status).toBe(422);
      expect(res.text).toContain('Kode ini sudah dipakai unit lain.');
      expect(res.text).toContain('value="Nama baru"');
      expect(await t.services.units.findById(biro.id)).toMatchObject({
        code: 'biro-hukum',
        name: 'Biro Hukum',
      });
      expect((await t.services.units.findById(dinkes.id))?.code).toBe('DINKES');
    });

    it('refuses an empty name with 400', async () => {
      const { agent } = await asAdmin();
      const { biro } = await smallTree();
      const res = await postForm(agent, `/admin/unit/${biro.id}/ubah`, `/admin/unit/${biro.id}`, {
        code: 'BIRO-HUKUM',
        name: '',
        kind: 'biro',
        time_zone: '',
      });
      expect(res.status).toBe(400);
      expect(res.text).toContain('id="name-error"');
      expect((await t.services.units.findById(biro.id))?.name).toBe('Biro Hukum');
    });
  });

  describe('time zone', () => {
    const edit = (
      agent: Agent,
      unit: { id: number; code: string; name: string; kind: string },
      zone: string,
    ) =>
      postForm(agent, `/admin/unit/${unit.id}/ubah`, `/admin/unit/${unit.id}`, {
        code: unit.code,
        name: unit.name,
        kind: unit.kind,
        time_zone: zone,
      });

    it('offers following the parent or the instance, WIB, WITA and WIT, and keeps the unit following by default', async () => {
      const { agent } = await asAdmin();
      const form = pageText((await agent.get('/admin/unit/baru')).text);
      expect(form).toContain(
        'Zona waktu Zona tempat orang di unit ini membaca batas waktu dan waktu penandatanganan.',
      );
      expect(form).toContain(
        'Ikuti unit induk / instansi (WIB) WIB (Asia/Jakarta) WITA (Asia/Makassar) WIT (Asia/Jayapura)',
      );
      const res = await postForm(agent, '/admin/unit/baru', '/admin/unit', {
        code: 'DISKOMINFO',
        name: 'Dinas Komunikasi dan Informatika',
        kind: 'dinas',
        time_zone: '',
        parent_id: '',
      });
      expect(res.status).toBe(303);
      expect((await t.services.units.findByCode('DISKOMINFO'))?.timeZone).toBeNull();
    });

    it('creates a unit in WIT, records the zone and shows it; its sub-units follow it', async () => {
      const { user: admin, agent } = await asAdmin();
      const res = await postForm(agent, '/admin/unit/baru', '/admin/unit', {
        code: 'PEMPROV-PAPUA',
        name: 'Pemerintah Provinsi Papua',
        kind: 'lainnya',
        time_zone: 'Asia/Jayapura',
        parent_id: '',
      });
      expect(res.status).toBe(303);
      const papua = (await t.services.units.findByCode('PEMPROV-PAPUA')) as Unit;
      expect(papua.timeZone).toBe('Asia/Jayapura');
      const [event] = await eventsFor(papua.id);
      expect(event).toMatchObject({ action: 'unit.created', actorUserId: admin.id });
      expect(event?.details).toMatchObject({ code: 'PEMPROV-PAPUA', timeZone: 'Asia/Jayapura' });
      expect(pageText((await agent.get(`/admin/unit/${papua.id}`)).text)).toContain(
        'Zona waktu WIT (Asia/Jayapura) Pengguna aktif',
      );

      const dinas = await t.make.unit({ code: 'DINKES-PAPUA', parentId: papua.id });
      const bidang = await t.make.unit({ code: 'BID-P2P', parentId: dinas.id });
      expect(pageText((await agent.get(`/admin/unit/${bidang.id}`)).text)).toContain(
        'Zona waktu WIT (Asia/Jayapura), mengikuti unit induk / instansi',
      );
      expect((await agent.get(`/admin/unit/${bidang.id}/ubah`)).text).toContain(
        '<option value="" selected>Ikuti unit induk / instansi (WIB)</option>',
      );
    });

    it('resolves the zone a unit follows: its own, else the nearest ancestor with one, else none', async () => {
      const { setda, biro, bagian, dinkes } = await smallTree();
      const zoneOf = (unit: Unit) => t.services.units.timeZoneOf(unit.id);
      expect(await zoneOf(bagian)).toBeNull();
      await t.services.units.update(setda.id, { ...setda, timeZone: 'Asia/Makassar' }, t.clock.now());
      expect(await zoneOf(bagian)).toBe('Asia/Makassar');
      await t.services.units.update(biro.id, { ...biro, timeZone: 'Asia/Jayapura' }, t.clock.now());
      expect([await zoneOf(setda), await zoneOf(biro), await zoneOf(bagian)]).toEqual([
        'Asia/Makassar',
        'Asia/Jayapura',
        'Asia/Jayapura',
      ]);
      expect(await zoneOf(dinkes)).toBeNull();
      // A move takes the subtree into its new parent's zone.
      await t.services.units.setParent(bagian.id, dinkes.id, t.clock.now());
      expect(await zoneOf(bagian)).toBeNull();
    });

    it('sets, changes and clears the zone of a unit, recording each change', async () => {
      const { user: admin, agent } = await asAdmin();
      const { biro } = await smallTree();
      expect((await edit(agent, biro, 'Asia/Jayapura')).status).toBe(303);
      expect((await t.services.units.findById(biro.id))?.timeZone).toBe('Asia/Jayapura');
      expect((await agent.get(`/admin/unit/${biro.id}/ubah`)).text).toContain(
        '<option value="Asia/Jayapura" selected>WIT (Asia/Jayapura)</option>',
      );
      expect((await edit(agent, biro, '')).status).toBe(303);
      expect((await t.services.units.findById(biro.id))?.timeZone).toBeNull();

      const updates = (await eventsFor(biro.id)).filter((e) => e.action === 'unit.updated');
      expect(updates.every((e) => e.actorUserId === admin.id)).toBe(true);
      expect(updates.map((e) => e.details)).toEqual(
        expect.arrayContaining([
          { before: { timeZone: null }, after: { timeZone: 'Asia/Jayapura' } },
          { before: { timeZone: 'Asia/Jayapura' }, after: { timeZone: null } },
        ]),
      );
    });

    it.each(['Europe/Paris', 'Asia/Pontianak', 'WIT', 'asia/jayapura'])(
      'refuses the zone %s with 422 beside the field, keeping the input and saving nothing',
      async (zone) => {
        const { agent } = await asAdmin();
        const { setda, biro } = await smallTree();
        const before = await unitRows();
        const created = await postForm(agent, '/admin/unit/baru', '/admin/unit', {
          code: 'BIRO-BARU',
          name: 'Biro yang saya ketik',
          kind: 'biro',
          time_zone: zone,
          parent_id: String(setda.id),
        });
        expect(created.status).toBe(422);
        expect(created.text).toContain('id="time_zone-error"');
        expect(created.text).toContain(
          'Zona waktu tidak dikenal. Pilih WIB, WITA atau WIT, atau ikuti unit induk / instansi.',
        );
        expect(created.text).toContain('aria-invalid="true"');
        expect(created.text).toContain('value="Biro yang saya ketik"');
        expect(created.text).toContain('<option value="biro" selected>');
        expect(created.text).toContain(`<option value="${setda.id}" selected>`);

        const edited = await edit(agent, { ...biro, name: 'Nama baru yang saya ketik' }, zone);
        expect(edited.status).toBe(422);
        expect(edited.text).toContain('id="time_zone-error"');
        expect(edited.text).toContain('value="Nama baru yang saya ketik"');

        expect(await unitRows()).toEqual(before);
        expect(await unitEvents()).toEqual([]);
      },
    );

    it('refuses a form without the zone field with 400', async () => {
      const { agent } = await asAdmin();
      const { biro } = await smallTree();
      const res = await postForm(agent, `/admin/unit/${biro.id}/ubah`, `/admin/unit/${biro.id}`, {
        code: biro.code,
        name: 'Nama lain',
        kind: biro.kind,
      });
      expect(res.status).toBe(400);
      expect(res.text).toContain('id="time_zone-error"');
      expect((await t.services.units.findById(biro.id))?.name).toBe('Biro Hukum');
    });
  });

  describe('moving', () => {
    const move = (agent: Agent, unitId: number, parentId: string) =>
      postForm(agent, `/admin/unit/${unitId}`, `/admin/unit/${unitId}/pindah`, { parent_id: parentId });

    it('moves a unit with its subtree under another parent and records it', async () => {
      const { user: admin, agent } = await asAdmin();
      const { setda, biro, bagian, dinkes } = await smallTree();
      const page = await agent.get(`/admin/unit/${biro.id}`);
      // Neither the unit itself nor its subtree is offered as a new parent.
      expect(page.text).toContain(`<option value="${dinkes.id}">`);
      expect(page.text).not.toContain(`<option value="${bagian.id}"`);
      expect(page.text).not.toContain(`<option value="${biro.id}"`);

      const res = await move(agent, biro.id, String(dinkes.id));
      expect(res.status).toBe(303);
      expect((await t.services.units.findById(biro.id))?.parentId).toBe(dinkes.id);
      expect((await t.services.units.findById(bagian.id))?.parentId).toBe(biro.id);
      expect((await agent.get(`/admin/unit/${biro.id}`)).text).toContain('Unit dipindahkan');
      const tree = await agent.get('/admin/unit');
      expect(rowIds(tree.text)).toEqual([dinkes.id, biro.id, bagian.id, setda.id]);
      const moved = (await eventsFor(biro.id)).find((e) => e.action === 'unit.moved');
      expect(moved).toMatchObject({ actorUserId: admin.id });
      expect(moved?.details).toMatchObject({ fromParentId: setda.id, toParentId: dinkes.id });

      const top = await move(agent, biro.id, '');
      expect(top.status).toBe(303);
      expect((await t.services.units.findById(biro.id))?.parentId).toBeNull();
    });

    it.each([
      ['itself', 'setda'],
      ['its child', 'biro'],
      ['its grandchild', 'bagian'],
    ] as const)('refuses to move a unit under %s, writing nothing', async (_label, target) => {
      const { agent } = await asAdmin();
      const tree = await smallTree();
      const before = await Promise.all([tree.setda, tree.biro, tree.bagian].map((u) => unitRow(u.id)));
      t.clock.advance(60_000);
      const res = await move(agent, tree.setda.id, String(tree[target].id));
      expect(res.status).toBe(422);
      expect(res.text).toContain(
        'Unit tidak dapat dipindahkan ke bawah dirinya sendiri atau ke bawah salah satu sub-unitnya.',
      );
      expect(res.text).toContain('id="parent_id-error"');
      expect(await Promise.all([tree.setda, tree.biro, tree.bagian].map((u) => unitRow(u.id)))).toEqual(
        before,
      );
      expect(await unitEvents()).toEqual([]);
    });

    it('refuses an unknown parent, a malformed one and a missing field', async () => {
      const { agent } = await asAdmin();
      const { biro, setda } = await smallTree();
      const unknown = await move(agent, biro.id, '987654');
      expect(unknown.status).toBe(422);
      expect(unknown.text).toContain('Unit induk tidak dikenal.');
      expect((await move(agent, biro.id, '0x1')).status).toBe(400);
      const missing = await postForm(agent, `/admin/unit/${biro.id}`, `/admin/unit/${biro.id}/pindah`, {});
      expect(missing.status).toBe(400);
      expect((await t.services.units.findById(biro.id))?.parentId).toBe(setda.id);
      expect(await unitEvents()).toEqual([]);
    });

    it('refuses to put an active unit under an inactive one', async () => {
      const { agent } = await asAdmin();
      const { biro, dinkes, setda } = await smallTree();
      await t.services.units.setActive(dinkes.id, false, t.clock.now());
      const res = await move(agent, biro.id, String(dinkes.id));
      expect(res.status).toBe(422);
      expect(res.text).toContain('Unit induk ini nonaktif.');
      expect((await t.services.units.findById(biro.id))?.parentId).toBe(setda.id);
    });
  });

  describe('deactivating and reactivating', () => {
    const deactivate = (agent: Agent, unitId: number) =>
      postForm(agent, `/admin/unit/${unitId}`, `/admin/unit/${unitId}/nonaktifkan`);
    const reactivate = (agent: Agent, unitId: number) =>
      postForm(agent, `/admin/unit/${unitId}`, `/admin/unit/${unitId}/aktifkan`);

    it('refuses while the unit has active users, saying how many', async () => {
      const { agent } = await asAdmin();
      const { dinkes } = await smallTree();
      await t.make.user({ unitId: dinkes.id });
      await t.make.user({ unitId: dinkes.id });
      const res = await deactivate(agent, dinkes.id);
      expect(res.status).toBe(409);
      expect(res.text).toContain(
        'Unit ini belum dapat dinonaktifkan karena masih memiliki 2 pengguna aktif.',
      );
      expect((await t.services.units.findById(dinkes.id))?.active).toBe(true);
      expect(await unitEvents()).toEqual([]);
    });

    it('refuses while the unit has active child units', async () => {
      const { agent } = await asAdmin();
      const { setda, biro } = await smallTree();
      const res = await deactivate(agent, biro.id);
      expect(res.status).toBe(409);
      expect(res.text).toContain('masih memiliki 1 sub-unit aktif');
      expect(res.text).not.toContain('pengguna aktif. Pindahkan');
      expect((await t.services.units.findById(biro.id))?.active).toBe(true);
      expect((await deactivate(agent, setda.id)).status).toBe(409);
      expect(await unitEvents()).toEqual([]);
    });

    it('deactivates a unit with only disabled users and inactive children, and reactivates it', async () => {
      const { user: admin, agent } = await asAdmin();
      const { biro, bagian } = await smallTree();
      await t.make.user({ unitId: biro.id, status: 'disabled' });
      expect((await deactivate(agent, bagian.id)).status).toBe(303);
      const res = await deactivate(agent, biro.id);
      expect(res.status).toBe(303);
      expect((await t.services.units.findById(biro.id))?.active).toBe(false);
      const page = await agent.get(`/admin/unit/${biro.id}`);
      expect(page.text).toContain('Unit dinonaktifkan.');
      expect(page.text).toContain('Aktifkan kembali');
      expect((await eventsFor(biro.id)).find((e) => e.action === 'unit.deactivated')).toMatchObject({
        actorUserId: admin.id,
      });

      // A child cannot come back while its parent is inactive.
      const refused = await reactivate(agent, bagian.id);
      expect(refused.status).toBe(409);
      expect(refused.text).toContain('unit induknya nonaktif');
      expect((await t.services.units.findById(bagian.id))?.active).toBe(false);

      expect((await reactivate(agent, biro.id)).status).toBe(303);
      expect((await t.services.units.findById(biro.id))?.active).toBe(true);
      expect((await eventsFor(biro.id)).map((e) => e.action)).toEqual([
        'unit.deactivated',
        'unit.reactivated',
      ]);
    });
  });

  describe('choosing the head', () => {
    const setHead = (agent: Agent, unitId: number, userId: string) =>
      postForm(agent, `/admin/unit/${unitId}`, `/admin/unit/${unitId}/kepala`, { head_user_id: userId });

    it("offers only the unit's active users, sets one as head and clears the head", async () => {
      const { user: admin, agent } = await asAdmin();
      const { biro, dinkes } = await smallTree();
      const ratna = await t.make.user({ unitId: biro.id, fullName: 'Ratna Kusumawati' });
      const disabled = await t.make.user({ unitId: biro.id, fullName: 'Nonaktif Orang', status: 'disabled' });
      const other = await t.make.user({ unitId: dinkes.id, fullName: 'Orang Dinkes' });

      const page = await agent.get(`/admin/unit/${biro.id}`);
      expect(page.text).toContain(`<option value="${ratna.id}">Ratna Kusumawati`);
      const headSelect = /<select[^>]*id="head_user_id"[\s\S]*?<\/select>/.exec(page.text)?.[0] ?? '';
      expect([...headSelect.matchAll(/<option value="(\d*)"/g)].map((m) => m[1])).toEqual([
        '',
        String(ratna.id),
      ]);
      expect(headSelect).not.toContain(`value="${disabled.id}"`);
      expect(headSelect).not.toContain(`value="${other.id}"`);

      const res = await setHead(agent, biro.id, String(ratna.id));
      expect(res.status).toBe(303);
      expect((await t.services.units.findById(biro.id))?.headUserId).toBe(ratna.id);
      expect((await agent.get(`/admin/unit/${biro.id}`)).text).toContain('Kepala unit ditetapkan.');
      expect(rowOf((await agent.get('/admin/unit')).text, biro.id)).toContain('Ratna Kusumawati');
      const event = (await eventsFor(biro.id)).find((e) => e.action === 'unit.head_set');
      expect(event).toMatchObject({ actorUserId: admin.id });
      expect(event?.details).toMatchObject({ fromUserId: null, toUserId: ratna.id });

      expect((await setHead(agent, biro.id, '')).status).toBe(303);
      expect((await t.services.units.findById(biro.id))?.headUserId).toBeNull();
      expect((await agent.get(`/admin/unit/${biro.id}`)).text).toContain('Kepala unit dikosongkan.');
    });

    it('refuses a user of another unit, a disabled member and an unknown user, writing nothing', async () => {
      const { agent } = await asAdmin();
      const { biro, dinkes } = await smallTree();
      const other = await t.make.user({ unitId: dinkes.id });
      const disabled = await t.make.user({ unitId: biro.id, status: 'disabled' });
      for (const id of [other.id, disabled.id, 987654]) {
        const res = await setHead(agent, biro.id, String(id));
        expect(res.status).toBe(422);
        expect(res.text).toContain('Kepala unit harus dipilih dari pengguna aktif unit ini.');
        expect(res.text).toContain('id="head_user_id-error"');
      }
      expect((await setHead(agent, biro.id, 'abc')).status).toBe(400);
      expect((await t.services.units.findById(biro.id))?.headUserId).toBeNull();
      expect(await unitEvents()).toEqual([]);
    });
  });

  describe('loading the kabupaten/kota reference set', () => {
    const load = (agent: Agent) => postForm(agent, '/admin/unit', '/admin/unit/muat-referensi');

    it('adds the 35 kabupaten/kota once, then nothing, and says how many', async () => {
      const { user: admin, agent } = await asAdmin();
      const res = await load(agent);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/admin/unit');
      const page = await agent.get('/admin/unit');
      expect(page.text).toContain('35 unit kabupaten/kota ditambahkan.');
      expect(page.text).toContain('Kota Semarang');
      expect(page.text).toContain('Kabupaten Cilacap');
      expect(await unitCount()).toBe(35);
      // Shown once.
      expect((await agent.get('/admin/unit')).text).not.toContain('ditambahkan.');

      expect((await load(agent)).status).toBe(303);
      expect((await agent.get('/admin/unit')).text).toContain(
        'Semua kabupaten/kota sudah ada; tidak ada unit yang ditambahkan.',
      );
      expect(await unitCount()).toBe(35);
      const events = await t.services.audit.forTarget('unit_reference', 'jateng-kabkota');
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ action: 'unit.reference_loaded', actorUserId: admin.id });
      expect(events[0]?.details).toMatchObject({ added: 35 });
    });

    it('skips a code that is already there', async () => {
      const { agent } = await asAdmin();
      await t.make.unit({ code: '33.74', name: 'Pemkot Semarang', kind: 'kota' });
      await load(agent);
      expect((await agent.get('/admin/unit')).text).toContain('34 unit kabupaten/kota ditambahkan.');
      expect(await unitCount()).toBe(35);
      expect((await t.services.units.findByCode('33.74'))?.name).toBe('Pemkot Semarang');
    });
  });

  describe('operators', () => {
    async function operatorOf() {
      const { setda, biro, bagian, dinkes } = await smallTree();
      const { user, agent } = await logInAs('operator', { unitId: biro.id });
      return { setda, biro, bagian, dinkes, operator: user, agent };
    }

    it('see only their own unit and its subtree', async () => {
      const { setda, biro, bagian, dinkes, agent } = await operatorOf();
      const page = await agent.get('/admin/unit');
      expect(page.status).toBe(200);
      expect(page.text).toContain('Unit kerja Anda beserta seluruh sub-unitnya.');
      expect(rowIds(page.text)).toEqual([biro.id, bagian.id]);
      expect(depthOf(page.text, biro.id)).toBe(0);
      expect(depthOf(page.text, bagian.id)).toBe(1);
      expect(page.text).not.toContain('Dinas Kesehatan');
      expect(page.text).not.toContain('href="/admin/unit/baru"');
      expect(page.text).not.toContain('muat-referensi');

      const own = await agent.get(`/admin/unit/${bagian.id}`);
      expect(own.status).toBe(200);
      expect(own.text).toContain('/kepala"');
      expect(own.text).not.toContain('/pindah"');
      expect(own.text).not.toContain('/nonaktifkan"');
      // The parent above their subtree is named but not linked.
      expect((await agent.get(`/admin/unit/${biro.id}`)).text).not.toContain(
        `href="/admin/unit/${setda.id}"`,
      );

      for (const unit of [setda, dinkes]) {
        expect((await agent.get(`/admin/unit/${unit.id}`)).status).toBe(404);
      }
    });

    it('may choose the head of a unit in their subtree, but not elsewhere', async () => {
      const { bagian, dinkes, operator, agent } = await operatorOf();
      const member = await t.make.user({ unitId: bagian.id, fullName: 'Sari Anggraeni' });
      const res = await postForm(agent, `/admin/unit/${bagian.id}`, `/admin/unit/${bagian.id}/kepala`, {
        head_user_id: String(member.id),
      });
      expect(res.status).toBe(303);
      expect((await t.services.units.findById(bagian.id))?.headUserId).toBe(member.id);
      expect((await eventsFor(bagian.id)).find((e) => e.action === 'unit.head_set')).toMatchObject({
        actorUserId: operator.id,
      });

      const outsider = await t.make.user({ unitId: dinkes.id });
      const crafted = await postForm(agent, '/akun', `/admin/unit/${dinkes.id}/kepala`, {
        head_user_id: String(outsider.id),
      });
      expect(crafted.status).toBe(404);
      expect((await t.services.units.findById(dinkes.id))?.headUserId).toBeNull();
      expect(await eventsFor(dinkes.id)).toEqual([]);
    });

    it('get 403 for every admin-only page and action, and nothing is written', async () => {
      const { biro, dinkes, agent } = await operatorOf();
      const before = await unitRows();
      for (const path of [
        '/admin/unit/baru',
        `/admin/unit/${biro.id}/ubah`,
        `/admin/unit/${dinkes.id}/ubah`,
      ]) {
        const res = await agent.get(path);
        expect(res.status).toBe(403);
        expect(res.text).toContain('Anda tidak memiliki akses ke halaman ini.');
      }
      const posts: [string, Record<string, string>][] = [
        [
          '/admin/unit',
          { code: 'BARU', name: 'Unit Baru', kind: 'dinas', time_zone: '', parent_id: String(biro.id) },
        ],
        [`/admin/unit/${biro.id}`, { code: 'X', name: 'Diganti', kind: 'dinas', time_zone: '' }],
        [`/admin/unit/${biro.id}/pindah`, { parent_id: String(dinkes.id) }],
        [`/admin/unit/${dinkes.id}/pindah`, { parent_id: String(biro.id) }],
        [`/admin/unit/${biro.id}/nonaktifkan`, {}],
        [`/admin/unit/${biro.id}/aktifkan`, {}],
        ['/admin/unit/muat-referensi', {}],
      ];
      for (const [path, fields] of posts) {
        const res = await postForm(agent, '/akun', path, fields);
        expect(res.status, path).toBe(403);
      }
      expect(await unitRows()).toEqual(before);
      expect(await unitEvents()).toEqual([]);
    });

    it('without a unit see an explanation and no units', async () => {
      await smallTree();
      const { agent } = await logInAs('operator', { unitId: null });
      const page = await agent.get('/admin/unit');
      expect(page.status).toBe(200);
      expect(page.text).toContain('belum terhubung ke unit kerja');
      expect(rowIds(page.text)).toEqual([]);
    });
  });

  describe('refusals', () => {
    it('gives signers a 403 page everywhere', async () => {
      const { biro } = await smallTree();
      const { user: signer, agent } = await logInAs('signer', { unitId: biro.id });
      for (const path of ['/admin/unit', `/admin/unit/${biro.id}`, '/admin/unit/baru']) {
        expect((await agent.get(path)).status).toBe(403);
      }
      const res = await postForm(agent, '/akun', `/admin/unit/${biro.id}/kepala`, {
        head_user_id: String(signer.id),
      });
      expect(res.status).toBe(403);
      expect((await t.services.units.findById(biro.id))?.headUserId).toBeNull();
    });

    it('sends a visitor who is not logged in to the login page', async () => {
      const res = await browser(t.app).get('/admin/unit');
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/masuk?next=%2Fadmin%2Funit');
    });

    it('answers unknown and non-canonical ids with 404', async () => {
      const { agent } = await asAdmin();
      const { biro } = await smallTree();
      for (const path of [
        '/admin/unit/424242',
        `/admin/unit/0${biro.id}`,
        '/admin/unit/1e1',
        '/admin/unit/abc/ubah',
        `/admin/unit/${biro.id}.0`,
      ]) {
        expect((await agent.get(path)).status, path).toBe(404);
      }
      const res = await postForm(agent, '/admin/unit', '/admin/unit/424242/pindah', { parent_id: '' });
      expect(res.status).toBe(404);
      const head = await postForm(agent, '/admin/unit', `/admin/unit/0${biro.id}/kepala`, {
        head_user_id: '',
      });
      expect(head.status).toBe(404);
      expect(await unitEvents()).toEqual([]);
    });
  });
});
