/** The arithmetic of `npm run bench -- --soak`: what a process's memory did over the soak. Pure, so tests read it. */

/** One sample of one process: when (ms since the soak began) and its RSS (MB). */
export interface MemorySample {
  atMs: number;
  mb: number;
}

/**
 * The least-squares slope of `mb` over time, in MB per minute; null with fewer than two distinct times. A line
 * through every sample rather than end minus start: one sample caught mid-collection would move that by tens of MB.
 */
export function slopeMbPerMinute(samples: readonly MemorySample[]): number | null {
  const n = samples.length;
  if (n < 2) return null;
  const meanX = samples.reduce((sum, s) => sum + s.atMs, 0) / n;
  const meanY = samples.reduce((sum, s) => sum + s.mb, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const s of samples) {
    covariance += (s.atMs - meanX) * (s.mb - meanY);
    variance += (s.atMs - meanX) ** 2;
  }
  return variance === 0 ? null : (covariance / variance) * 60_000;
}

export interface ProcessMemory {
  /** The first sample's RSS. */
  startMb: number;
  /** The first sample at or after the warm-up's end (null: the process did not live past it). */
  warmMb: number | null;
  peakMb: number;
  /** The last sample's RSS. */
  endMb: number;
  /** The slope of the samples after the warm-up, MB per minute (null: too few of them). */
  slopeMbPerMinute: number | null;
  samples: number;
}

/** A process's samples, in time order, summed up; the slope leaves out the first `warmUpMs` (JIT, caches, heap). */
export function summariseMemory(samples: readonly MemorySample[], warmUpMs: number): ProcessMemory | null {
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last) return null;
  const warm = samples.filter((s) => s.atMs >= warmUpMs);
  return {
    startMb: first.mb,
    warmMb: warm[0]?.mb ?? null,
    peakMb: Math.max(...samples.map((s) => s.mb)),
    endMb: last.mb,
    slopeMbPerMinute: slopeMbPerMinute(warm),
    samples: samples.length,
  };
}
