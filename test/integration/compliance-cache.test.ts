import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/record-event.js';
import type { PactCompliance } from '../../src/compliance/summary.js';
import { openDatabase } from '../../src/db/database.js';
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

/**
 * The compliance cache must always give what a fresh count of the current directory gives. The fresh count here is
 * made without the cache and without its counts: person by person with the rule the signing itself uses
 * (pacts.requirement, over the view pact_required) and the signature lookup (findValid).
 */
describe('compliance cache', () => {
  let t: TestApp;
  beforeEach(() => {
    t = createTestApp();
  });
  afterEach(() => t.close());

  // --- The fresh count -------------------------------------------------------------------------------------

  const pactNow = (pact: Pick<Pact, 'id'>): Pact => t.services.pacts.findById(pact.id) as Pact;
  const everyone = (): User[] =>
    (t.db.prepare('SELECT id FROM users ORDER BY id').pluck().all() as number[]).map(
      (id) => t.services.users.findById(id) as User,
    );
  const hasSigned = (pact: Pact, user: User): boolean =>
    t.services.signatures.findValid(pact.id, user.id) !== undefined;
  const isRequired = (pact: Pact, user: User): boolean =>
    t.services.pacts.requirement(pact.id, user.id) !== undefined;

  /** Totals: every person the pact requires now (each person once), and those of them with a valid signature. */
  function freshTotals(pact: Pact): Counts {
    const required = everyone().filter((user) => isRequired(pact, user));
    return { required: required.length, signed: required.filter((user) => hasSigned(pact, user)).length };
  }

  /** Per active unit in the pact's scope, by name: its required people (its head, or its active members). */
  function freshUnits(pact: Pact): Record<string, Counts> {
    const users = everyone();
    const inScope = new Set(
      t.db.prepare('SELECT unit_id FROM pact_scope WHERE pact_id = ?').pluck().all(pact.id) as number[],
    );
    const result: Record<string, Counts> = {};
    for (const unit of t.services.units.listActive().filter((u) => inScope.has(u.id))) {
      const people = users.filter((user) => user.unitId === unit.id && isRequired(pact, user));
      result[unit.name] = {
        required: people.length,
        signed: people.filter((p) => hasSigned(pact, p)).length,
      };
    }
    return result;
  }

  const unitsOf = (summary: PactCompliance): Record<string, Counts> =>
    Object.fromEntries(summary.units.map((u) => [u.name, { required: u.required, signed: u.signed }]));

  /** The heads pact's outstanding units, recounted: active units in scope whose required head has not signed. */
  function freshOutstanding(pact: Pact): string[] {
    if (pact.audience !== 'heads') return [];
    return Object.entries(freshUnits(pact))
      .filter(([, counts]) => counts.required === 1 && counts.signed === 0)
      .map(([name]) => name)
      .sort();
  }

  function expectFresh(pact: Pick<Pact, 'id'>): PactCompliance {
    const now = pactNow(pact);
    const summary = t.services.complianceCache.forPact(now);
    expect({ required: summary.required, signed: summary.signed }, `totals of ${now.title}`).toEqual(
      freshTotals(now),
    );
    expect(unitsOf(summary), `units of ${now.title}`).toEqual(freshUnits(now));
    expect(summary.headsOutstanding.map((u) => u.name).sort(), `outstanding of ${now.title}`).toEqual(
      freshOutstanding(now),
    );
    expect(summary.pact.status).toBe(now.status);
    return summary;
  }

  /** openPacts() lists exactly the open pacts, soonest deadline first, each with fresh numbers. */
  function expectOpenPactsFresh(): PactCompliance[] {
    const list = t.services.complianceCache.openPacts();
    const open = t.services.pacts
      .listByStatus('open')
      .sort((a, b) => a.deadline.localeCompare(b.deadline) || a.id - b.id);
    expect(list.map((c) => c.pact.id)).toEqual(open.map((p) => p.id));
    for (const entry of list) {
      const pact = pactNow(entry.pact);
      expect({ required: entry.required, signed: entry.signed }, `open ${pact.title}`).toEqual(
        freshTotals(pact),
      );
      expect(unitsOf(entry), `open ${pact.title} units`).toEqual(freshUnits(pact));
    }
    return list;
  }

  // --- A small province ------------------------------------------------------------------------------------

  async function province() {
    const unit = (code: string, name: string, parent: Unit | null = null, kind = 'biro') =>
      t.make.unit({ code, name, kind, parentId: parent?.id ?? null });
    const setda = unit('SETDA', 'Sekretariat Daerah', null, 'sekretariat');
    const biroUmum = unit('BIRO-UMUM', 'Biro Umum', setda);
    const biroOrg = unit('BIRO-ORG', 'Biro Organisasi', setda);
    const dinkes = unit('DINKES', 'Dinas Kesehatan', null, 'dinas');
    const pati = unit('PATI', 'Kabupaten Pati', null, 'kabupaten');

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

    const makeHead = (u: Unit, head: User) => {
      const done = setUnitHead(t.services, {
        unitId: u.id,
        userId: head.id,
        scope: { kind: 'all' },
        actor: systemActor,
      });
      expect(done.ok).toBe(true);
    };
    makeHead(setda, sekda);
    makeHead(biroUmum, kabiroUmum);
    makeHead(biroOrg, kabiroOrg);
    makeHead(dinkes, kadinkes);
    makeHead(pati, bupati);

    const now = t.clock.now().getTime();
    const allSetda = makePact(t.services, {
      title: 'Pakta ASN Setda',
      audience: 'all',
      unitIds: [setda.id],
      deadline: new Date(now + 5 * DAY),
    });
    const allEverywhere = makePact(t.services, {
      title: 'Pakta ASN Provinsi',
      audience: 'all',
      deadline: new Date(now + 6 * DAY),
    });
    const headsSetda = makePact(t.services, {
      title: 'Pakta Kepala Setda',
      audience: 'heads',
      unitIds: [setda.id],
      deadline: new Date(now + 7 * DAY),
    });
    const headsEverywhere = makePact(t.services, {
      title: 'Pakta Kepala OPD',
      audience: 'heads',
      deadline: new Date(now + 8 * DAY),
    });

    const receipts: Record<string, string> = {};
    const sign = (pact: Pact, user: User) => {
      const receiptCode = signAs(t.services, pact, user);
      receipts[`${pact.id}:${user.id}`] = receiptCode;
      return receiptCode;
    };
    sign(allSetda, staffUmum1);
    sign(allSetda, kabiroUmum);
    sign(allSetda, sekda);
    sign(allEverywhere, staffUmum1);
    sign(allEverywhere, staffDinkes);
    sign(headsSetda, kabiroUmum);
    sign(headsEverywhere, kabiroUmum);
    sign(headsEverywhere, kadinkes);

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
  const warm = (p: Province) => {
    for (const pact of Object.values(p.pacts)) t.services.complianceCache.forPact(pactNow(pact));
    t.services.complianceCache.openPacts();
  };
  const totals = (pact: Pact): Counts => {
    const s = t.services.complianceCache.forPact(pactNow(pact));
    return { required: s.required, signed: s.signed };
  };
  const expectEverythingFresh = (p: Province) => {
    for (const pact of Object.values(p.pacts)) expectFresh(pact);
    expectOpenPactsFresh();
  };
  const move = (user: User, to: Unit) => t.make.move(user, to);

  it('starts out equal to a fresh count', async () => {
    const p = await province();
    expectEverythingFresh(p);
    // The numbers this world was built to give, so that the fresh count itself is known to be right.
    expect(totals(p.pacts.allSetda)).toEqual({ required: 7, signed: 3 });
    expect(totals(p.pacts.allEverywhere)).toEqual({ required: 10, signed: 2 });
    expect(totals(p.pacts.headsSetda)).toEqual({ required: 3, signed: 1 });
    expect(totals(p.pacts.headsEverywhere)).toEqual({ required: 5, signed: 2 });
    expect(
      t.services.complianceCache
        .forPact(pactNow(p.pacts.headsEverywhere))
        .headsOutstanding.map((u) => u.name),
    ).toEqual(['Biro Organisasi', 'Kabupaten Pati', 'Sekretariat Daerah']);
  });

  describe('really caches', () => {
    it('returns the same object until something changes, and a new one after', async () => {
      const p = await province();
      const pact = pactNow(p.pacts.allSetda);
      const first = t.services.complianceCache.forPact(pact);
      expect(t.services.complianceCache.forPact(pact)).toBe(first);
      expect(t.services.complianceCache.forPact(pactNow(pact))).toBe(first);
      const open = t.services.complianceCache.openPacts();
      expect(t.services.complianceCache.openPacts()).toBe(open);
      expect(open.find((c) => c.pact.id === pact.id)).toBe(first);

      // A change that cannot move a number (a news post, a login) keeps the cache.
      await makePost(t.services, { title: 'Apel Netralitas ASN' });
      t.services.users.recordLogin(p.people.staffSetda.id, t.clock.now());
      expect(t.services.complianceCache.forPact(pact)).toBe(first);
      expect(t.services.complianceCache.openPacts()).toBe(open);

      p.sign(p.pacts.allSetda, p.people.staffSetda);
      const second = t.services.complianceCache.forPact(pact);
      expect(second).not.toBe(first);
      expect(second.signed).toBe(first.signed + 1);
      expect(t.services.complianceCache.openPacts()).not.toBe(open);
      expect(t.services.complianceCache.forPact(pact)).toBe(second);
    });

    it('sees a change committed by another process on the same database', async () => {
      const p = await province();
      warm(p);
      const first = t.services.complianceCache.forPact(pactNow(p.pacts.allSetda));
      // A second process: its own connection, repositories and cache.
      const otherDb = openDatabase(t.config.databasePath);
      try {
        const other = createServices(otherDb, t.clock, t.config.timeZone);
        const done = signPact(other, {
          pactId: p.pacts.allSetda.id,
          userId: p.people.staffOrg.id,
          consent: true,
          typedName: p.people.staffOrg.fullName,
          signatureDataUrl: '',
          actor: { userId: p.people.staffOrg.id, ip: null, userAgent: null },
        });
        expect(done.ok).toBe(true);
        expect(other.complianceCache.forPact(pactNow(p.pacts.allSetda))).toMatchObject({
          required: 7,
          signed: 4,
        });
      } finally {
        otherDb.close();
      }
      const second = expectFresh(p.pacts.allSetda);
      expect(second).not.toBe(first);
      expect(second).toMatchObject({ required: 7, signed: 4 });
      expectEverythingFresh(p);
    });

    it('shows a renamed unit under its new name', async () => {
      const p = await province();
      warm(p);
      const done = updateUnit(t.services, {
        unitId: p.units.pati.id,
        input: { code: 'PATI', name: 'Pemerintah Kabupaten Pati', kind: 'kabupaten' },
        actor: systemActor,
      });
      expect(done).toEqual({ ok: true, changed: true });
      const names = t.services.complianceCache
        .forPact(pactNow(p.pacts.headsEverywhere))
        .headsOutstanding.map((u) => u.name);
      expect(names).toContain('Pemerintah Kabupaten Pati');
      expect(names).not.toContain('Kabupaten Pati');
      expectEverythingFresh(p);
    });

    it("shows a head's corrected name, position and NIP (the public list names heads)", async () => {
      const p = await province();
      warm(p);
      const bupati = t.services.users.findById(p.people.bupati.id) as User;
      const nip = personFactory(seededRandom(19_700_101))({ bornFrom: 1965, bornTo: 1975 }).nip;
      const done = updateUser(t.services, {
        userId: bupati.id,
        input: {
          nip,
          employeeType: bupati.employeeType,
          email: bupati.email,
          fullName: 'Henggar Budi Anggoro, S.H.',
          position: 'Penjabat Bupati Pati',
          unitId: bupati.unitId,
          role: bupati.role,
        },
        manager: admin,
        actor: systemActor,
      });
      expect(done.ok).toBe(true);
      const pati = t.services.complianceCache
        .forPact(pactNow(p.pacts.headsEverywhere))
        .units.find((u) => u.unitId === p.units.pati.id);
      expect(pati).toMatchObject({
        headName: 'Henggar Budi Anggoro, S.H.',
        headPosition: 'Penjabat Bupati Pati',
        headNip: nip,
      });
      expectEverythingFresh(p);
    });
  });

  describe('after each kind of change, equals a fresh count', () => {
    it('a signing, of an ASN and of a head', async () => {
      const p = await province();
      warm(p);
      p.sign(p.pacts.allSetda, p.people.staffOrg);
      expect(totals(p.pacts.allSetda)).toEqual({ required: 7, signed: 4 });
      expectEverythingFresh(p);

      warm(p);
      p.sign(p.pacts.headsEverywhere, p.people.bupati);
      expect(totals(p.pacts.headsEverywhere)).toEqual({ required: 5, signed: 3 });
      expect(
        t.services.complianceCache
          .forPact(pactNow(p.pacts.headsEverywhere))
          .headsOutstanding.map((u) => u.name),
      ).toEqual(['Biro Organisasi', 'Sekretariat Daerah']);
      expectEverythingFresh(p);
    });

    it('a void', async () => {
      const p = await province();
      warm(p);
      const done = voidSignature(t.services, {
        receiptCode: p.receipts[`${p.pacts.headsSetda.id}:${p.people.kabiroUmum.id}`] as string,
        reason: 'Ditandatangani oleh orang yang salah.',
        actor: { userId: p.people.sekda.id, ip: null, userAgent: null },
      });
      expect(done.ok).toBe(true);
      expect(totals(p.pacts.headsSetda)).toEqual({ required: 3, signed: 0 });
      // The same person's signature on another pact still counts.
      expect(totals(p.pacts.headsEverywhere)).toEqual({ required: 5, signed: 2 });
      expectEverythingFresh(p);

      // Signing again after the void counts again.
      warm(p);
      p.sign(p.pacts.headsSetda, p.people.kabiroUmum);
      expect(totals(p.pacts.headsSetda)).toEqual({ required: 3, signed: 1 });
      expectEverythingFresh(p);
    });

    it('a change of head: the new head must sign, the old one no longer counts', async () => {
      const p = await province();
      warm(p);
      const done = setUnitHead(t.services, {
        unitId: p.units.biroUmum.id,
        userId: p.people.staffUmum2.id,
        scope: { kind: 'all' },
        actor: systemActor,
      });
      expect(done).toEqual({ ok: true, changed: true });
      expect(totals(p.pacts.headsSetda)).toEqual({ required: 3, signed: 0 });
      expect(totals(p.pacts.headsEverywhere)).toEqual({ required: 5, signed: 1 });
      expect(
        t.services.complianceCache.forPact(pactNow(p.pacts.headsSetda)).headsOutstanding.map((u) => u.name),
      ).toContain('Biro Umum');
      expectEverythingFresh(p);

      warm(p);
      p.sign(p.pacts.headsSetda, p.people.staffUmum2);
      expect(totals(p.pacts.headsSetda)).toEqual({ required: 3, signed: 1 });
      expectEverythingFresh(p);

      // No head at all: the unit requires nobody.
      warm(p);
      setUnitHead(t.services, {
        unitId: p.units.pati.id,
        userId: null,
        scope: { kind: 'all' },
        actor: systemActor,
      });
      expect(totals(p.pacts.headsEverywhere)).toEqual({ required: 4, signed: 1 });
      expectEverythingFresh(p);
    });

    it('a person disabled, staff and head', async () => {
      const p = await province();
      warm(p);
      const disable = (user: User) =>
        expect(
          setUserStatus(t.services, {
            userId: user.id,
            status: 'disabled',
            manager: admin,
            actor: systemActor,
          }),
        ).toEqual({ ok: true });
      disable(p.people.staffUmum1);
      expect(totals(p.pacts.allSetda)).toEqual({ required: 6, signed: 2 });
      expect(totals(p.pacts.allEverywhere)).toEqual({ required: 9, signed: 1 });
      expectEverythingFresh(p);

      warm(p);
      disable(p.people.kadinkes);
      expect(totals(p.pacts.headsEverywhere)).toEqual({ required: 4, signed: 1 });
      expectEverythingFresh(p);

      // Enabled again, the earlier signature counts again.
      warm(p);
      expect(
        setUserStatus(t.services, {
          userId: p.people.kadinkes.id,
          status: 'active',
          manager: admin,
          actor: systemActor,
        }),
      ).toEqual({ ok: true });
      expect(totals(p.pacts.headsEverywhere)).toEqual({ required: 5, signed: 2 });
      expectEverythingFresh(p);
    });

    it('a person moved to another unit, out of and into the scope', async () => {
      const p = await province();
      warm(p);
      move(p.people.staffUmum1, p.units.dinkes);
      expect(totals(p.pacts.allSetda)).toEqual({ required: 6, signed: 2 });
      expect(totals(p.pacts.allEverywhere)).toEqual({ required: 10, signed: 2 });
      expectEverythingFresh(p);

      warm(p);
      move(p.people.staffDinkes, p.units.biroOrg);
      expect(totals(p.pacts.allSetda)).toEqual({ required: 7, signed: 2 });
      expectEverythingFresh(p);

      // A head who moves to another unit heads nothing any more: Biro Umum has no head to sign until one is set,
      // and the signature Budi made as its head no longer counts for it.
      warm(p);
      move(p.people.kabiroUmum, p.units.pati);
      expect(totals(p.pacts.allSetda)).toEqual({ required: 6, signed: 1 });
      expect(totals(p.pacts.headsSetda)).toEqual({ required: 2, signed: 0 });
      expectEverythingFresh(p);
    });

    it('a unit moved in the tree, out of and into the scope subtree', async () => {
      const p = await province();
      warm(p);
      expect(
        moveUnit(t.services, { unitId: p.units.biroUmum.id, parentId: null, actor: systemActor }),
      ).toEqual({ ok: true, changed: true });
      expect(totals(p.pacts.allSetda)).toEqual({ required: 4, signed: 1 });
      expect(totals(p.pacts.headsSetda)).toEqual({ required: 2, signed: 0 });
      expectEverythingFresh(p);

      warm(p);
      expect(
        moveUnit(t.services, { unitId: p.units.dinkes.id, parentId: p.units.biroOrg.id, actor: systemActor }),
      ).toEqual({ ok: true, changed: true });
      expect(totals(p.pacts.allSetda)).toEqual({ required: 6, signed: 1 });
      // Its head signed the province-wide heads pact, not this one.
      expect(totals(p.pacts.headsSetda)).toEqual({ required: 3, signed: 0 });
      expectEverythingFresh(p);
    });

    it('a unit deactivated', async () => {
      const p = await province();
      // Biro Organisasi is emptied: its staff disabled, its head moved to Setda (and so no longer its head).
      setUserStatus(t.services, {
        userId: p.people.staffOrg.id,
        status: 'disabled',
        manager: admin,
        actor: systemActor,
      });
      move(p.people.kabiroOrg, p.units.setda);
      expectEverythingFresh(p);
      expect(totals(p.pacts.headsSetda)).toEqual({ required: 2, signed: 1 });

      warm(p);
      expect(
        setUnitActive(t.services, { unitId: p.units.biroOrg.id, active: false, actor: systemActor }),
      ).toEqual({
        ok: true,
        changed: true,
      });
      expect(totals(p.pacts.headsSetda)).toEqual({ required: 2, signed: 1 });
      expect(totals(p.pacts.headsEverywhere)).toEqual({ required: 4, signed: 2 });
      expect(
        t.services.complianceCache.forPact(pactNow(p.pacts.allSetda)).units.map((u) => u.name),
      ).not.toContain('Biro Organisasi');
      expectEverythingFresh(p);

      warm(p);
      // Active again, but still without a head of its own.
      setUnitActive(t.services, { unitId: p.units.biroOrg.id, active: true, actor: systemActor });
      expect(totals(p.pacts.headsSetda)).toEqual({ required: 2, signed: 1 });
      expectEverythingFresh(p);
    });

    it('a new person created in the scope', async () => {
      const p = await province();
      warm(p);
      const person = personFactory(seededRandom(20_240_926))({ bornFrom: 1980, bornTo: 1990 });
      const done = createUser(t.services, {
        input: {
          nip: person.nip,
          employeeType: 'PNS',
          email: 'baru@uji.test',
          fullName: 'Intan Permatasari',
          position: 'Analis SDM Aparatur',
          unitId: p.units.biroOrg.id,
          role: 'signer',
        },
        manager: admin,
        actor: systemActor,
      });
      expect(done.ok).toBe(true);
      expect(totals(p.pacts.allSetda)).toEqual({ required: 8, signed: 3 });
      expect(totals(p.pacts.allEverywhere)).toEqual({ required: 11, signed: 2 });
      expect(totals(p.pacts.headsSetda)).toEqual({ required: 3, signed: 1 });
      expectEverythingFresh(p);
    });

    it('a new version opened: the old one closes, the new one needs every signature again', async () => {
      const p = await province();
      warm(p);
      const before = t.services.complianceCache.openPacts().map((c) => c.pact.id);
      const revised = revisePact(t.services, { pactId: p.pacts.allSetda.id, actor: systemActor });
      if (!revised.ok) throw new Error(revised.reason);
      // A draft is not open: nothing changes in the open list yet.
      expect(expectOpenPactsFresh().map((c) => c.pact.id)).toEqual(before);
      const draft = expectFresh({ id: revised.pactId });
      expect(draft).toMatchObject({ required: 7, signed: 0 });

      warm(p);
      expect(openPact(t.services, { pactId: revised.pactId, actor: systemActor })).toEqual({ ok: true });
      const open = expectOpenPactsFresh().map((c) => c.pact.id);
      expect(open).not.toContain(p.pacts.allSetda.id);
      expect(open).toContain(revised.pactId);
      const newer = expectFresh({ id: revised.pactId });
      expect(newer).toMatchObject({ required: 7, signed: 0, percent: 0 });
      expect(newer.pact).toMatchObject({ version: 2, status: 'open' });
      // The old version keeps its own signatures.
      const older = expectFresh(p.pacts.allSetda);
      expect(older).toMatchObject({ required: 7, signed: 3 });
      expect(older.pact.status).toBe('closed');

      warm(p);
      p.sign(pactNow({ id: revised.pactId }), p.people.staffOrg);
      expect(expectFresh({ id: revised.pactId })).toMatchObject({ required: 7, signed: 1 });
      expectEverythingFresh(p);

      // The same for a heads pact.
      warm(p);
      const heads = revisePact(t.services, { pactId: p.pacts.headsEverywhere.id, actor: systemActor });
      if (!heads.ok) throw new Error(heads.reason);
      openPact(t.services, { pactId: heads.pactId, actor: systemActor });
      expect(expectFresh({ id: heads.pactId })).toMatchObject({ required: 5, signed: 0 });
      expect(t.services.complianceCache.forPact(pactNow({ id: heads.pactId })).headsOutstanding).toHaveLength(
        5,
      );
      expect(expectOpenPactsFresh().map((c) => c.pact.id)).not.toContain(p.pacts.headsEverywhere.id);
    });

    it("a draft's scope changed", async () => {
      const p = await province();
      const draft = makePact(t.services, {
        status: 'draft',
        title: 'Pakta Draf',
        audience: 'all',
        unitIds: [p.units.setda.id],
      });
      expect(expectFresh(draft)).toMatchObject({ required: 7, signed: 0 });
      // A draft is not on the open list.
      expect(expectOpenPactsFresh().map((c) => c.pact.id)).not.toContain(draft.id);

      const rescope = (unitIds: number[], audience: 'all' | 'heads' = 'all') => {
        const done = updatePact(t.services, {
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

      rescope([p.units.dinkes.id, p.units.biroOrg.id]);
      expect(expectFresh(draft)).toMatchObject({ required: 4, signed: 0 });
      expect(
        expectFresh(draft)
          .units.map((u) => u.name)
          .sort(),
      ).toEqual(['Biro Organisasi', 'Dinas Kesehatan']);

      // A unit named together with its parent is counted once.
      rescope([p.units.setda.id, p.units.biroUmum.id]);
      expect(expectFresh(draft)).toMatchObject({ required: 7, signed: 0 });
      expect(expectFresh(draft).units).toHaveLength(3);

      rescope([]);
      expect(expectFresh(draft)).toMatchObject({ required: 10, signed: 0 });
      expect(expectFresh(draft).units).toHaveLength(5);

      rescope([p.units.biroUmum.id], 'heads');
      expect(expectFresh(draft)).toMatchObject({ required: 1, signed: 0 });
      expectEverythingFresh(p);
    });
  });
});
