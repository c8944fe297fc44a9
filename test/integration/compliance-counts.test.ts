import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/directory/types.js';
import { setUserStatus } from '../../src/directory/users/set-user-status.js';
import { voidSignature } from '../../src/pledges/receipts/void-signature.js';
import { seededRandom } from '../../src/seed/people.js';
import { makePact, signAs } from '../helpers/pacts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * The maintained counts (migration 011) against the same aggregates computed from scratch, after every step of a
 * long, seeded sequence of signings, voids, moves, disablings and enablings.
 */
describe('maintained compliance counts', () => {
  let t: TestApp;
  beforeEach(() => {
    t = createTestApp();
  });
  afterEach(() => t.close());

  const maintained = () => ({
    members: t.db
      .prepare('SELECT unit_id, active FROM unit_member_counts WHERE active > 0 ORDER BY unit_id')
      .all(),
    signed: t.db
      .prepare(
        'SELECT pact_id, unit_id, signed, last_signed_at FROM pact_unit_signed WHERE signed > 0 ORDER BY pact_id, unit_id',
      )
      .all(),
  });

  const fresh = () => ({
    members: t.db
      .prepare(
        `SELECT unit_id, count(*) AS active FROM users WHERE status = 'active' AND unit_id IS NOT NULL
         GROUP BY unit_id ORDER BY unit_id`,
      )
      .all(),
    signed: t.db
      .prepare(
        `SELECT s.pact_id, u.unit_id, count(*) AS signed, max(s.signed_at) AS last_signed_at
         FROM signatures s JOIN users u ON u.id = s.user_id
         WHERE s.status = 'valid' AND u.status = 'active' AND u.unit_id IS NOT NULL
         GROUP BY s.pact_id, u.unit_id ORDER BY s.pact_id, u.unit_id`,
      )
      .all(),
  });

  it('equal a fresh count after every signing, void, move, disabling and enabling', async () => {
    const random = seededRandom(2024);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const units = [t.make.unit(), t.make.unit(), t.make.unit()];
    const people: User[] = [];
    for (let i = 0; i < 12; i++) people.push(await t.make.user({ unitId: pick(units).id }));
    const pacts = [makePact(t.services, { audience: 'all' }), makePact(t.services, { audience: 'all' })];
    const receipts: string[] = [];
    const admin = await t.make.user({ role: 'admin', email: 'admin@uji.test', nip: null });
    const done = { sign: 0, void: 0, move: 0, status: 0 };
    const current = (user: User) => t.services.users.findById(user.id) as User;

    for (let step = 0; step < 150; step++) {
      t.clock.advance(60_000);
      const person = current(pick(people));
      const action = pick(['sign', 'sign', 'void', 'move', 'status'] as const);
      if (action === 'sign' && person.status === 'active' && person.unitId !== null) {
        const pact = pick(pacts);
        if (!t.services.signatures.findValid(pact.id, person.id)) {
          receipts.push(signAs(t.services, pact, person));
          done.sign++;
        }
      } else if (action === 'void' && receipts.length > 0) {
        const voided = voidSignature(t.services, {
          receiptCode: pick(receipts),
          reason: 'Uji pembatalan.',
          actor: { userId: admin.id, ip: null, userAgent: null },
        });
        if (voided.ok) done.void++;
      } else if (action === 'move') {
        // Straight to the table: the triggers must keep up with any write, not only the operations'.
        t.db
          .prepare('UPDATE users SET unit_id = ? WHERE id = ?')
          .run(pick([...units.map((u) => u.id), null]), person.id);
        done.move++;
      } else if (action === 'status') {
        setUserStatus(t.services, {
          userId: person.id,
          status: person.status === 'active' ? 'disabled' : 'active',
          manager: { id: -1, role: 'admin', unitId: null },
          actor: { userId: null, ip: null, userAgent: null },
        });
      }
      if (action === 'status') done.status++;
      expect(maintained(), `after step ${step} (${action})`).toEqual(fresh());
    }
    // The sequence really did each kind of change, many times.
    for (const [kind, count] of Object.entries(done)) expect(count, kind).toBeGreaterThan(10);
  });

  it('cannot lose a person by deleting them: people are disabled, never deleted', async () => {
    const person = await t.make.user({ unitId: t.make.unit().id });
    expect(() => t.db.prepare('DELETE FROM users WHERE id = ?').run(person.id)).toThrow(/never deleted/);
    expect(maintained()).toEqual(fresh());
  });
});
