import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/record-event.js';
import { addDays } from '../../src/core/time-zone.js';
import type { HeadAppointment } from '../../src/directory/head-kind.js';
import type { Unit, User } from '../../src/directory/types.js';
import { setUnitActive } from '../../src/directory/units/set-unit-active.js';
import { setUnitHead } from '../../src/directory/units/set-unit-head.js';
import { setUserStatus } from '../../src/directory/users/set-user-status.js';
import { exemptPerson } from '../../src/pledges/exemptions/exempt-person.js';
import { liftExemption } from '../../src/pledges/exemptions/lift-exemption.js';
import { voidSignature } from '../../src/pledges/receipts/void-signature.js';
import type { Audience, Pact } from '../../src/pledges/types.js';
import { browser } from '../helpers/http.js';
import { makePact, signAs } from '../helpers/pacts.js';
import { signOnPaper } from '../helpers/paper.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * Who must sign a pact, case by case (DESIGN.md: "required = active users in the pact's audience and unit scope
 * (heads: the current head of each unit in scope); signed = those with a valid signature on this pact version").
 * Every case states by name who is required and who has signed, and every reader of the rule must agree: the
 * signing check, the compliance summary, the per-unit lists behind the report and the reminders, a person's own
 * /pakta list and the public API. New kinds of case belong in this table.
 */

const admin = { id: -1, role: 'admin' as const, unitId: null };

interface World {
  t: TestApp;
  units: Record<'setda' | 'biro' | 'dinkes' | 'pati', Unit>;
  people: Record<
    'sekda' | 'ani' | 'budi' | 'citra' | 'yunita' | 'gilang' | 'henggar' | 'provinceAdmin',
    User
  >;
  pact: Pact;
  receipts: Map<string, string>;
}

interface Case {
  name: string;
  audience: Audience;
  /** Units the pact names (their subtrees are in scope); none: every unit. */
  scope: (keyof World['units'])[];
  /** What happens after the pact opens and the fixture's signings. */
  act?: (w: World) => void | Promise<void>;
  required: string[];
  signed: string[];
}

// The fixture: Sekretariat Daerah with Biro Umum below it, Dinas Kesehatan and Kabupaten Pati beside them; each unit
// has a head and (but Pati) one member of staff. Before each case acts, Budi (head of Biro Umum) and Citra (staff of
// Biro Umum) have signed.
const SIGNED_FIRST = ['budi', 'citra'] as const;

