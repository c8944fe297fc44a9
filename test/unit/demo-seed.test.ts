import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { createLogger } from '../../src/core/logger.js';
import { verifyPassword } from '../../src/credentials/password.js';
import { checkNip } from '../../src/directory/nip.js';
import { type Prepared, prepareDatabase } from '../../src/startup.js';

const logger = createLogger('silent');
const opened: Prepared[] = [];
const dirs: string[] = [];

function tempDatabasePath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ikrar-demo-'));
  dirs.push(dir);
  return join(dir, 'ikrar.sqlite');
}

async function prepare(path: string, env: NodeJS.ProcessEnv = {}): Promise<Prepared> {
  const prepared = await prepareDatabase(
    loadConfig({ NODE_ENV: 'test', DATABASE_PATH: path, ...env }),
    logger,
  );
  opened.push(prepared);
  return prepared;
}

afterEach(async () => {
  for (const prepared of opened.splice(0)) await prepared.db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface UnitRow {
  id: number;
  code: string;
  kind: string;
  parent_id: number | null;
  head_user_id: number | null;
}

interface UserRow {
  id: number;
  nip: string | null;
  email: string | null;
  full_name: string;
  role: string;
  unit_id: number | null;
  password_hash: string | null;
  status: string;
  must_change_password: number;
}

const unitsOf = async (p: Prepared): Promise<UnitRow[]> =>
  (await sql<UnitRow>`SELECT id, code, kind, parent_id, head_user_id FROM units ORDER BY id`.execute(p.db.q))
    .rows;
const usersOf = async (p: Prepared): Promise<UserRow[]> =>
  (await sql<UserRow>`SELECT * FROM users ORDER BY id`.execute(p.db.q)).rows;
const userByEmail = async (p: Prepared, email: string): Promise<UserRow | undefined> =>
  (await sql<UserRow>`SELECT * FROM users WHERE email = ${email}`.execute(p.db.q)).rows[0];

describe('prepareDatabase on an empty database in demo mode', () => {
  it('seeds the 52 OPD and the 35 kabupaten/kota, with every Biro under SETDA', async () => {
    const prepared = await prepare(tempDatabasePath());
    const units = await unitsOf(prepared);
    expect(units).toHaveLength(87);
    expect(units.filter((u) => u.kind === 'kabupaten' || u.kind === 'kota')).toHaveLength(35);
    expect(prepared.demo).toMatchObject({ units: 87, users: (await usersOf(prepared)).length, pacts: 2 });
    const setda = units.find((u) => u.code === 'SETDA');
    expect(setda).toBeDefined();
    const biros = units.filter((u) => u.kind === 'biro');
    expect(biros.length).toBeGreaterThan(0);
    for (const biro of biros) expect(biro.parent_id, biro.code).toBe(setda?.id);
  });

  it('gives every unit a head who works in that unit', async () => {
    const prepared = await prepare(tempDatabasePath());
    const users = new Map((await usersOf(prepared)).map((u) => [u.id, u]));
    for (const unit of await unitsOf(prepared)) {
      expect(unit.head_user_id, unit.code).not.toBeNull();
      expect(users.get(unit.head_user_id as number)?.unit_id, unit.code).toBe(unit.id);
    }
  });

  it('gives every OPD 5 to 20 staff besides its head, plus the two demo accounts in DISKOMINFO', async () => {
    const prepared = await prepare(tempDatabasePath());
    const users = await usersOf(prepared);
    const demoStaff = new Set(['operator@ikrar.test', 'asn@ikrar.test']);
    for (const unit of (await unitsOf(prepared)).filter((u) => u.kind !== 'kabupaten' && u.kind !== 'kota')) {
      const members = users.filter((u) => u.unit_id === unit.id);
      const staff = members.filter((u) => u.id !== unit.head_user_id && !demoStaff.has(u.email ?? ''));
      expect(staff.length, unit.code).toBeGreaterThanOrEqual(5);
      expect(staff.length, unit.code).toBeLessThanOrEqual(20);
      const demoHere = members.filter((u) => demoStaff.has(u.email ?? ''));
      expect(demoHere.length, unit.code).toBe(unit.code === 'DISKOMINFO' ? 2 : 0);
    }
    // Everyone but the admin belongs to a unit.
    expect(users.filter((u) => u.unit_id === null).map((u) => u.email)).toEqual(['admin@ikrar.test']);
  });

  it('creates the four demo accounts with their names and roles', async () => {
    const prepared = await prepare(tempDatabasePath());
    const diskominfo = (await unitsOf(prepared)).find((u) => u.code === 'DISKOMINFO');
    expect(diskominfo).toBeDefined();

    const admin = await userByEmail(prepared, 'admin@ikrar.test');
    expect(admin).toMatchObject({
      full_name: 'Administrator Ikrar',
      role: 'admin',
      nip: null,
      unit_id: null,
    });

    const operator = await userByEmail(prepared, 'operator@ikrar.test');
    expect(operator).toMatchObject({ full_name: 'Sri Wahyuni', role: 'operator', unit_id: diskominfo?.id });

    const kepala = await userByEmail(prepared, 'kepala@ikrar.test');
    expect(kepala).toMatchObject({ full_name: 'Bambang Setiawan', role: 'signer', unit_id: diskominfo?.id });
    expect(diskominfo?.head_user_id).toBe(kepala?.id);

    const asn = await userByEmail(prepared, 'asn@ikrar.test');
    expect(asn).toMatchObject({ full_name: 'Dewi Lestari', role: 'signer', unit_id: diskominfo?.id });

    for (const account of [admin, operator, kepala, asn]) {
      expect(account).toMatchObject({ status: 'active', must_change_password: 0 });
    }
  });

  it('has one admin and one operator only', async () => {
    const prepared = await prepare(tempDatabasePath());
    const users = await usersOf(prepared);
    expect(users.filter((u) => u.role === 'admin').map((u) => u.email)).toEqual(['admin@ikrar.test']);
    expect(users.filter((u) => u.role === 'operator').map((u) => u.email)).toEqual(['operator@ikrar.test']);
  });

  it('gives everyone but the admin a valid, unique PNS NIP', async () => {
    const prepared = await prepare(tempDatabasePath());
    const today = new Date();
    const nips = (await usersOf(prepared)).filter((u) => u.role !== 'admin').map((u) => u.nip);
    const invalid = nips.filter(
      (nip) => nip === null || !checkNip(nip, 'PNS', today, prepared.services.timeZone).ok,
    );
    expect(invalid).toEqual([]);
    expect(new Set(nips).size).toBe(nips.length);
  });

  it('lets the demo accounts log in with the demo password', async () => {
    const prepared = await prepare(tempDatabasePath());
    const kepala = await prepared.services.users.findByEmail('kepala@ikrar.test');
    expect(kepala?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(kepala?.passwordHash ?? '', 'ikrar-demo')).toBe(true);
    expect(await verifyPassword(kepala?.passwordHash ?? '', 'ikrar-demo2')).toBe(false);
  });

  it('makes the same people in every fresh demo database', async () => {
    const people = async (p: Prepared): Promise<unknown[]> =>
      (await sql`SELECT email, nip, full_name FROM users ORDER BY id`.execute(p.db.q)).rows;
    const first = await prepare(tempDatabasePath());
    const second = await prepare(tempDatabasePath());
    expect((await people(first)).length).toBeGreaterThan(52);
    expect(await people(second)).toEqual(await people(first));
  });
});

describe('prepareDatabase on a database already in use', () => {
  it('does not seed again', async () => {
    const path = tempDatabasePath();
    const first = await prepare(path);
    const count = await first.services.users.count();
    await first.db.close();
    opened.splice(opened.indexOf(first), 1);

    const second = await prepare(path);
    expect(second.demo).toBeNull();
    expect(await second.services.users.count()).toBe(count);
    expect(await unitsOf(second)).toHaveLength(87);
  });
});

describe('prepareDatabase with demo mode off', () => {
  it('migrates but seeds nothing', async () => {
    const prepared = await prepare(tempDatabasePath(), { IKRAR_DEMO: '0' });
    expect(prepared.demo).toBeNull();
    expect(await prepared.services.users.count()).toBe(0);
    expect(await unitsOf(prepared)).toHaveLength(0);
  });
});

describe('the demo pacts', () => {
  it('opens a heads pact most heads have signed, leaving Pemalang, Pati and the demo head outstanding', async () => {
    const prepared = await prepare(tempDatabasePath());
    const { services } = prepared;
    const [heads, all] = (await services.pacts.listByStatus('open')).sort((a, b) => a.id - b.id);
    expect(heads?.audience).toBe('heads');
    expect(heads?.title).toContain('Pemilu dan Pemilihan Serentak 2024');
    expect(all?.audience).toBe('all');
    const headOf = async (code: string) => (await services.units.findByCode(code))?.headUserId as number;
    for (const code of ['33.27', '33.18', 'DISKOMINFO']) {
      expect(
        await services.signatures.findValid(heads?.id as number, await headOf(code)),
        code,
      ).toBeUndefined();
    }
    expect((await services.units.findByCode('33.27'))?.name).toBe('Kabupaten Pemalang');
    expect((await services.units.findByCode('33.18'))?.name).toBe('Kabupaten Pati');
    const units = await services.units.listActive();
    const signedHeads = [];
    for (const u of units) {
      if (await services.signatures.findValid(heads?.id as number, u.headUserId as number))
        signedHeads.push(u);
    }
    expect(signedHeads.length).toBe(units.length - 6);
  });

  it('has the all-ASN pact partly signed, but not by the demo signer accounts', async () => {
    const prepared = await prepare(tempDatabasePath());
    const { services } = prepared;
    const all = (await services.pacts.listByStatus('open')).find((p) => p.audience === 'all');
    const signed = await services.signatures.countValid(all?.id as number);
    const people = await services.users.countActive();
    expect(signed / people).toBeGreaterThan(0.4);
    expect(signed / people).toBeLessThan(0.7);
    for (const email of ['kepala@ikrar.test', 'asn@ikrar.test']) {
      const user = await services.users.findByEmail(email);
      expect(await services.signatures.forUser(user?.id as number), email).toEqual([]);
    }
  });

  it('records every demo signing in a ledger whose chain verifies', async () => {
    const prepared = await prepare(tempDatabasePath());
    const { verifyLedger } = await import('../../src/ledger/verify-ledger.js');
    const check = await verifyLedger(prepared.services.ledger, prepared.services.clock);
    expect(check.ok).toBe(true);
    expect(check.entries).toBe(prepared.demo?.signatures);
  });
});
