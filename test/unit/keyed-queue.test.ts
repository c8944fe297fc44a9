import { describe, expect, it } from 'vitest';
import { keyedQueue } from '../../src/auth/keyed-queue.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

/** A task that notes when it starts and ends, with a pause between, and returns its name. */
const recordingTask = (log: string[], name: string) => async () => {
  log.push(`${name} start`);
  await tick();
  log.push(`${name} end`);
  return name;
};

describe('keyedQueue', () => {
  it('runs tasks of one key one after another, in order', async () => {
    const queue = keyedQueue();
    const log: string[] = [];
    const results = await Promise.all(['a', 'b', 'c'].map((name) => queue.run(1, recordingTask(log, name))));
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });

  it('runs tasks of different keys side by side', async () => {
    const queue = keyedQueue();
    const log: string[] = [];
    await Promise.all([queue.run(1, recordingTask(log, 'a')), queue.run(2, recordingTask(log, 'b'))]);
    expect(log.slice(0, 2)).toEqual(['a start', 'b start']);
  });

  it('goes on after a task fails, passing the failure to its caller only, and forgets finished keys', async () => {
    const queue = keyedQueue();
    const failed = queue.run(7, async () => {
      throw new Error('gagal');
    });
    const next = queue.run(7, async () => 'lanjut');
    await expect(failed).rejects.toThrow('gagal');
    await expect(next).resolves.toBe('lanjut');
    await tick();
    expect(queue.size()).toBe(0);
  });
});
