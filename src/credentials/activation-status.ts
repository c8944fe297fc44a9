import type { User } from '../directory/types.js';
import type { UserRepository } from '../directory/user-repository.js';
import { hasTakenOverAccount } from './account-access.js';
import type { PasswordLinkRepository } from './password-link-repository.js';

/**
 * Where a person stands with their account, as an operator chasing them needs to know: active (they set a password
 * or logged in), a letter printed on a date but never used ("belum aktivasi"), or neither yet.
 */
export type ActivationStatus = { kind: 'active' } | { kind: 'letter'; printedAt: string } | { kind: 'never' };

/**
 * The lists' filter by it, as it appears in URLs: `belum` is "belum aktivasi", the people who have a letter and
 * never came, whom operators chase.
 */
export const ACTIVATION_FILTERS = { belum: 'letter', 'tanpa-surat': 'never', aktif: 'active' } as const;
export type ActivationFilter = keyof typeof ACTIVATION_FILTERS;

export const activationStatusOf = (
  user: Parameters<typeof hasTakenOverAccount>[0],
  letterPrintedAt: string | undefined,
): ActivationStatus =>
  hasTakenOverAccount(user)
    ? { kind: 'active' }
    : letterPrintedAt
      ? { kind: 'letter', printedAt: letterPrintedAt }
      : { kind: 'never' };

/** The status of each of these people (of the users given, or looked up by id), in two queries. */
export async function activationStatuses(
  services: { users: UserRepository; passwordLinks: PasswordLinkRepository },
  people: readonly number[] | readonly User[],
): Promise<Map<number, ActivationStatus>> {
  const users =
    typeof people[0] === 'number'
      ? await services.users.findByIds(people as readonly number[])
      : (people as readonly User[]);
  const letters = await services.passwordLinks.latestLetters(users.map((user) => user.id));
  return new Map(users.map((user) => [user.id, activationStatusOf(user, letters.get(user.id))]));
}
