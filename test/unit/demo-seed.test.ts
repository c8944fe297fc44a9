import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { createLogger } from '../../src/core/logger.js';
import { timeZone } from '../../src/core/time-zone.js';
import { verifyPassword } from '../../src/credentials/password.js';
import { checkNip } from '../../src/directory/nip.js';
import type { Pact } from '../../src/pledges/types.js';
import { DEMO_UNIT_STAFF } from '../../src/seed/demo.js';
import { demoPactTitles, demoPactYear } from '../../src/seed/demo-pacts.js';
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
  position: string;
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
    expect(prepared.demo).toMatchObject({ units: 87, users: (await usersOf(prepared)).length, pacts: 3 });
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

  it('gives every OPD 5 to 20 staff besides its head, DISKOMINFO its fixed staff and the two demo accounts', async () => {
    const prepared = await prepare(tempDatabasePath());
    const users = await usersOf(prepared);
    const demoStaff = new Set(['operator@ikrar.test', 'asn@ikrar.test']);
    for (const unit of (await unitsOf(prepared)).filter((u) => u.kind !== 'kabupaten' && u.kind !== 'kota')) {
      const members = users.filter((u) => u.unit_id === unit.id);
      const staff = members.filter((u) => u.id !== unit.head_user_id && !demoStaff.has(u.email ?? ''));
      if (unit.code === 'DISKOMINFO') {
        expect(staff.length).toBe(DEMO_UNIT_STAFF);
        // One Sekretaris and one head of each subdivision, however many staff.
        expect(staff.filter((u) => u.position === 'Sekretaris')).toHaveLength(1);
        continue;
      }
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

  it('makes the same people and signings in every fresh demo database', async () => {
    const people = async (p: Prepared): Promise<unknown[]> =>
      (await sql`SELECT email, nip, full_name FROM users ORDER BY id`.execute(p.db.q)).rows;
    const first = await prepare(tempDatabasePath());
    const second = await prepare(tempDatabasePath());
    expect((await people(first)).length).toBeGreaterThan(52);
    expect(await people(second)).toEqual(await people(first));
    // And the same of them have signed which pact, however the hour of seeding moved the times of signing.
    const signers = async (p: Prepared): Promise<unknown[]> =>
      (await sql`SELECT pact_id, user_id, method FROM signatures ORDER BY pact_id, user_id`.execute(p.db.q))
        .rows;
    expect((await signers(first)).length).toBeGreaterThan(400);
    expect(await signers(second)).toEqual(await signers(first));
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
  it('opens a heads pact of this year most heads have signed, leaving the demo head and four other OPD', async () => {
    const prepared = await prepare(tempDatabasePath());
    const { services } = prepared;
    const [heads, all] = (await services.pacts.listByStatus('open')).sort((a, b) => a.id - b.id);
    const titles = demoPactTitles(demoPactYear(services.clock.now(), services.timeZone));
    expect(heads).toMatchObject({ id: 1, audience: 'heads', title: titles.heads });
    expect(all).toMatchObject({ id: 2, audience: 'all', title: titles.all });
    // Every unit's head: the 52 OPD and the 35 kabupaten/kota.
    const compliance = await services.complianceCache.forPact(heads as Pact);
    expect(compliance.required).toBe(87);
    expect(compliance.signed).toBe(82);
    expect(compliance.headsOutstanding.map((u) => u.code).sort()).toEqual(
      ['BAPENDA', 'DISKOMINFO', 'DISPORAPAR', 'DKP', 'RSUD-REHATTA'].sort(),
    );
  });

  it('has the all-ASN pact partly signed, but not by the demo signer accounts', async () => {
    const prepared = await prepare(tempDatabasePath());
    const { services } = prepared;
    const all = (await services.pacts.listByStatus('open')).find((p) => p.audience === 'all') as Pact;
    const { signed, required } = await services.complianceCache.forPact(all);
    expect(signed / required).toBeGreaterThan(0.4);
    expect(signed / required).toBeLessThan(0.7);
    for (const email of ['kepala@ikrar.test', 'asn@ikrar.test']) {
      const user = await services.users.findByEmail(email);
      const online = (await services.signatures.forUser(user?.id as number)).filter(
        (s) => s.method === 'online',
      );
      expect(online, email).toEqual([]);
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

describe('demoPactYear', () => {
  it('is the coming year from October, else this one', () => {
    const zone = timeZone('Asia/Jakarta');
    expect(demoPactYear(new Date('2026-12-07T12:00:00Z'), zone)).toBe(2027);
    expect(demoPactYear(new Date('2027-03-01T12:00:00Z'), zone)).toBe(2027);
    // 1 October 00:30 in Jakarta is still 30 September in UTC.
    expect(demoPactYear(new Date('2027-09-30T17:30:00Z'), zone)).toBe(2028);
    expect(demoPactTitles(2027).all).toBe(
      'Pakta Integritas Netralitas Aparatur Sipil Negara Pemerintah Provinsi Jawa Tengah Tahun 2027',
    );
  });
});
