import { describe, expect, it } from 'vitest';
import { recentEpochs } from '../../src/db/recent-epochs.js';

describe('recentEpochs', () => {
  const setUp = () => {
    const db = { writes: 0 };
    let clock = 0;
    let reads = 0;
    let stored = '1.1.1';
    const version = recentEpochs(
      async () => {
        reads += 1;
        return stored;
      },
      db,
      { maxAgeMs: 100, now: () => clock },
    );
    return {
      version,
      db,
      reads: () => reads,
      advance: (ms: number) => {
        clock += ms;
      },
      store: (value: string) => {
        stored = value;
      },
    };
  };

  it('reads the database once for every reader within 100 ms while this process writes nothing', async () => {
    const t = setUp();
    expect(await Promise.all([t.version(), t.version()])).toEqual(['1.1.1', '1.1.1']);
    t.advance(99);
    expect(await t.version()).toBe('1.1.1');
    expect(t.reads()).toBe(1);
  });

  it('sees another process’s change once the last read is 100 ms old', async () => {
    const t = setUp();
    await t.version();
    t.store('1.2.1');
    expect(await t.version()).toBe('1.1.1');
    t.advance(100);
    expect(await t.version()).toBe('1.2.1');
    expect(t.reads()).toBe(2);
  });

  it('sees a change of this process at once', async () => {
    const t = setUp();
    await t.version();
    t.store('2.1.1');
    t.db.writes += 1;
    expect(await t.version()).toBe('2.1.1');
  });

  it('keeps no failed read: the next reader tries again', async () => {
    let fail = true;
    const version = recentEpochs(
      async () => {
        if (fail) throw new Error('basis data tidak terbaca');
        return '3.3.3';
      },
      { writes: 0 },
      { now: () => 0 },
    );
    await expect(version()).rejects.toThrow('tidak terbaca');
    fail = false;
    expect(await version()).toBe('3.3.3');
  });
});
