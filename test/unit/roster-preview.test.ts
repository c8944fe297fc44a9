import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/record-event.js';
import { systemClock } from '../../src/core/clock.js';
import { DEFAULT_TIME_ZONE, timeZone } from '../../src/core/time-zone.js';
import { type Db, openDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { applyRosterImport } from '../../src/directory/roster/apply.js';
import { previewRoster } from '../../src/directory/roster/preview.js';
import type { User } from '../../src/directory/types.js';
import { personFactory, seededRandom } from '../../src/seed/people.js';
import { createServices, type Services } from '../../src/services.js';
import { classifyRoster, type RosterSheet, sheetFeed } from '../helpers/roster-sheet.js';

const COLUMNS = ['nip', 'nama', 'jabatan', 'kode_unit', 'email', 'jenis', 'kepala'] as const;

/** A sheet with every column, from rows of up to seven cells. */
const sheetOf = (rows: string[][]): RosterSheet => ({
  headers: [...COLUMNS],
  columns: [...COLUMNS],
  rows: rows.map((cells, i) => ({ line: i + 2, cells: COLUMNS.map((_, c) => cells[c] ?? '') })),
});

describe('classifyRoster and applyRosterImport', () => {
  let db: Db;
  let services: Services;
  const person = personFactory(seededRandom(7));
  const nip = () => person({ bornFrom: 1970, bornTo: 1995 }).nip;
  let admin: User;
  let units: { kominfo: number; bidang: number; dinkes: number };

  const addUser = async (fields: Partial<User> & { unitId: number | null }) => {
    const id = await services.users.insert(
      {
        nip: fields.nip === undefined ? nip() : fields.nip,
        employeeType: fields.employeeType ?? 'PNS',
        email: fields.email ?? null,
        fullName: fields.fullName ?? 'Pegawai Uji',
        position: fields.position ?? '',
        pangkat: null,
        unitId: fields.unitId,
        role: fields.role ?? 'signer',
        passwordHash: null,
        mustChangePassword: false,
      },
      new Date(),
    );
    return (await services.users.findById(id)) as User;
  };

  beforeEach(async () => {
    db = openDatabase(':memory:');
    await migrate(db);
    services = createServices(db, systemClock, timeZone(DEFAULT_TIME_ZONE));
    const now = new Date();
    const kominfo = await services.units.insert(
      { code: 'DISKOMINFO', name: 'Kominfo', kind: 'dinas', parentId: null },
      now,
    );
    const bidang = await services.units.insert(
      { code: 'BIDANG-TI', name: 'Bidang TI', kind: 'bidang', parentId: kominfo },
      now,
    );
    const dinkes = await services.units.insert(
      { code: 'DINKES', name: 'Dinkes', kind: 'dinas', parentId: null },
      now,
    );
    units = { kominfo, bidang, dinkes };
    admin = await addUser({ nip: null, email: 'admin@uji.test', role: 'admin', unitId: null });
  });
  afterEach(() => db.close());

  /** Previews a sheet as the admin; the import's id. */
  const previewId = async (sheet: RosterSheet) => {
    const previewed = await previewRoster(services, {
      feed: sheetFeed(sheet),
      fileName: 'a.csv',
      manager: admin,
      actor: systemActor,
    });
    if (!previewed.ok) throw new Error(previewed.problem);
    return previewed.importId;
  };
  const reasons = async (sheet: RosterSheet, manager: User = admin) =>
    (await classifyRoster(services, sheet, manager)).map(
      (row) => row.outcome.reason?.key ?? row.outcome.status,
    );

  it('does not let a rejected row claim an email or a head from a later valid row', async () => {
    expect(
      await reasons(
        sheetOf([
          [nip(), 'Unit Asing', '', 'ASING', 'sama@uji.test', '', 'ya'],
          ['123', 'NIP Salah', '', 'DINKES', '', '', 'ya'],
          [nip(), 'Sah Satu', '', 'DINKES', 'sama@uji.test', '', 'ya'],
        ]),
      ),
    ).toEqual(['admin.import.reason.unit_unknown', 'nip.format', 'new']);
  });

  it('gives one reason per row, in a fixed order', async () => {
    const taken = await addUser({ unitId: units.dinkes, email: 'ada@uji.test' });
    const a = nip();
    expect(
      await reasons(
        sheetOf([
          [a, 'Ani Lestari', '', 'DINKES'],
          ['', 'Tanpa NIP', '', 'DINKES'],
          ['19861326201505100 1', 'Bulan Salah', '', 'DINKES'],
          [a, 'Kembar', '', 'DINKES'],
          [nip(), 'Tanpa Unit', '', ''],
          [nip(), 'Unit Asing', '', 'ASING'],
          [nip(), 'Email Salah', '', 'DINKES', 'bukan-email'],
          [nip(), 'Email Dipakai', '', 'DINKES', 'ADA@uji.test'],
          [nip(), 'X', '', 'DINKES'],
          [nip(), 'Jenis', '', 'DINKES', '', 'honorer'],
          // Both a bad jenis and a bad NIP: the jenis comes first.
          ['1', 'Dua Masalah', '', 'DINKES', '', 'X'],
          [taken.nip as string, 'Tetap', '', 'dinkes'],
        ]),
      ),
    ).toEqual([
      'new',
      'admin.import.reason.nip_required',
      'nip.birth_date',
      'admin.import.reason.nip_duplicate',
      'admin.import.reason.unit_required',
      'admin.import.reason.unit_unknown',
      'user.form.email_invalid',
      'user.form.email_taken',
      'user.form.name_invalid',
      'admin.import.reason.jenis_invalid',
      'admin.import.reason.jenis_invalid',
      'changed',
    ]);
  });

  it('checks a PPPK number with the looser PPPK rule', async () => {
    // Digits 9-14 are not a TMT month for PPPK.
    const pppk = '198609262021131001';
    expect(await reasons(sheetOf([[pppk, 'Pegawai PPPK', '', 'DINKES', '', 'PPPK']]))).toEqual(['new']);
    expect(await reasons(sheetOf([[pppk, 'Pegawai PNS', '', 'DINKES', '', 'PNS']]))).toEqual([
      'nip.tmt_month',
    ]);
  });

  it('describes what changes, keeping what empty cells leave out', async () => {
    const user = await addUser({
      unitId: units.dinkes,
      email: 'lama@uji.test',
      fullName: 'Ani Lestari',
      position: 'Analis',
    });
    const [row] = await classifyRoster(
      services,
      sheetOf([[user.nip as string, 'Ani  Lestari Putri', '', 'diskominfo', '', 'PPPK', 'ya']]),
      admin,
    );
    expect(row?.outcome).toEqual({
      line: 2,
      status: 'changed',
      changes: [
        { field: 'fullName', from: 'Ani Lestari', to: 'Ani Lestari Putri' },
        { field: 'employeeType', from: 'PNS', to: 'PPPK' },
        { field: 'unit', from: 'DINKES', to: 'DISKOMINFO' },
        { field: 'head', from: null, to: 'DISKOMINFO' },
      ],
    });
    expect(row?.input).toMatchObject({ email: 'lama@uji.test', position: 'Analis', role: 'signer' });
  });

  it('holds an operator to their subtree and to the signers in it', async () => {
    const operator = await addUser({ role: 'operator', unitId: units.kominfo, email: 'op@uji.test' });
    const mine = await addUser({ unitId: units.bidang });
    const theirs = await addUser({ unitId: units.dinkes });
    const fellow = await addUser({ role: 'operator', unitId: units.bidang });
    const someAdmin = await addUser({ role: 'admin', unitId: units.kominfo });
    expect(
      await reasons(
        sheetOf([
          [nip(), 'Baru Di Bidang', '', 'BIDANG-TI'],
          [nip(), 'Baru Di Dinkes', '', 'DINKES'],
          [mine.nip as string, 'Pindah Keluar', '', 'DINKES'],
          [theirs.nip as string, 'Tarik Masuk', '', 'DISKOMINFO'],
          [fellow.nip as string, 'Operator', '', 'BIDANG-TI'],
          [someAdmin.nip as string, 'Admin', '', 'DISKOMINFO'],
          [operator.nip as string, 'Saya Sendiri', '', 'DISKOMINFO'],
        ]),
        operator,
      ),
    ).toEqual([
      'new',
      'user.form.unit_out_of_scope',
      'user.form.unit_out_of_scope',
      'admin.import.reason.not_manageable',
      'admin.import.reason.not_manageable',
      'admin.import.reason.not_manageable',
      'admin.import.reason.not_manageable',
    ]);
    const lost = await addUser({ role: 'operator', unitId: null, email: 'tanpa-unit@uji.test' });
    expect(await reasons(sheetOf([[nip(), 'Siapa Saja', '', 'DINKES']]), lost)).toEqual([
      'user.form.unit_out_of_scope',
    ]);
  });

  it('refuses a second head for one unit and a disabled head; an unchanged head is no change', async () => {
    const head = await addUser({ unitId: units.dinkes });
    await services.units.setHead(units.dinkes, head.id, new Date());
    const disabled = await addUser({ unitId: units.bidang });
    await services.users.setStatus(disabled.id, 'disabled', new Date());
    expect(
      await reasons(
        sheetOf([
          [head.nip as string, head.fullName, head.position, 'DINKES', '', '', 'ya'],
          [nip(), 'Kepala Kedua', '', 'dinkes', '', '', 'YA'],
          [disabled.nip as string, disabled.fullName, '', 'BIDANG-TI', '', '', 'ya'],
          [nip(), 'Kepala Kominfo', '', 'DISKOMINFO', '', '', 'ya'],
        ]),
      ),
    ).toEqual([
      'unchanged',
      'admin.import.reason.head_duplicate',
      'admin.import.reason.head_disabled',
      'new',
    ]);
  });

  it('applies all or nothing: a failure half way leaves no trace', async () => {
    const sheet = sheetOf([
      [nip(), 'Ani Lestari', '', 'DINKES', 'ani@uji.test'],
      [nip(), 'Budi Santoso', '', 'DINKES', 'budi@uji.test'],
    ]);
    const importId = await previewId(sheet);
    const users = async () => {
      const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM users`.execute(db.q);
      return rows[0]?.n as number;
    };
    const before = await users();
    // The people are written, then the disk fills before their audit events are.
    const insertMany = services.users.insertMany;
    services.users.insertMany = async (...args) => {
      await insertMany(...args);
      expect(await users()).toBe(before + 2);
      throw new Error('disk full');
    };
    await expect(
      applyRosterImport(services, { importId, manager: admin, actor: systemActor }),
    ).rejects.toThrow('disk full');
    services.users.insertMany = insertMany;
    expect(await users()).toBe(before);
    // Only the preview's own event.
    expect((await services.audit.recent(100)).map((event) => event.action)).toEqual(['roster.previewed']);
    const done = await applyRosterImport(services, { importId, manager: admin, actor: systemActor });
    expect(done).toMatchObject({ ok: true, result: { created: 2 } });
    expect(await users()).toBe(before + 2);
  });

  it('invites new people with an email, and people without a password whose email the import sets', async () => {
    const noEmailYet = await addUser({ unitId: units.dinkes, fullName: 'Belum Ada Email' });
    const sameEmail = await addUser({
      unitId: units.dinkes,
      fullName: 'Email Tetap',
      email: 'tetap@uji.test',
    });
    const withPassword = await addUser({ unitId: units.dinkes, fullName: 'Sudah Bersandi' });
    await services.users.setPassword(withPassword.id, 'hash', false, new Date());
    const [fresh, freshNoEmail] = [nip(), nip()];
    const importId = await previewId(
      sheetOf([
        [fresh, 'Orang Baru', '', 'DINKES', 'baru@uji.test'],
        [freshNoEmail, 'Baru Tanpa Email', '', 'DINKES'],
        [noEmailYet.nip as string, noEmailYet.fullName, '', 'DINKES', 'kini@uji.test'],
        [sameEmail.nip as string, 'Email Tetap Diganti Nama', '', 'DINKES', 'tetap@uji.test'],
        [withPassword.nip as string, withPassword.fullName, '', 'DINKES', 'bersandi@uji.test'],
      ]),
    );
    const applied = await applyRosterImport(services, { importId, manager: admin, actor: systemActor });
    if (!applied.ok) throw new Error(applied.reason);
    expect(applied.result).toMatchObject({ created: 2, createdWithoutEmail: 1, updated: 3 });
    expect(applied.inviteUserIds).toEqual([(await services.users.findByNip(fresh))?.id, noEmailYet.id]);
  });

  it('lets only the creator apply, once', async () => {
    const other = await addUser({ role: 'admin', unitId: null, nip: null, email: 'lain@uji.test' });
    const importId = await previewId(sheetOf([[nip(), 'Ani Lestari', '', 'DINKES']]));
    expect(await applyRosterImport(services, { importId, manager: other, actor: systemActor })).toEqual({
      ok: false,
      reason: 'not_found',
    });
    expect((await applyRosterImport(services, { importId, manager: admin, actor: systemActor })).ok).toBe(
      true,
    );
    expect(await applyRosterImport(services, { importId, manager: admin, actor: systemActor })).toEqual({
      ok: false,
      reason: 'already_applied',
    });
  });
});
