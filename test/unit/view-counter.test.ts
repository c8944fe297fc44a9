import { describe, expect, it } from 'vitest';
import { viewCounter } from '../../src/news/view-counter.js';

/** A counter whose writes are remembered (as plain objects), and which fails while `failing` is set. */
function recordingCounter() {
  const writes: Record<number, number>[] = [];
  const state = { failing: false };
  const counter = viewCounter(async (counts) => {
    if (state.failing) throw new Error('database is locked');
    writes.push(Object.fromEntries(counts));
  });
  return { counter, writes, state };
}

describe('counting post views in memory', () => {
  it('counts views per post until they are written', () => {
    const { counter, writes } = recordingCounter();
    counter.record(1);
    counter.record(1);
    counter.record(2);
    expect(counter.pendingFor(1)).toBe(2);
    expect(counter.pendingFor(2)).toBe(1);
    expect(counter.pendingFor(3)).toBe(0);
    expect(writes).toEqual([]);
  });

  it('writes every pending count in one batch, then has nothing pending', async () => {
    const { counter, writes } = recordingCounter();
    counter.record(1);
    counter.record(1);
    counter.record(2);
    expect(await counter.flush()).toBe(2);
    expect(writes).toEqual([{ 1: 2, 2: 1 }]);
    expect(counter.pendingFor(1)).toBe(0);
    expect(counter.pendingFor(2)).toBe(0);
  });

  it('writes nothing (and calls no write) when nothing is pending, so a second flush does not double-count', async () => {
    const { counter, writes } = recordingCounter();
    expect(await counter.flush()).toBe(0);
    counter.record(7);
    expect(await counter.flush()).toBe(1);
    expect(await counter.flush()).toBe(0);
    expect(writes).toEqual([{ 7: 1 }]);
  });

  it('writes only what was counted since the last flush', async () => {
    const { counter, writes } = recordingCounter();
    counter.record(1);
    await counter.flush();
    counter.record(1);
    counter.record(3);
    await counter.flush();
    expect(writes).toEqual([{ 1: 1 }, { 1: 1, 3: 1 }]);
  });

  it('keeps the counts of a failed write for the next flush, and rethrows the error', async () => {
    const { counter, writes, state } = recordingCounter();
    counter.record(1);
    counter.record(2);
    state.failing = true;
    await expect(counter.flush()).rejects.toThrow('database is locked');
    expect(counter.pendingFor(1)).toBe(1);
    expect(counter.pendingFor(2)).toBe(1);

    counter.record(1);
    expect(counter.pendingFor(1)).toBe(2);
    state.failing = false;
    expect(await counter.flush()).toBe(2);
    expect(writes).toEqual([{ 1: 2, 2: 1 }]);
    expect(counter.pendingFor(1)).toBe(0);
  });

  it('loses nothing over several failed writes in a row', async () => {
    const { counter, writes, state } = recordingCounter();
    state.failing = true;
    for (let i = 0; i < 3; i++) {
      counter.record(5);
      await expect(counter.flush()).rejects.toThrow();
    }
    state.failing = false;
    await counter.flush();
    expect(writes).toEqual([{ 5: 3 }]);
  });

  it('counts a view recorded while a batch is being written in the next batch', async () => {
    const writes: Record<number, number>[] = [];
    const counter = viewCounter(async (counts) => {
      writes.push(Object.fromEntries(counts));
      if (writes.length === 1) counter.record(9);
    });
    counter.record(9);
    await counter.flush();
    expect(counter.pendingFor(9)).toBe(1);
    await counter.flush();
    expect(writes).toEqual([{ 9: 1 }, { 9: 1 }]);
  });
});
