import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openConfiguredDatabase } from '../../src/db/database.js';
import { reminderRepository } from '../../src/reminders/reminder-repository.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

describe('the reminder schedule across app nodes', () => {
  let t: TestApp;
  let other: Db;
  beforeEach(async () => {
    t = await createTestApp();
    // A second node: its own connections to the same database.
    other = await openConfiguredDatabase(t.config);
  });
  afterEach(async () => {
    await other.close();
    await t.close();
  });

  it('runs one node’s pass at a time on PostgreSQL, and every pass on SQLite (one machine)', async () => {
    const [a, b] = [reminderRepository(t.db), reminderRepository(other)];
    let finish = () => {};
    const running = new Promise<void>((resolve) => {
      finish = resolve;
    });
    let started!: () => void;
    const hasStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const first = a.asTheOnlyScheduler(async () => {
      started();
      await running;
    });
    await hasStarted;
    let secondRan = false;
    const second = await b.asTheOnlyScheduler(async () => {
      secondRan = true;
    });
    finish();
    expect(await first).toBe(true);
    if (t.db.engine === 'postgres') {
      expect([second, secondRan]).toEqual([false, false]);
      // Once the first pass has ended, the other node may run the next.
      expect(await b.asTheOnlyScheduler(async () => {})).toBe(true);
    } else {
      expect([second, secondRan]).toEqual([true, true]);
    }
  });

  it('lets go of the schedule when a pass fails', async () => {
    const [a, b] = [reminderRepository(t.db), reminderRepository(other)];
    await expect(
      a.asTheOnlyScheduler(async () => {
        throw new Error('SMTP mati');
      }),
    ).rejects.toThrow('SMTP mati');
    expect(await b.asTheOnlyScheduler(async () => {})).toBe(true);
  });
});