const cases: Case[] = [
  {
    name: 'an all-ASN pact for every unit: every active member of an active unit, nobody without a unit',
    audience: 'all',
    scope: [],
    required: ['Ani', 'Budi', 'Citra', 'Gilang', 'Henggar', 'Sumarno', 'Yunita'],
    signed: ['Budi', 'Citra'],
  },
  {
    name: 'an all-ASN pact for Setda: its members and those of the units below it, no others',
    audience: 'all',
    scope: ['setda'],
    required: ['Ani', 'Budi', 'Citra', 'Sumarno'],
    signed: ['Budi', 'Citra'],
  },
  {
    name: 'an all-ASN pact for Biro Umum: not the units above it',
    audience: 'all',
    scope: ['biro'],
    required: ['Budi', 'Citra'],
    signed: ['Budi', 'Citra'],
  },
  {
    name: 'a person disabled: no longer required, their signature no longer counted',
    audience: 'all',
    scope: ['setda'],
    act: async ({ t, people }) => {
      await setUserStatus(t.services, {
        userId: people.citra.id,
        status: 'disabled',
        manager: admin,
        actor: systemActor,
      });
    },
    required: ['Ani', 'Budi', 'Sumarno'],
    signed: ['Budi'],
  },
  {
    name: 'a new hire after the pact opened: required at once',
    audience: 'all',
    scope: ['setda'],
    act: async ({ t, units }) => {
      await t.make.user({ fullName: 'Rina Marlina', unitId: units.biro.id });
    },
    required: ['Ani', 'Budi', 'Citra', 'Rina Marlina', 'Sumarno'],
    signed: ['Budi', 'Citra'],
  },
  {
    name: 'a person moved out of the scope: no longer required there, their signature goes with them',
    audience: 'all',
    scope: ['setda'],
    act: ({ t, people, units }) => t.make.move(people.citra, units.dinkes),
    required: ['Ani', 'Budi', 'Sumarno'],
    signed: ['Budi'],
  },
  {
    name: 'a person moved out of the scope and back: required again, and the signature they made still counts',
    audience: 'all',
    scope: ['setda'],
    act: async ({ t, people, units }) => {
      await t.make.move(people.citra, units.dinkes);
      await t.make.move(people.citra, units.biro);
    },
    required: ['Ani', 'Budi', 'Citra', 'Sumarno'],
    signed: ['Budi', 'Citra'],
  },
  {
    name: 'a voided signature: the person is required again and has not signed',
    audience: 'all',
    scope: ['setda'],
    act: (w) => voidOf(w, w.people.citra),
    required: ['Ani', 'Budi', 'Citra', 'Sumarno'],
    signed: ['Budi'],
  },
  {
    name: 'a signing on paper: counted like one online',
    audience: 'all',
    scope: ['setda'],
    act: (w) => paper(w, [w.people.ani]),
    required: ['Ani', 'Budi', 'Citra', 'Sumarno'],
    signed: ['Ani', 'Budi', 'Citra'],
  },
  {
    name: 'a signing on paper voided: required again and not counted',
    audience: 'all',
    scope: ['setda'],
    act: async (w) => {
      await paper(w, [w.people.ani]);
      await voidOf(w, w.people.ani);
    },
    required: ['Ani', 'Budi', 'Citra', 'Sumarno'],
    signed: ['Budi', 'Citra'],
  },
  {
    name: 'everything at once: online, paper, exempt, voided and moved people in one pact',
    audience: 'all',
    scope: [],
    act: async (w) => {
      const { t, people, units } = w;
      // On paper: Ani and Gilang (Citra is ticked too but signed online already: kept, not doubled).
      await paper(w, [people.ani, people.gilang, people.citra]);
      // Online: Henggar; then Yunita, whose signature is voided.
      w.receipts.set(people.henggar.fullName, await signAs(t.services, w.pact, people.henggar));
      w.receipts.set(people.yunita.fullName, await signAs(t.services, w.pact, people.yunita));
      await voidOf(w, people.yunita);
      // Exempt: Sumarno. Moved: Budi (signed) to Dinas Kesehatan, still in scope, his signature with him.
      await exempt(w, people.sekda, { from: 0 });
      await t.make.move(people.budi, units.dinkes);
      // A new hire, not yet signed.
      await t.make.user({ fullName: 'Rina Marlina', unitId: units.pati.id });
    },
    required: ['Ani', 'Budi', 'Citra', 'Gilang', 'Henggar', 'Rina Marlina', 'Yunita'],
    signed: ['Ani', 'Budi', 'Citra', 'Gilang', 'Henggar'],
  },
  {
    name: 'a heads pact for every unit: the head of each active unit, no staff',
    audience: 'heads',
    scope: [],
    required: ['Budi', 'Henggar', 'Sumarno', 'Yunita'],
    signed: ['Budi'],
  },
  {
    name: 'a heads pact for Setda: the heads of Setda and the units below it',
    audience: 'heads',
    scope: ['setda'],
    required: ['Budi', 'Sumarno'],
    signed: ['Budi'],
  },
  {
    name: 'a head who moves to another unit heads neither: the old unit has no head to sign until one is set',
    audience: 'heads',
    scope: [],
    act: ({ t, people, units }) => t.make.move(people.budi, units.pati),
    required: ['Henggar', 'Sumarno', 'Yunita'],
    signed: [],
  },
  {
    name: 'a head replaced: the new head must sign, the old head’s signature no longer counts',
    audience: 'heads',
    scope: ['setda'],
    act: async ({ t, people, units, pact }) => {
      await makeHead(t, units.biro, people.citra);
      await signAs(t.services, pact, people.citra);
    },
    required: ['Citra', 'Sumarno'],
    signed: ['Citra'],
  },
  {
    name: 'a head replaced by an acting head (Plt): the Plt must sign, the old head’s signature no longer counts',
    audience: 'heads',
    scope: ['setda'],
    act: async ({ t, people, units, pact }) => {
      await makeHead(t, units.biro, people.citra, {
        kind: 'plt',
        since: '2024-01-05',
        decree: '800/12/2024',
      });
      await signAs(t.services, pact, people.citra);
    },
    required: ['Citra', 'Sumarno'],
    signed: ['Citra'],
  },
  {
    name: 'a head disabled: the unit has no head to sign',
    audience: 'heads',
    scope: ['setda'],
    act: async ({ t, people }) => {
      await setUserStatus(t.services, {
        userId: people.sekda.id,
        status: 'disabled',
        manager: admin,
        actor: systemActor,
      });
    },
    required: ['Budi'],
    signed: ['Budi'],
  },
  {
    name: 'a unit emptied and deactivated: it asks nobody, and its former head heads nothing where they went',
    audience: 'heads',
    scope: [],
    act: async ({ t, people, units }) => {
      await t.make.move(people.henggar, units.dinkes);
      const done = await setUnitActive(t.services, {
        unitId: units.pati.id,
        active: false,
        actor: systemActor,
      });
      expect(done.ok).toBe(true);
    },
    required: ['Budi', 'Sumarno', 'Yunita'],
    signed: ['Budi'],
  },
  {
    name: 'a head’s voided signature: required again',
    audience: 'heads',
    scope: ['biro'],
    act: (w) => voidOf(w, w.people.budi),
    required: ['Budi'],
    signed: [],
  },
  {
    name: 'a person exempt from today: not required, and a signature of theirs no longer counted',
    audience: 'all',
    scope: ['setda'],
    act: async (w) => {
      await exempt(w, w.people.citra, { from: 0 });
      await exempt(w, w.people.ani, { from: 0 });
    },
    required: ['Budi', 'Sumarno'],
    signed: ['Budi'],
  },
  {
    name: 'an exemption that begins in three days, or ended yesterday: required now',
    audience: 'all',
    scope: ['setda'],
    act: async (w) => {
      await exempt(w, w.people.ani, { from: 3 });
      // Entered back when it applied (one cannot excuse someone for a time already over).
      const today = w.t.services.timeZone.dayOf(w.t.clock.now());
      await w.t.services.exemptions.insert({
        pactId: w.pact.id,
        userId: w.people.citra.id,
        reason: 'cuti_panjang',
        note: null,
        startsOn: addDays(today, -10),
        endsOn: addDays(today, -1),
        startsAt: w.t.services.timeZone.instantOf(`${addDays(today, -10)}T00:00`) as Date,
        endsAt: w.t.services.timeZone.instantOf(`${today}T00:00`) as Date,
        createdBy: null,
        createdAt: w.t.clock.now(),
      });
    },
    required: ['Ani', 'Budi', 'Citra', 'Sumarno'],
    signed: ['Budi', 'Citra'],
  },
  {
    name: 'an exemption lifted: required again, and their signature counts again',
    audience: 'all',
    scope: ['setda'],
    act: async (w) => {
      const exemptionId = await exempt(w, w.people.citra, { from: 0 });
      const lifted = await liftExemption(w.t.services, {
        exemptionId,
        reason: 'Kembali bertugas',
        manager: admin,
        actor: systemActor,
      });
      expect(lifted.ok).toBe(true);
    },
    required: ['Ani', 'Budi', 'Citra', 'Sumarno'],
    signed: ['Budi', 'Citra'],
  },
  {
    name: 'a head exempt from a heads pact: the unit asks nobody until the exemption ends',
    audience: 'heads',
    scope: ['setda'],
    act: (w) => exempt(w, w.people.budi, { from: 0 }).then(() => undefined),
    required: ['Sumarno'],
    signed: [],
  },
];

