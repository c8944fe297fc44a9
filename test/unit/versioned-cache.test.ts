import { describe, expect, it } from 'vitest';
import { versionedCache } from '../../src/db/versioned-cache.js';

describe('versionedCache', () => {
  const setUp = (options?: { maxEntries?: number }) => {
    let version = '1';
    const reads: number[] = [];
    let fail = false;
    const cache = versionedCache(
      async () => version,
      async (key: number) => {
        reads.push(key);
        if (fail) throw new Error('basis data tidak dapat dibaca');
        return `nilai ${key} pada versi ${version}`;
      },
      options,
    );
    return {
      cache,
      reads,
      bump: () => {
        version = String(Number(version) + 1);
      },
      failReads: (value: boolean) => {
        fail = value;
      },
    };
  };

  it('reads a key once while the version stands, and again once it moves', async () => {
    const { cache, reads, bump } = setUp();
    expect(await cache(7)).toBe('nilai 7 pada versi 1');
    expect(await cache(7)).toBe('nilai 7 pada versi 1');
    expect(await cache(8)).toBe('nilai 8 pada versi 1');
    expect(reads).toEqual([7, 8]);
    bump();
    expect(await cache(7)).toBe('nilai 7 pada versi 2');
    expect(reads).toEqual([7, 8, 7]);
  });

  it('lets readers arriving during a read share it', async () => {
    const { cache, reads } = setUp();
    const answers = await Promise.all([cache(3), cache(3), cache(3)]);
    expect(answers).toEqual(Array(3).fill('nilai 3 pada versi 1'));
    expect(reads).toEqual([3]);
  });

  it('does not keep a failed read: the next reader tries again', async () => {
    const { cache, reads, failReads } = setUp();
    failReads(true);
    await expect(cache(5)).rejects.toThrow('basis data tidak dapat dibaca');
    failReads(false);
    expect(await cache(5)).toBe('nilai 5 pada versi 1');
    expect(reads).toEqual([5, 5]);
  });

  it('starts over rather than growing past its limit', async () => {
    const { cache, reads } = setUp({ maxEntries: 2 });
    await cache(1);
    await cache(2);
    await cache(3);
    await cache(2);
    expect(reads).toEqual([1, 2, 3, 2]);
  });
});
