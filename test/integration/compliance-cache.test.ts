import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/record-event.js';
import type { PactCompliance } from '../../src/compliance/summary.js';
import { openConfiguredDatabase } from '../../src/db/database.js';
import type { Unit, User } from '../../src/directory/types.js';
import { moveUnit } from '../../src/directory/units/move-unit.js';
import { setUnitActive } from '../../src/directory/units/set-unit-active.js';
import { setUnitHead } from '../../src/directory/units/set-unit-head.js';
import { updateUnit } from '../../src/directory/units/update-unit.js';
import { createUser, updateUser } from '../../src/directory/users/save-user.js';
import { setUserStatus } from '../../src/directory/users/set-user-status.js';
import { openPact } from '../../src/pledges/pacts/open-pact.js';
import { revisePact } from '../../src/pledges/pacts/revise-pact.js';
import { updatePact } from '../../src/pledges/pacts/update-pact.js';
import { voidSignature } from '../../src/pledges/receipts/void-signature.js';
import { signPact } from '../../src/pledges/signing/sign-pact.js';
import type { Pact } from '../../src/pledges/types.js';
import { personFactory, seededRandom } from '../../src/seed/people.js';
import { createServices } from '../../src/services.js';
import { makePact, PACT_BODY, signAs } from '../helpers/pacts.js';
import { makePost } from '../helpers/posts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const DAY = 24 * 3_600_000;
const admin = { id: -1, role: 'admin' as const, unitId: null };

interface Counts {
  required: number;
  signed: number;
}

/** The items for which `keep` resolves to true, in order, one at a time. */
async function filterAsync<T>(items: readonly T[], keep: (item: T) => Promise<boolean>): Promise<T[]> {
  const kept: T[] = [];
  for (const item of items) if (await keep(item)) kept.push(item);
  return kept;
}

/**
 * The compliance cache must always give what a fresh count of the current directory gives. The fresh count here is
 * made without the cache and without its counts: person by person with the rule the signing itself uses
 * (pacts.requirement, over the view pact_required) and the signature lookup (findValid).
 */