/** Exempts a person from the case's pact from `from` days after today, until `until` days after it (if given). */
async function exempt(
  { t, pact }: World,
  user: User,
  days: { from: number; until?: number },
): Promise<number> {
  const today = t.services.timeZone.dayOf(t.clock.now());
  const done = await exemptPerson(t.services, {
    pactId: pact.id,
    userId: user.id,
    reason: 'tugas_belajar',
    note: null,
    startsOn: addDays(today, days.from),
    endsOn: days.until === undefined ? null : addDays(today, days.until),
    manager: admin,
    actor: systemActor,
  });
  if (!done.ok) throw new Error(`exempt ${user.fullName}: ${done.reason}`);
  return done.exemptionId;
}

/** Records that these people signed the case's pact on paper, keeping their receipts for voidOf. */
async function paper(w: World, users: User[]): Promise<void> {
  for (const [name, code] of await signOnPaper(w.t.services, w.pact, users)) w.receipts.set(name, code);
}

async function makeHead(t: TestApp, unit: Unit, head: User, appointment?: HeadAppointment): Promise<void> {
  const done = await setUnitHead(t.services, {
    unitId: unit.id,
    userId: head.id,
    appointment,
    scope: { kind: 'all' },
    actor: systemActor,
  });
  expect(done.ok).toBe(true);
}

async function voidOf({ t, pact, receipts }: World, user: User): Promise<void> {
  const receiptCode = receipts.get(user.fullName) as string;
  const done = await voidSignature(t.services, {
    receiptCode,
    reason: 'Ditandatangani oleh orang lain, dibatalkan untuk diulang.',
    actor: { ...systemActor, userId: user.id },
  });
  expect(done.ok, `void ${user.fullName} on ${pact.title}`).toBe(true);
}

