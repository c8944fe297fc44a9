import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/record-event.js';
import { moveUnit } from '../../src/directory/units/move-unit.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * units.path (migration 013) is what "in the subtree of a unit a pact names" is decided by: it must follow every
 * insert and move, and the database must refuse a ring however the change is made.
 */
describe('unit paths', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const pathOf = async (id: number) =>
    (await sql<{ path: string }>`SELECT path FROM units WHERE id = ${id}`.execute(t.db.q)).rows[0]?.path;
  const units = async () =>
    (await sql`SELECT id, parent_id, path FROM units ORDER BY id`.execute(t.db.q)).rows;

  async function tree() {
    const setda = await t.make.unit({ code: 'SETDA', name: 'Sekretariat Daerah', kind: 'sekretariat' });
    const biro = await t.make.unit({
      code: 'BIRO-UMUM',
      name: 'Biro Umum',
      kind: 'biro',
      parentId: setda.id,
    });
    const bagian = await t.make.unit({
      code: 'BAG-TU',
      name: 'Bagian Tata Usaha',
      kind: 'bagian',
      parentId: biro.id,
    });
    const dinkes = await t.make.unit({ code: 'DINKES', name: 'Dinas Kesehatan' });
    return { setda, biro, bagian, dinkes };
  }

  it('gives each new unit the path of its parent and its own id', async () => {
    const { setda, biro, bagian, dinkes } = await tree();
    expect(await pathOf(setda.id)).toBe(`/${setda.id}/`);
    expect(await pathOf(biro.id)).toBe(`/${setda.id}/${biro.id}/`);
    expect(await pathOf(bagian.id)).toBe(`/${setda.id}/${biro.id}/${bagian.id}/`);
    expect(await pathOf(dinkes.id)).toBe(`/${dinkes.id}/`);
  });

  it('moves the whole subtree with a unit, under another unit and back to the top', async () => {
    const { setda, biro, bagian, dinkes } = await tree();
    expect(
      (await moveUnit(t.services, { unitId: biro.id, parentId: dinkes.id, actor: systemActor })).ok,
    ).toBe(true);
    expect(await pathOf(biro.id)).toBe(`/${dinkes.id}/${biro.id}/`);
    expect(await pathOf(bagian.id)).toBe(`/${dinkes.id}/${biro.id}/${bagian.id}/`);
    expect(await pathOf(setda.id)).toBe(`/${setda.id}/`);

    expect((await moveUnit(t.services, { unitId: biro.id, parentId: null, actor: systemActor })).ok).toBe(
      true,
    );
    expect(await pathOf(bagian.id)).toBe(`/${biro.id}/${bagian.id}/`);
  });

  it('refuses a ring made straight in the database, and changes nothing', async () => {
    const { setda, bagian } = await tree();
    const before = await units();
    await expect(
      sql`UPDATE units SET parent_id = ${bagian.id} WHERE id = ${setda.id}`.execute(t.db.q),
    ).rejects.toThrow(/cannot be moved below itself/);
    await expect(
      sql`UPDATE units SET parent_id = ${setda.id} WHERE id = ${setda.id}`.execute(t.db.q),
    ).rejects.toThrow();
    expect(await units()).toEqual(before);
  });
});
