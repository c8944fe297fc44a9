import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  MIN_STRENGTH_SCORE,
  passwordStrength,
  passwordStrengthThreadRunning,
  warmPasswordStrength,
} from '../../src/credentials/password-strength.js';

describe('passwordStrength', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers several checks at once, each with its own score', async () => {
    const [weak, strong, stranger, own] = await Promise.all([
      passwordStrength('rahasiasekali', []),
      passwordStrength('sepeda biru melintas jembatan kayu', []),
      passwordStrength('larasatiwidodo', []),
      passwordStrength('larasatiwidodo', ['larasati', 'widodo']),
    ]);
    expect(weak).toBeLessThan(MIN_STRENGTH_SCORE);
    expect(strong).toBeGreaterThanOrEqual(MIN_STRENGTH_SCORE);
    // Strong for a stranger, guessable from the person's own name.
    expect(stranger).toBeGreaterThanOrEqual(MIN_STRENGTH_SCORE);
    expect(own).toBeLessThan(MIN_STRENGTH_SCORE);
  });

  it('ends its thread a minute after the last check, even one only warmed up, and starts another when needed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    warmPasswordStrength();
    expect(passwordStrengthThreadRunning()).toBe(true);
    vi.advanceTimersByTime(59_000);
    expect(passwordStrengthThreadRunning()).toBe(true);
    vi.advanceTimersByTime(1_000);
    expect(passwordStrengthThreadRunning()).toBe(false);

    expect(await passwordStrength('sepeda biru melintas jembatan kayu', [])).toBeGreaterThanOrEqual(
      MIN_STRENGTH_SCORE,
    );
    expect(passwordStrengthThreadRunning()).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(passwordStrengthThreadRunning()).toBe(false);
  });
});