async function world(t: TestApp, audience: Audience, scope: Case['scope']): Promise<World> {
  const setda = await t.make.unit({ code: 'SETDA', name: 'Sekretariat Daerah', kind: 'sekretariat' });
  const units = {
    setda,
    biro: await t.make.unit({ code: 'BIRO-UMUM', name: 'Biro Umum', kind: 'biro', parentId: setda.id }),
    dinkes: await t.make.unit({ code: 'DINKES', name: 'Dinas Kesehatan' }),
    pati: await t.make.unit({ code: 'KAB-PATI', name: 'Kabupaten Pati', kind: 'kabupaten' }),
  };
  const person = (fullName: string, unit: Unit) => t.make.user({ fullName, unitId: unit.id });
  const people = {
    sekda: await person('Sumarno', units.setda),
    ani: await person('Ani', units.setda),
    budi: await person('Budi', units.biro),
    citra: await person('Citra', units.biro),
    yunita: await person('Yunita', units.dinkes),
    gilang: await person('Gilang', units.dinkes),
    henggar: await person('Henggar', units.pati),
    provinceAdmin: await t.make.user({ role: 'admin', unitId: null, nip: null, fullName: 'Admin Provinsi' }),
  };
  await makeHead(t, units.setda, people.sekda);
  await makeHead(t, units.biro, people.budi);
  await makeHead(t, units.dinkes, people.yunita);
  await makeHead(t, units.pati, people.henggar);
  const pact = await makePact(t.services, { audience, unitIds: scope.map((key) => units[key].id) });
  const receipts = new Map<string, string>();
  for (const key of SIGNED_FIRST) {
    const user = people[key];
    // On a heads pact Citra is not asked (she is staff): she signs only where a case makes her a head.
    if (await t.services.pacts.requirement(pact.id, user.id))
      receipts.set(user.fullName, await signAs(t.services, pact, user));
  }
  return { t, units, people, pact, receipts };
}

describe('who must sign a pact: every reader applies the one rule', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  it.each(cases)('$name', async (c) => {
    const w = await world(t, c.audience, c.scope);
    await c.act?.(w);
    const everyone = (await sql<{ id: number }>`SELECT id FROM users ORDER BY id`.execute(t.db.q)).rows.map(
      (row) => row.id,
    );
    const users: User[] = [];
    for (const id of everyone) users.push((await t.services.users.findById(id)) as User);
    const pact = (await t.services.pacts.findById(w.pact.id)) as Pact;
    const names = (list: { fullName: string }[]) => list.map((p) => p.fullName).sort();

    // The signing check, person by person.
    const required: User[] = [];
    for (const u of users) if (await t.services.pacts.requirement(pact.id, u.id)) required.push(u);
    const signed: User[] = [];
    for (const u of required) if (await t.services.signatures.findValid(pact.id, u.id)) signed.push(u);
    expect(names(required), 'required (signing check)').toEqual(c.required);
    expect(names(signed), 'signed (signing check)').toEqual(c.signed);

    // The compliance summary (cached, from the maintained counts).
    const summary = await t.services.complianceCache.forPact(pact);
    expect({ required: summary.required, signed: summary.signed }, 'summary').toEqual({
      required: c.required.length,
      signed: c.signed.length,
    });

    // The per-unit lists behind the drill-down, the exports and the reminders.
    const unitIds = summary.units.map((u) => u.unitId);
    const outstanding = [];
    const allSignings = [];
    for (const id of unitIds) {
      const people = t.services.compliancePeople;
      const ofUnit = await people.outstanding(pact.id, id);
      const drillDown = await people.peopleByIds(Array.from(await people.outstandingIds(pact.id, id)));
      expect(drillDown, 'drill-down').toEqual(ofUnit);
      outstanding.push(...ofUnit);
      allSignings.push(...(await people.signingsByIds(Array.from(await people.signingIds(pact.id, id)))));
    }
    const detail = [];
    for await (const row of t.services.compliancePeople.detail(pact.id, unitIds)) detail.push(row);
    const validSignings = allSignings.filter((s) => s.status === 'valid');
    // The export lists the exempt too, apart (with why): the required are the others.
    expect(names(detail.filter((row) => !row.exemption)), 'everyone in the detail export').toEqual(
      c.required,
    );
    expect(names(validSignings), 'signings per unit').toEqual(c.signed);
    expect(names(outstanding), 'outstanding per unit').toEqual(
      c.required.filter((n) => !c.signed.includes(n)),
    );

    // Each person's own list of pacts to sign.
    const asked: User[] = [];
    for (const u of users) {
      if ((await t.services.pacts.forUser(u.id)).some((p) => p.pact.id === pact.id && p.required))
        asked.push(u);
    }
    expect(names(asked), '/pakta').toEqual(c.required);

    // The public API.
    const api = await browser(t.app).get(`/api/v1/pacts/${pact.id}/compliance`);
    expect(api.status).toBe(200);
    expect({ required: api.body.required, signed: api.body.signed }, 'API').toEqual({
      required: c.required.length,
      signed: c.signed.length,
    });
  });
});