describe('compliance cache', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  // --- The fresh count -------------------------------------------------------------------------------------

  const pactNow = async (pact: Pick<Pact, 'id'>): Promise<Pact> =>
    (await t.services.pacts.findById(pact.id)) as Pact;
  const everyone = async (): Promise<User[]> => {
    const { rows } = await sql<{ id: number }>`SELECT id FROM users ORDER BY id`.execute(t.db.q);
    const users: User[] = [];
    for (const row of rows) users.push((await t.services.users.findById(row.id)) as User);
    return users;
  };
  const hasSigned = async (pact: Pact, user: User): Promise<boolean> =>
    (await t.services.signatures.findValid(pact.id, user.id)) !== undefined;
  const isRequired = async (pact: Pact, user: User): Promise<boolean> =>
    (await t.services.pacts.requirement(pact.id, user.id)) !== undefined;

  /** Totals: every person the pact requires now (each person once), and those of them with a valid signature. */
  async function freshTotals(pact: Pact): Promise<Counts> {
    const required = await filterAsync(await everyone(), (user) => isRequired(pact, user));
    return {
      required: required.length,
      signed: (await filterAsync(required, (user) => hasSigned(pact, user))).length,
    };
  }

  /** Per active unit in the pact's scope, by name: its required people (its head, or its active members). */
  async function freshUnits(pact: Pact): Promise<Record<string, Counts>> {
    const users = await everyone();
    const inScope = new Set(
      (
        await sql<{ unit_id: number }>`SELECT unit_id FROM pact_scope WHERE pact_id = ${pact.id}`.execute(
          t.db.q,
        )
      ).rows.map((row) => row.unit_id),
    );
    const result: Record<string, Counts> = {};
    for (const unit of (await t.services.units.listActive()).filter((u) => inScope.has(u.id))) {
      const people = await filterAsync(
        users,
        async (user) => user.unitId === unit.id && (await isRequired(pact, user)),
      );
      result[unit.name] = {
        required: people.length,
        signed: (await filterAsync(people, (p) => hasSigned(pact, p))).length,
      };
    }
    return result;
  }

  const unitsOf = (summary: PactCompliance): Record<string, Counts> =>
    Object.fromEntries(summary.units.map((u) => [u.name, { required: u.required, signed: u.signed }]));

  /** The heads pact's outstanding units, recounted: active units in scope whose required head has not signed. */
  async function freshOutstanding(pact: Pact): Promise<string[]> {
    if (pact.audience !== 'heads') return [];
    return Object.entries(await freshUnits(pact))
      .filter(([, counts]) => counts.required === 1 && counts.signed === 0)
      .map(([name]) => name)
      .sort();
  }

  async function expectFresh(pact: Pick<Pact, 'id'>): Promise<PactCompliance> {
    const now = await pactNow(pact);
    const summary = await t.services.complianceCache.forPact(now);
    expect({ required: summary.required, signed: summary.signed }, `totals of ${now.title}`).toEqual(
      await freshTotals(now),
    );
    expect(unitsOf(summary), `units of ${now.title}`).toEqual(await freshUnits(now));
    expect(summary.headsOutstanding.map((u) => u.name).sort(), `outstanding of ${now.title}`).toEqual(
      await freshOutstanding(now),
    );
    expect(summary.pact.status).toBe(now.status);
    return summary;
  }

  /** openPacts() lists exactly the open pacts, soonest deadline first, each with fresh numbers. */
  async function expectOpenPactsFresh(): Promise<PactCompliance[]> {
    const list = await t.services.complianceCache.openPacts();
    const open = (await t.services.pacts.listByStatus('open')).sort(
      (a, b) => a.deadline.localeCompare(b.deadline) || a.id - b.id,
    );
    expect(list.map((c) => c.pact.id)).toEqual(open.map((p) => p.id));
    for (const entry of list) {
      const pact = await pactNow(entry.pact);
      expect({ required: entry.required, signed: entry.signed }, `open ${pact.title}`).toEqual(
        await freshTotals(pact),
      );
      expect(unitsOf(entry), `open ${pact.title} units`).toEqual(await freshUnits(pact));
    }
    return list;
  }

  // --- A small province ------------------------------------------------------------------------------------

  async function province() {
    const unit = (code: string, name: string, parent: Unit | null = null, kind = 'biro') =>
      t.make.unit({ code, name, kind, parentId: parent?.id ?? null });
    const setda = await unit('SETDA', 'Sekretariat Daerah', null, 'sekretariat');
    const biroUmum = await unit('BIRO-UMUM', 'Biro Umum', setda);
    const biroOrg = await unit('BIRO-ORG', 'Biro Organisasi', setda);
    const dinkes = await unit('DINKES', 'Dinas Kesehatan', null, 'dinas');
    const pati = await unit('PATI', 'Kabupaten Pati', null, 'kabupaten');

    const person = (fullName: string, home: Unit) => t.make.user({ fullName, unitId: home.id });
    const sekda = await person('Sumarno Hadi', setda);
    const staffSetda = await person('Ani Lestari', setda);
    const kabiroUmum = await person('Budi Santoso', biroUmum);
    const staffUmum1 = await person('Citra Dewi', biroUmum);
    const staffUmum2 = await person('Dedi Kurniawan', biroUmum);
    const kabiroOrg = await person('Eko Prasetyo', biroOrg);
    const staffOrg = await person('Fitri Handayani', biroOrg);
    const kadinkes = await person('Yunita Dyah Suminar', dinkes);
    const staffDinkes = await person('Gilang Ramadhan', dinkes);
    const bupati = await person('Henggar Budi Anggoro', pati);
    await t.make.user({ role: 'admin', unitId: null, nip: null, fullName: 'Admin Provinsi' });

    const makeHead = async (u: Unit, head: User) => {
      const done = await setUnitHead(t.services, {
        unitId: u.id,
        userId: head.id,
        scope: { kind: 'all' },
        actor: systemActor,
      });
      expect(done.ok).toBe(true);
    };
    await makeHead(setda, sekda);
    await makeHead(biroUmum, kabiroUmum);
    await makeHead(biroOrg, kabiroOrg);
    await makeHead(dinkes, kadinkes);
    await makeHead(pati, bupati);

    const now = t.clock.now().getTime();
    const allSetda = await makePact(t.services, {
      title: 'Pakta ASN Setda',
      audience: 'all',
      unitIds: [setda.id],
      deadline: new Date(now + 5 * DAY),
    });
    const allEverywhere = await makePact(t.services, {
      title: 'Pakta ASN Provinsi',
      audience: 'all',
      deadline: new Date(now + 6 * DAY),
    });
    const headsSetda = await makePact(t.services, {
      title: 'Pakta Kepala Setda',
      audience: 'heads',
      unitIds: [setda.id],
      deadline: new Date(now + 7 * DAY),
    });
    const headsEverywhere = await makePact(t.services, {
      title: 'Pakta Kepala OPD',
      audience: 'heads',
      deadline: new Date(now + 8 * DAY),
    });

    const receipts: Record<string, string> = {};
    const sign = async (pact: Pact, user: User) => {
      const receiptCode = await signAs(t.services, pact, user);
      receipts[`${pact.id}:${user.id}`] = receiptCode;
      return receiptCode;
    };
    await sign(allSetda, staffUmum1);
    await sign(allSetda, kabiroUmum);
    await sign(allSetda, sekda);
    await sign(allEverywhere, staffUmum1);
    await sign(allEverywhere, staffDinkes);
    await sign(headsSetda, kabiroUmum);
    await sign(headsEverywhere, kabiroUmum);
    await sign(headsEverywhere, kadinkes);

    return {
      units: { setda, biroUmum, biroOrg, dinkes, pati },
      people: {
        sekda,
        staffSetda,
        kabiroUmum,
        staffUmum1,
        staffUmum2,
        kabiroOrg,
        staffOrg,
        kadinkes,
        staffDinkes,
        bupati,
      },
      pacts: { allSetda, allEverywhere, headsSetda, headsEverywhere },
      sign,
      receipts,
    };
  }
  type Province = Awaited<ReturnType<typeof province>>;

  /** Reads every number through the cache, so that what follows a change would be stale if it were not recounted. */
  const warm = async (p: Province) => {
    for (const pact of Object.values(p.pacts)) await t.services.complianceCache.forPact(await pactNow(pact));
    await t.services.complianceCache.openPacts();
  };
  const totals = async (pact: Pact): Promise<Counts> => {
    const s = await t.services.complianceCache.forPact(await pactNow(pact));
    return { required: s.required, signed: s.signed };
  };
  const expectEverythingFresh = async (p: Province) => {
    for (const pact of Object.values(p.pacts)) await expectFresh(pact);
    await expectOpenPactsFresh();
  };
  const move = (user: User, to: Unit) => t.make.move(user, to);

  it('starts out equal to a fresh count', async () => {
    const p = await province();
    await expectEverythingFresh(p);
    // The numbers this world was built to give, so that the fresh count itself is known to be right.
    expect(await totals(p.pacts.allSetda)).toEqual({ required: 7, signed: 3 });
    expect(await totals(p.pacts.allEverywhere)).toEqual({ required: 10, signed: 2 });
    expect(await totals(p.pacts.headsSetda)).toEqual({ required: 3, signed: 1 });
    expect(await totals(p.pacts.headsEverywhere)).toEqual({ required: 5, signed: 2 });
    expect(
      (await t.services.complianceCache.forPact(await pactNow(p.pacts.headsEverywhere))).headsOutstanding.map(
        (u) => u.name,
      ),
    ).toEqual(['Biro Organisasi', 'Kabupaten Pati', 'Sekretariat Daerah']);
  });

  describe('really caches', () => {
    it('returns the same object until something changes, and a new one after', async () => {
      const p = await province();
      const pact = await pactNow(p.pacts.allSetda);
      const first = await t.services.complianceCache.forPact(pact);
      expect(await t.services.complianceCache.forPact(pact)).toBe(first);
      expect(await t.services.complianceCache.forPact(await pactNow(pact))).toBe(first);
      const open = await t.services.complianceCache.openPacts();
      expect(await t.services.complianceCache.openPacts()).toBe(open);
      expect(open.find((c) => c.pact.id === pact.id)).toBe(first);

      // A change that cannot move a number (a news post, a login) keeps the cache.
      await makePost(t.services, { title: 'Apel Netralitas ASN' });
      await t.services.users.recordLogin(p.people.staffSetda.id, t.clock.now());
      expect(await t.services.complianceCache.forPact(pact)).toBe(first);
      expect(await t.services.complianceCache.openPacts()).toBe(open);

      await p.sign(p.pacts.allSetda, p.people.staffSetda);
      const second = await t.services.complianceCache.forPact(pact);
      expect(second).not.toBe(first);
      expect(second.signed).toBe(first.signed + 1);
      expect(await t.services.complianceCache.openPacts()).not.toBe(open);
      expect(await t.services.complianceCache.forPact(pact)).toBe(second);
    });

    it('sees a change committed by another process on the same database', async () => {
      const p = await province();
      await warm(p);
      const first = await t.services.complianceCache.forPact(await pactNow(p.pacts.allSetda));
      // A second process: its own connection, repositories and cache.
      const otherDb = await openConfiguredDatabase(t.config);
      try {
        const other = createServices(otherDb, t.clock, t.config.timeZone);
        const done = await signPact(other, {
          pactId: p.pacts.allSetda.id,
          userId: p.people.staffOrg.id,
          consent: true,
          typedName: p.people.staffOrg.fullName,
          signatureDataUrl: '',
          actor: { userId: p.people.staffOrg.id, ip: null, userAgent: null },
        });
        expect(done.ok).toBe(true);
        expect(await other.complianceCache.forPact(await pactNow(p.pacts.allSetda))).toMatchObject({
          required: 7,
          signed: 4,
        });
      } finally {
        await otherDb.close();
      }
      const second = await expectFresh(p.pacts.allSetda);
      expect(second).not.toBe(first);
      expect(second).toMatchObject({ required: 7, signed: 4 });
      await expectEverythingFresh(p);
    });

    it('shows a renamed unit under its new name', async () => {
      const p = await province();
      await warm(p);
      const done = await updateUnit(t.services, {
        unitId: p.units.pati.id,
        input: { code: 'PATI', name: 'Pemerintah Kabupaten Pati', kind: 'kabupaten', timeZone: null },
        actor: systemActor,
      });
      expect(done).toEqual({ ok: true, changed: true });
      const names = (
        await t.services.complianceCache.forPact(await pactNow(p.pacts.headsEverywhere))
      ).headsOutstanding.map((u) => u.name);
      expect(names).toContain('Pemerintah Kabupaten Pati');
      expect(names).not.toContain('Kabupaten Pati');
      await expectEverythingFresh(p);
    });

    it("shows a head's corrected name, position and NIP (the public list names heads)", async () => {
      const p = await province();
      await warm(p);
      const bupati = (await t.services.users.findById(p.people.bupati.id)) as User;
      const nip = personFactory(seededRandom(19_700_101))({ bornFrom: 1965, bornTo: 1975 }).nip;
      const done = await updateUser(t.services, {
        userId: bupati.id,
        input: {
          nip,
          employeeType: bupati.employeeType,
          email: bupati.email,
          fullName: 'Henggar Budi Anggoro, S.H.',
          position: 'Penjabat Bupati Pati',
          pangkat: null,
          unitId: bupati.unitId,
          role: bupati.role,
        },
        manager: admin,
        actor: systemActor,
      });
      expect(done.ok).toBe(true);
      const pati = (
        await t.services.complianceCache.forPact(await pactNow(p.pacts.headsEverywhere))
      ).units.find((u) => u.unitId === p.units.pati.id);
      expect(pati).toMatchObject({
        headName: 'Henggar Budi Anggoro, S.H.',
        headPosition: 'Penjabat Bupati Pati',
        headNip: nip,
      });
      await expectEverythingFresh(p);
    });
  });

  describe('after each kind of change, equals a fresh count', () => {
    it('a signing, of an ASN and of a head', async () => {
      const p = await province();
      await warm(p);
      await p.sign(p.pacts.allSetda, p.people.staffOrg);
      expect(await totals(p.pacts.allSetda)).toEqual({ required: 7, signed: 4 });
      await expectEverythingFresh(p);

      await warm(p);
      await p.sign(p.pacts.headsEverywhere, p.people.bupati);
      expect(await totals(p.pacts.headsEverywhere)).toEqual({ required: 5, signed: 3 });
      expect(
        (
          await t.services.complianceCache.forPact(await pactNow(p.pacts.headsEverywhere))
        ).headsOutstanding.map((u) => u.name),
      ).toEqual(['Biro Organisasi', 'Sekretariat Daerah']);
      await expectEverythingFresh(p);
    });

    it('a void', async () => {
      const p = await province();
      await warm(p);
      const done = await voidSignature(t.services, {
        receiptCode: p.receipts[`${p.pacts.headsSetda.id}:${p.people.kabiroUmum.id}`] as string,
        reason: 'Ditandatangani oleh orang yang salah.',
        actor: { userId: p.people.sekda.id, ip: null, userAgent: null },
      });
      expect(done.ok).toBe(true);
      expect(await totals(p.pacts.headsSetda)).toEqual({ required: 3, signed: 0 });
      // The same person's signature on another pact still counts.
      expect(await totals(p.pacts.headsEverywhere)).toEqual({ required: 5, signed: 2 });
      await expectEverythingFresh(p);

      // Signing again after the void counts again.
      await warm(p);
      await p.sign(p.pacts.headsSetda, p.people.kabiroUmum);
      expect(await totals(p.pacts.headsSetda)).toEqual({ required: 3, signed: 1 });
      await expectEverythingFresh(p);
    });

    it('a change of head: the new head must sign, the old one no longer counts', async () => {
      const p = await province();
      await warm(p);
      const done = await setUnitHead(t.services, {
        unitId: p.units.biroUmum.id,
        userId: p.people.staffUmum2.id,
        scope: { kind: 'all' },
        actor: systemActor,
      });
      expect(done).toEqual({ ok: true, changed: true });
      expect(await totals(p.pacts.headsSetda)).toEqual({ required: 3, signed: 0 });
      expect(await totals(p.pacts.headsEverywhere)).toEqual({ required: 5, signed: 1 });
      expect(
        (await t.services.complianceCache.forPact(await pactNow(p.pacts.headsSetda))).headsOutstanding.map(
          (u) => u.name,
        ),
      ).toContain('Biro Umum');
      await expectEverythingFresh(p);

      await warm(p);
      await p.sign(p.pacts.headsSetda, p.people.staffUmum2);
      expect(await totals(p.pacts.headsSetda)).toEqual({ required: 3, signed: 1 });
      await expectEverythingFresh(p);

      // No head at all: the unit requires nobody.
      await warm(p);
      await setUnitHead(t.services, {
        unitId: p.units.pati.id,
        userId: null,
        scope: { kind: 'all' },
        actor: systemActor,
      });
      expect(await totals(p.pacts.headsEverywhere)).toEqual({ required: 4, signed: 1 });
      await expectEverythingFresh(p);
    });

    it('a person disabled, staff and head', async () => {
      const p = await province();
      await warm(p);
      const disable = async (user: User) =>
        expect(
          await setUserStatus(t.services, {
            userId: user.id,
            status: 'disabled',
            manager: admin,
            actor: systemActor,
          }),
        ).toEqual({ ok: true });
      await disable(p.people.staffUmum1);
      expect(await totals(p.pacts.allSetda)).toEqual({ required: 6, signed: 2 });
      expect(await totals(p.pacts.allEverywhere)).toEqual({ required: 9, signed: 1 });
      await expectEverythingFresh(p);

      await warm(p);
      await disable(p.people.kadinkes);
      expect(await totals(p.pacts.headsEverywhere)).toEqual({ required: 4, signed: 1 });
      await expectEverythingFresh(p);

      // Enabled again, the earlier signature counts again.
      await warm(p);
      expect(
        await setUserStatus(t.services, {
          userId: p.people.kadinkes.id,
          status: 'active',
          manager: admin,
          actor: systemActor,
        }),
      ).toEqual({ ok: true });
      expect(await totals(p.pacts.headsEverywhere)).toEqual({ required: 5, signed: 2 });
      await expectEverythingFresh(p);
    });

    it('a person moved to another unit, out of and into the scope', async () => {
      const p = await province();
      await warm(p);
      await move(p.people.staffUmum1, p.units.dinkes);
      expect(await totals(p.pacts.allSetda)).toEqual({ required: 6, signed: 2 });
      expect(await totals(p.pacts.allEverywhere)).toEqual({ required: 10, signed: 2 });
      await expectEverythingFresh(p);

      await warm(p);
      await move(p.people.staffDinkes, p.units.biroOrg);
      expect(await totals(p.pacts.allSetda)).toEqual({ required: 7, signed: 2 });
      await expectEverythingFresh(p);

      // A head who moves to another unit heads nothing any more: Biro Umum has no head to sign until one is set,
      // and the signature Budi made as its head no longer counts for it.
      await warm(p);
      await move(p.people.kabiroUmum, p.units.pati);
      expect(await totals(p.pacts.allSetda)).toEqual({ required: 6, signed: 1 });
      expect(await totals(p.pacts.headsSetda)).toEqual({ required: 2, signed: 0 });
      await expectEverythingFresh(p);
    });

    it('a unit moved in the tree, out of and into the scope subtree', async () => {
      const p = await province();
      await warm(p);
      expect(
        await moveUnit(t.services, { unitId: p.units.biroUmum.id, parentId: null, actor: systemActor }),
      ).toEqual({ ok: true, changed: true });
      expect(await totals(p.pacts.allSetda)).toEqual({ required: 4, signed: 1 });
      expect(await totals(p.pacts.headsSetda)).toEqual({ required: 2, signed: 0 });
      await expectEverythingFresh(p);

      await warm(p);
      expect(
        await moveUnit(t.services, {
          unitId: p.units.dinkes.id,
          parentId: p.units.biroOrg.id,
          actor: systemActor,
        }),
      ).toEqual({ ok: true, changed: true });
      expect(await totals(p.pacts.allSetda)).toEqual({ required: 6, signed: 1 });
      // Its head signed the province-wide heads pact, not this one.
      expect(await totals(p.pacts.headsSetda)).toEqual({ required: 3, signed: 0 });
      await expectEverythingFresh(p);
    });

    it('a unit deactivated', async () => {
      const p = await province();
      // Biro Organisasi is emptied: its staff disabled, its head moved to Setda (and so no longer its head).
      await setUserStatus(t.services, {
        userId: p.people.staffOrg.id,
        status: 'disabled',
        manager: admin,
        actor: systemActor,
      });
      await move(p.people.kabiroOrg, p.units.setda);
      await expectEverythingFresh(p);
      expect(await totals(p.pacts.headsSetda)).toEqual({ required: 2, signed: 1 });

      await warm(p);
      expect(
        await setUnitActive(t.services, { unitId: p.units.biroOrg.id, active: false, actor: systemActor }),
      ).toEqual({
        ok: true,
        changed: true,
      });
      expect(await totals(p.pacts.headsSetda)).toEqual({ required: 2, signed: 1 });
      expect(await totals(p.pacts.headsEverywhere)).toEqual({ required: 4, signed: 2 });
      expect(
        (await t.services.complianceCache.forPact(await pactNow(p.pacts.allSetda))).units.map((u) => u.name),
      ).not.toContain('Biro Organisasi');
      await expectEverythingFresh(p);

      await warm(p);
      // Active again, but still without a head of its own.
      await setUnitActive(t.services, { unitId: p.units.biroOrg.id, active: true, actor: systemActor });
      expect(await totals(p.pacts.headsSetda)).toEqual({ required: 2, signed: 1 });
      await expectEverythingFresh(p);
    });

    it('a new person created in the scope', async () => {
      const p = await province();
      await warm(p);
      const person = personFactory(seededRandom(20_240_926))({ bornFrom: 1980, bornTo: 1990 });
      const done = await createUser(t.services, {
        input: {
          nip: person.nip,
          employeeType: 'PNS',
          email: 'baru@uji.test',
          fullName: 'Intan Permatasari',
          position: 'Analis SDM Aparatur',
          pangkat: null,
          unitId: p.units.biroOrg.id,
          role: 'signer',
        },
        manager: admin,
        actor: systemActor,
      });
      expect(done.ok).toBe(true);
      expect(await totals(p.pacts.allSetda)).toEqual({ required: 8, signed: 3 });
      expect(await totals(p.pacts.allEverywhere)).toEqual({ required: 11, signed: 2 });
      expect(await totals(p.pacts.headsSetda)).toEqual({ required: 3, signed: 1 });
      await expectEverythingFresh(p);
    });

    it('a new version opened: the old one closes, the new one needs every signature again', async () => {
      const p = await province();
      await warm(p);
      const before = (await t.services.complianceCache.openPacts()).map((c) => c.pact.id);
      const revised = await revisePact(t.services, { pactId: p.pacts.allSetda.id, actor: systemActor });
      if (!revised.ok) throw new Error(revised.reason);
      // A draft is not open: nothing changes in the open list yet.
      expect((await expectOpenPactsFresh()).map((c) => c.pact.id)).toEqual(before);
      const draft = await expectFresh({ id: revised.pactId });
      expect(draft).toMatchObject({ required: 7, signed: 0 });

      await warm(p);
      expect(await openPact(t.services, { pactId: revised.pactId, actor: systemActor })).toEqual({
        ok: true,
        archived: false,
      });
      const open = (await expectOpenPactsFresh()).map((c) => c.pact.id);
      expect(open).not.toContain(p.pacts.allSetda.id);
      expect(open).toContain(revised.pactId);
      const newer = await expectFresh({ id: revised.pactId });
      expect(newer).toMatchObject({ required: 7, signed: 0, percent: 0 });
      expect(newer.pact).toMatchObject({ version: 2, status: 'open' });
      // The old version keeps its own signatures.
      const older = await expectFresh(p.pacts.allSetda);
      expect(older).toMatchObject({ required: 7, signed: 3 });
      expect(older.pact.status).toBe('closed');

      await warm(p);
      await p.sign(await pactNow({ id: revised.pactId }), p.people.staffOrg);
      expect(await expectFresh({ id: revised.pactId })).toMatchObject({ required: 7, signed: 1 });
      await expectEverythingFresh(p);

      // The same for a heads pact.
      await warm(p);
      const heads = await revisePact(t.services, { pactId: p.pacts.headsEverywhere.id, actor: systemActor });
      if (!heads.ok) throw new Error(heads.reason);
      await openPact(t.services, { pactId: heads.pactId, actor: systemActor });
      expect(await expectFresh({ id: heads.pactId })).toMatchObject({ required: 5, signed: 0 });
      expect(
        (await t.services.complianceCache.forPact(await pactNow({ id: heads.pactId }))).headsOutstanding,
      ).toHaveLength(5);
      expect((await expectOpenPactsFresh()).map((c) => c.pact.id)).not.toContain(p.pacts.headsEverywhere.id);
    });

    it("a draft's scope changed", async () => {
      const p = await province();
      const draft = await makePact(t.services, {
        status: 'draft',
        title: 'Pakta Draf',
        audience: 'all',
        unitIds: [p.units.setda.id],
      });
      expect(await expectFresh(draft)).toMatchObject({ required: 7, signed: 0 });
      // A draft is not on the open list.
      expect((await expectOpenPactsFresh()).map((c) => c.pact.id)).not.toContain(draft.id);

      const rescope = async (unitIds: number[], audience: 'all' | 'heads' = 'all') => {
        const done = await updatePact(t.services, {
          pactId: draft.id,
          input: {
            title: 'Pakta Draf',
            body: PACT_BODY,
            place: 'Semarang',
            audience,
            opensAt: new Date(draft.opensAt),
            deadline: new Date(draft.deadline),
            unitIds,
          },
          actor: systemActor,
        });
        expect(done).toEqual({ ok: true });
      };

      await rescope([p.units.dinkes.id, p.units.biroOrg.id]);
      expect(await expectFresh(draft)).toMatchObject({ required: 4, signed: 0 });
      expect((await expectFresh(draft)).units.map((u) => u.name).sort()).toEqual([
        'Biro Organisasi',
        'Dinas Kesehatan',
      ]);

      // A unit named together with its parent is counted once.
      await rescope([p.units.setda.id, p.units.biroUmum.id]);
      expect(await expectFresh(draft)).toMatchObject({ required: 7, signed: 0 });
      expect((await expectFresh(draft)).units).toHaveLength(3);

      await rescope([]);
      expect(await expectFresh(draft)).toMatchObject({ required: 10, signed: 0 });
      expect((await expectFresh(draft)).units).toHaveLength(5);

      await rescope([p.units.biroUmum.id], 'heads');
      expect(await expectFresh(draft)).toMatchObject({ required: 1, signed: 0 });
      await expectEverythingFresh(p);
    });
  });
});
