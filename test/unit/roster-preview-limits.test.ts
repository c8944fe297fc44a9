import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/record-event.js';
import { previewRoster } from '../../src/directory/roster/preview.js';
import { personFactory, seededRandom } from '../../src/seed/people.js';
import { classifyRoster, type RosterSheet, sheetFeed } from '../helpers/roster-sheet.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

describe('previewing a large roster', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  it('decides each row as the rows before it allow, letting other work run between slices', async () => {
    await t.make.unit({ code: 'DINKES', name: 'Dinas Kesehatan' });
    const admin = await t.make.user({ role: 'admin', unitId: null, nip: null, email: 'admin@uji.test' });
    const person = personFactory(seededRandom(11));
    const nips = Array.from({ length: 30_000 }, () => person({ bornFrom: 1970, bornTo: 1998 }).nip);
    const sheet: RosterSheet = {
      headers: ['nip', 'nama', 'kode_unit', 'email'],
      columns: ['nip', 'nama', 'kode_unit', 'email'],
      // A repeated NIP, a repeated email and an unknown unit among them: decisions that depend on earlier rows.
      rows: nips.map((nip, i) => ({
        line: i + 2,
        cells: [
          i === 29_999 ? (nips[0] as string) : nip,
          `Pegawai ${i}`,
          i % 997 ? 'DINKES' : 'ASING',
          i % 5000 ? '' : 'sama@uji.test',
        ],
      })),
    };
    const gaps: number[] = [];
    let last = performance.now();
    let classifying = true;
    const watch = () => {
      gaps.push(performance.now() - last);
      last = performance.now();
      if (classifying) setImmediate(watch);
    };
    setImmediate(watch);
    const previewed = await previewRoster(t.services, {
      feed: sheetFeed(sheet),
      fileName: 'a.csv',
      manager: admin,
      actor: systemActor,
    });
    classifying = false;
    if (!previewed.ok) throw new Error(previewed.problem);
    // Read back in batches that do not divide the rows evenly: none lost or repeated at a batch's edge.
    const batches = [];
    for await (const batch of t.services.rosterImports.rowBatches(previewed.importId, 7000)) {
      batches.push(batch);
    }
    const stored = batches.flat().map((row) => row.outcome);
    expect(stored).toEqual((await classifyRoster(t.services, sheet, admin)).map((row) => row.outcome));
    expect(new Set(stored.map((outcome) => outcome.reason?.key ?? outcome.status))).toEqual(
      new Set([
        'new',
        'admin.import.reason.unit_unknown',
        'admin.import.reason.email_duplicate',
        'admin.import.reason.nip_duplicate',
      ]),
    );
    // In one piece these rows leave no gap at all; in slices of 20 ms, dozens (the median, not the longest: on a
    // busy machine the operating system makes gaps of its own).
    expect(gaps.length).toBeGreaterThan(10);
    expect(gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 2)]).toBeLessThan(50);
  });

  it('keeps no import that would store more than 32 MB', async () => {
    const admin = await t.make.user({ role: 'admin', unitId: null, nip: null, email: 'admin@uji.test' });
    // Cells no file could bring (the reader refuses them), so that only the stored size is in question.
    const sheet: RosterSheet = {
      headers: ['nip', 'nama', 'kode_unit'],
      columns: ['nip', 'nama', 'kode_unit'],
      rows: Array.from({ length: 34 }, (_, i) => ({
        line: i + 2,
        cells: ['1', 'n'.repeat(1024 * 1024), 'X'],
      })),
    };
    expect(
      await previewRoster(t.services, {
        feed: sheetFeed(sheet),
        fileName: 'a.csv',
        manager: admin,
        actor: systemActor,
      }),
    ).toEqual({
      ok: false,
      problem: 'too_much_text',
      params: { max: 32 },
    });
    expect(
      (await sql<{ n: number }>`SELECT count(*) AS n FROM roster_imports`.execute(t.db.q)).rows[0]?.n,
    ).toBe(0);
    expect(
      (await sql<{ n: number }>`SELECT count(*) AS n FROM roster_import_rows`.execute(t.db.q)).rows[0]?.n,
    ).toBe(0);
    sheet.rows.length = 30;
    expect(
      await previewRoster(t.services, {
        feed: sheetFeed(sheet),
        fileName: 'a.csv',
        manager: admin,
        actor: systemActor,
      }),
    ).toMatchObject({
      ok: true,
    });
  });
});
