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
  beforeEach(() => {
    t = createTestApp();
  });
  afterEach(() => t.close());

  const pathOf = (id: number) => t.db.prepare('SELECT path FROM units WHERE id = ?').pluck().get(id);

  function tree() {
    const setda = t.make.unit({ code: 'SETDA', name: 'Sekretariat Daerah', kind: 'sekretariat' });
    const biro = t.make.unit({ code: 'BIRO-UMUM', name: 'Biro Umum', kind: 'biro', parentId: setda.id });
    const bagian = t.make.unit({
      code: 'BAG-TU',
      name: 'Bagian Tata Usaha',
      kind: 'bagian',
      parentId: biro.id,
    });
    const dinkes = t.make.unit({ code: 'DINKES', name: 'Dinas Kesehatan' });
    return { setda, biro, bagian, dinkes };
  }

  it('gives each new unit the path of its parent and its own id', () => {
    const { setda, biro, bagian, dinkes } = tree();
    expect(pathOf(setda.id)).toBe(`/${setda.id}/`);
    expect(pathOf(biro.id)).toBe(`/${setda.id}/${biro.id}/`);
    expect(pathOf(bagian.id)).toBe(`/${setda.id}/${biro.id}/${bagian.id}/`);
    expect(pathOf(dinkes.id)).toBe(`/${dinkes.id}/`);
  });

  it('moves the whole subtree with a unit, under another unit and back to the top', () => {
    const { setda, biro, bagian, dinkes } = tree();
    expect(moveUnit(t.services, { unitId: biro.id, parentId: dinkes.id, actor: systemActor }).ok).toBe(true);
    expect(pathOf(biro.id)).toBe(`/${dinkes.id}/${biro.id}/`);
    expect(pathOf(bagian.id)).toBe(`/${dinkes.id}/${biro.id}/${bagian.id}/`);
    expect(pathOf(setda.id)).toBe(`/${setda.id}/`);

    expect(moveUnit(t.services, { unitId: biro.id, parentId: null, actor: systemActor }).ok).toBe(true);
    expect(pathOf(bagian.id)).toBe(`/${biro.id}/${bagian.id}/`);
  });

  it('refuses a ring made straight in the database, and changes nothing', () => {
    const { setda, bagian } = tree();
    const before = t.db.prepare('SELECT id, parent_id, path FROM units ORDER BY id').all();
    expect(() =>
      t.db.prepare('UPDATE units SET parent_id = ? WHERE id = ?').run(bagian.id, setda.id),
    ).toThrow(/cannot be moved below itself/);
    expect(() =>
      t.db.prepare('UPDATE units SET parent_id = ? WHERE id = ?').run(setda.id, setda.id),
    ).toThrow();
    expect(t.db.prepare('SELECT id, parent_id, path FROM units ORDER BY id').all()).toEqual(before);
  });
});
