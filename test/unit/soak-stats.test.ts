import { describe, expect, it } from 'vitest';
import { slopeMbPerMinute, summariseMemory } from '../bench/kit/soak-stats.js';

const minute = 60_000;

describe('the soak’s memory figures', () => {
  it('gives the least-squares slope in MB per minute', () => {
    expect(slopeMbPerMinute([0, 1, 2, 3].map((m) => ({ atMs: m * minute, mb: 100 + 2 * m })))).toBeCloseTo(2);
    // A sawtooth (a heap collected now and then) that neither climbs nor falls has no slope.
    const saw = Array.from({ length: 61 }, (_, i) => ({ atMs: i * 5000, mb: i % 2 === 0 ? 250 : 230 }));
    expect(slopeMbPerMinute(saw)).toBeCloseTo(0);
    expect(slopeMbPerMinute([{ atMs: 0, mb: 1 }])).toBeNull();
    expect(
      slopeMbPerMinute([
        { atMs: 5, mb: 1 },
        { atMs: 5, mb: 2 },
      ]),
    ).toBeNull();
  });

  it('sums a process up: start, after the warm-up, peak, end, and the slope after the warm-up only', () => {
    const samples = [
      { atMs: 0, mb: 80 },
      { atMs: 1 * minute, mb: 200 },
      { atMs: 2 * minute, mb: 150 },
      { atMs: 3 * minute, mb: 150 },
      { atMs: 4 * minute, mb: 150 },
    ];
    expect(summariseMemory(samples, 2 * minute)).toEqual({
      startMb: 80,
      warmMb: 150,
      peakMb: 200,
      endMb: 150,
      slopeMbPerMinute: 0,
      samples: 5,
    });
    expect(summariseMemory(samples.slice(0, 2), 2 * minute)).toMatchObject({
      warmMb: null,
      slopeMbPerMinute: null,
    });
    expect(summariseMemory([], 0)).toBeNull();
  });
});
