import { describe, expect, it } from 'vitest';
import { namesMatch } from '../../src/pledges/signing/name-match.js';

describe('matching the typed name to the account name', () => {
  it.each([
    ['Bambang Setiawan', 'Bambang Setiawan'],
    ['bambang setiawan', 'Bambang Setiawan'],
    ['  BAMBANG   SETIAWAN ', 'Bambang Setiawan'],
    ['BambangSetiawan', 'Bambang Setiawan'],
  ])('accepts %j for %j', (typed, name) => {
    expect(namesMatch(typed, name)).toBe(true);
  });

  it.each([
    ['Bambang', 'Bambang Setiawan'],
    ['Bambang Setiawan S.Kom', 'Bambang Setiawan'],
    ['', 'Bambang Setiawan'],
    ['   ', ''],
  ])('refuses %j for %j', (typed, name) => {
    expect(namesMatch(typed, name)).toBe(false);
  });
});
