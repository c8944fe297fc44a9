import { type RawBuilder, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { timeZone } from '../../src/core/time-zone.js';
import { migrationsDir, readMigrations } from '../../src/db/migrate.js';
import type { User } from '../../src/directory/types.js';
import { setUserStatus } from '../../src/directory/users/set-user-status.js';
import { voidSignature } from '../../src/pledges/receipts/void-signature.js';
import { signingsPerDay } from '../../src/reports/daily-chart.js';
import { seededRandom } from '../../src/seed/people.js';
import { makePact, signAs } from '../helpers/pacts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * The maintained counts (migrations 011 and 014) against the same aggregates computed from scratch, after every step of a
 * long, seeded sequence of signings, voids, moves, disablings and enablings.
 */
describe('maintained compliance counts', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const rows = async <R>(query: RawBuilder<R>): Promise<R[]> => (await query.execute(t.db.q)).rows;

  const maintained = async () => ({
    members: await rows(
      sql`SELECT unit_id, active FROM unit_member_counts WHERE active > 0 ORDER BY unit_id`,
    ),
    signed: await rows(
      sql`SELECT pact_id, unit_id, signed, last_signed_at FROM pact_unit_signed WHERE signed > 0
          ORDER BY pact_id, unit_id`,
    ),
    hourly: await rows(
      sql`SELECT pact_id, unit_id, hour, signed FROM pact_hourly_signings WHERE signed > 0
          ORDER BY pact_id, unit_id, hour`,
    ),
  });

  const fresh = async () => ({
    members: await rows(
      sql`SELECT unit_id, count(*) AS active FROM users WHERE status = 'active' AND unit_id IS NOT NULL
          GROUP BY unit_id ORDER BY unit_id`,
    ),
    signed: await rows(
      sql`SELECT s.pact_id, u.unit_id, count(*) AS signed, max(s.signed_at) AS last_signed_at
          FROM signatures s JOIN users u ON u.id = s.user_id
          WHERE s.status = 'valid' AND u.status = 'active' AND u.unit_id IS NOT NULL
          GROUP BY s.pact_id, u.unit_id ORDER BY s.pact_id, u.unit_id`,
    ),
    // The hour and unit at the time of signing: '2024-01-16T03:15:00.000Z' counts in '2024-01-16T03'.
    hourly: await rows(
      sql`SELECT pact_id, coalesce(unit_id, 0) AS unit_id, substr(signed_at, 1, 13) AS hour, count(*) AS signed
          FROM signatures WHERE status = 'valid'
          GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    ),
  });

  it('equal a fresh count after every signing, void, move, disabling and enabling', async () => {
    const random = seededRandom(2024);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const units = [await t.make.unit(), await t.make.unit(), await t.make.unit()];
    const people: User[] = [];
    for (let i = 0; i < 12; i++) people.push(await t.make.user({ unitId: pick(units).id }));
    const pacts = [
      await makePact(t.services, { audience: 'all' }),
      await makePact(t.services, { audience: 'all' }),
    ];
    const receipts: string[] = [];
    const admin = await t.make.user({ role: 'admin', email: 'admin@uji.test', nip: null });
    const done = { sign: 0, void: 0, move: 0, status: 0 };
    const current = async (user: User) => (await t.services.users.findById(user.id)) as User;

    for (let step = 0; step < 150; step++) {
      // Seven minutes a step: the signings spread over many hours.
      t.clock.advance(7 * 60_000);
      const person = await current(pick(people));
      const action = pick(['sign', 'sign', 'void', 'move', 'status'] as const);
      if (action === 'sign' && person.status === 'active' && person.unitId !== null) {
        const pact = pick(pacts);
        if (!(await t.services.signatures.findValid(pact.id, person.id))) {
          receipts.push(await signAs(t.services, pact, person));
          done.sign++;
        }
      } else if (action === 'void' && receipts.length > 0) {
        const voided = await voidSignature(t.services, {
          receiptCode: pick(receipts),
          reason: 'Uji pembatalan.',
          actor: { userId: admin.id, ip: null, userAgent: null },
        });
        if (voided.ok) done.void++;
      } else if (action === 'move') {
        // Straight to the table: the triggers must keep up with any write, not only the operations'.
        await sql`UPDATE users SET unit_id = ${pick([...units.map((u) => u.id), null])} WHERE id = ${person.id}`.execute(
          t.db.q,
        );
        done.move++;
      } else if (action === 'status') {
        await setUserStatus(t.services, {
          userId: person.id,
          status: person.status === 'active' ? 'disabled' : 'active',
          manager: { id: -1, role: 'admin', unitId: null },
          actor: { userId: null, ip: null, userAgent: null },
        });
      }
      if (action === 'status') done.status++;
      expect(await maintained(), `after step ${step} (${action})`).toEqual(await fresh());
    }
    // The sequence really did each kind of change, many times.
    for (const [kind, count] of Object.entries(done)) expect(count, kind).toBeGreaterThan(10);
  });

  it('cannot lose a person by deleting them: people are disabled, never deleted', async () => {
    const person = await t.make.user({ unitId: (await t.make.unit()).id });
    await expect(sql`DELETE FROM users WHERE id = ${person.id}`.execute(t.db.q)).rejects.toThrow(
      /never deleted/,
    );
    expect(await maintained()).toEqual(await fresh());
  });

  describe('signings per hour, added up into days of the instance', () => {
    /** Signings at these instants, each by a new person of one unit, on one pact. */
    const signAt = async (instants: string[]) => {
      const unit = await t.make.unit();
      t.clock.set('2024-01-10T00:00:00Z');
      const pact = await makePact(t.services, {
        audience: 'all',
        deadline: new Date('2024-02-01T00:00:00Z'),
      });
      for (const at of instants) {
        const person = await t.make.user({ unitId: unit.id });
        t.clock.set(at);
        await signAs(t.services, pact, person);
      }
      return t.services.complianceCounts.signingsPerHour(pact.id, null);
    };
    // Around midnight in Jakarta (17.00 UTC), Makassar (16.00 UTC) and Jayapura (15.00 UTC).
    const instants = [
      '2024-01-15T14:59:59.000Z',
      '2024-01-15T15:00:00.000Z',
      '2024-01-15T15:30:00.000Z',
      '2024-01-15T16:00:00.000Z',
      '2024-01-15T16:59:59.999Z',
      '2024-01-15T17:00:00.000Z',
      '2024-01-16T03:15:00.000Z',
    ];

    it('give the numbers of the Jakarta days kept before (date(signed_at, +7 hours))', async () => {
      const hours = await signAt(instants);
      const byJakartaDay = await rows(
        sql<{
          day: string;
          n: number;
        }>`SELECT ${
          t.db.engine === 'postgres'
            ? sql`to_char(signed_at::timestamptz AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM-DD')`
            : sql`date(signed_at, '+7 hours')`
        } AS day, count(*) AS n FROM signatures
          WHERE status = 'valid' GROUP BY 1 ORDER BY 1`,
      );
      expect([...signingsPerDay(hours, timeZone('Asia/Jakarta'))]).toEqual(
        byJakartaDay.map((row) => [row.day, row.n]),
      );
      expect(Object.fromEntries(signingsPerDay(hours, timeZone('Asia/Jakarta')))).toEqual({
        '2024-01-15': 5,
        '2024-01-16': 2,
      });
    });

    it('and the days of WITA and WIT from the same stored hours', async () => {
      const hours = await signAt(instants);
      expect(Object.fromEntries(signingsPerDay(hours, timeZone('Asia/Makassar')))).toEqual({
        '2024-01-15': 3,
        '2024-01-16': 4,
      });
      expect(Object.fromEntries(signingsPerDay(hours, timeZone('Asia/Jayapura')))).toEqual({
        '2024-01-15': 1,
        '2024-01-16': 6,
      });
    });

    // SQLite's history only: PostgreSQL's schema starts at migration 015 (see db/migrations/postgres).
    if (inject('testDatabase').engine === 'sqlite')
      it('are filled by migration 014 from the signatures already made', async () => {
        await signAt(instants);
        const kept = (await maintained()).hourly;
        // Back to a database of migration 011's shape, then 014 again: it counts the existing signatures. Scripts of
        // several statements (triggers), as SQLite's own handle runs them.
        const sqlite = t.db.sqlite as NonNullable<typeof t.db.sqlite>;
        sqlite.exec(`DROP TRIGGER hourly_signature_insert; DROP TRIGGER hourly_signature_void;
                 DROP TABLE pact_hourly_signings;
                 CREATE TABLE pact_daily_signings (x);
                 CREATE TRIGGER daily_signature_insert AFTER INSERT ON signatures BEGIN SELECT 1; END;
                 CREATE TRIGGER daily_signature_void AFTER UPDATE ON signatures BEGIN SELECT 1; END;`);
        sqlite.exec(
          (readMigrations(migrationsDir('sqlite')).find((m) => m.version === 14) as { sql: string }).sql,
        );
        expect((await maintained()).hourly).toEqual(kept);
        expect(kept).toEqual((await fresh()).hourly);
      });
  });
});
