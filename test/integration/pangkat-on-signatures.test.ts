import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/ledger/verify-ledger.js';
import { loggedInAs } from '../helpers/http.js';
import { makePact, signAs } from '../helpers/pacts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// Pangkat/golongan is one of the signer's facts: on the pact as they read it, on the receipt, and in the ledger,
// as it was when they signed.
describe("a signer's pangkat/golongan", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  it('is on the pact and the receipt as it was at signing, and in a ledger that still verifies', async () => {
    const unit = await t.make.unit({ name: 'Badan Kepegawaian Daerah' });
    const { agent, user } = await loggedInAs(t, 'signer', { unitId: unit.id });
    await t.services.users.update(user.id, { ...user, pangkat: 'Pembina Tk. I, IV/b' }, t.clock.now());
    const withoutPangkat = await t.make.user({ unitId: unit.id });
    const pact = await makePact(t.services, { audience: 'all', unitIds: [unit.id] });

    expect((await agent.get(`/pakta/${pact.id}`)).text).toContain(': Pembina Tk. I, IV/b</dd>');
    const code = await signAs(t.services, pact, user);
    await signAs(t.services, pact, withoutPangkat);
    // A later promotion does not change what was signed.
    await t.services.users.update(user.id, { ...user, pangkat: 'Pembina Utama Muda, IV/c' }, t.clock.now());

    const receipt = await agent.get(`/tanda-terima/${code}`);
    expect(receipt.status).toBe(200);
    expect(receipt.text).toContain(': Pembina Tk. I, IV/b</dd>');
    expect(receipt.text).not.toContain('IV/c');

    // The ledger holds no personal data (migration 028): it commits to the signer, pangkat included when known, as
    // sha256(salt ‖ canonical JSON), the salt kept with the signature.
    const rows = (
      await sql<{ payload: string; salt: string; nip: string }>`
        SELECT l.payload, s.person_salt AS salt, s.nip FROM ledger l JOIN signatures s ON s.id = l.signature_id
        ORDER BY l.seq`.execute(t.db.q)
    ).rows;
    const payloads = rows.map((row) => JSON.parse(row.payload) as Record<string, unknown>);
    const commitment = (salt: string, person: object) =>
      createHash('sha256').update(Buffer.from(salt, 'hex')).update(JSON.stringify(person)).digest('hex');
    for (const payload of payloads) {
      expect(payload).not.toHaveProperty('pangkat');
      expect(payload).not.toHaveProperty('position');
    }
    expect(payloads[0]?.person).toBe(
      commitment(rows[0]?.salt as string, {
        fullName: user.fullName,
        nip: rows[0]?.nip,
        pangkat: 'Pembina Tk. I, IV/b',
        position: user.position,
      }),
    );
    // Without a pangkat the commitment names none.
    expect(payloads[1]?.person).toBe(
      commitment(rows[1]?.salt as string, {
        fullName: withoutPangkat.fullName,
        nip: rows[1]?.nip,
        position: withoutPangkat.position,
      }),
    );
    expect(await verifyLedger(t.services.ledger, t.clock)).toMatchObject({ ok: true, entries: 2 });
  });

  it('cannot be changed on a signature once made', async () => {
    const unit = await t.make.unit();
    const user = await t.make.user({ unitId: unit.id, pangkat: 'Penata, III/c' });
    const pact = await makePact(t.services, { audience: 'all', unitIds: [unit.id] });
    await signAs(t.services, pact, user);
    await expect(sql`UPDATE signatures SET pangkat = 'Pembina, IV/a'`.execute(t.db.q)).rejects.toThrow(
      /a signature cannot be changed/,
    );
  });
});
