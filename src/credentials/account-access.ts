import type { User } from '../directory/types.js';
import type { PasswordLinkRepository } from './password-link-repository.js';

/**
 * The rule that keeps anyone from acting as someone else. Whoever controls an account's email or NIP, or receives
 * a password link for it, can get into it. So:
 *
 * - Until a way in has been handed out (the person set a password or logged in, or a link was sent to the address
 *   on file), the admin or operator who registers a person may correct its email or NIP.
 * - After that, only an admin may change them (by form or import); the old address is told.
 * - A link goes only to the address on file. An operator may send one (an invitation, again) until the person has
 *   taken the account over; after that only an admin may.
 *
 * See docs/ARCHITECTURE.md ("Nobody acts as someone else").
 */

type AccountState = Pick<User, 'id' | 'passwordHash' | 'passwordChangedAt' | 'lastLoginAt'>;
type Links = Pick<PasswordLinkRepository, 'latestCreatedAt'>;

/** The fields of a record that lead into the account: where links are mailed, and what one logs in with. */
export const ACCESS_FIELDS = ['email', 'nip'] as const;

/** Whether the person has taken their account over: set a password, or ever logged in. */
export const hasTakenOverAccount = (user: AccountState): boolean =>
  user.passwordHash !== null || user.passwordChangedAt !== null || user.lastLoginAt !== null;

/** Whether a way in has been handed out: the person took the account over, or a link was sent to its address. */
export const accessHandedOut = async (links: Links, user: AccountState): Promise<boolean> =>
  hasTakenOverAccount(user) || (await links.latestCreatedAt(user.id)) !== null;

/** Whether this manager may change the target's email or NIP. */
export const mayChangeAccess = async (
  links: Links,
  manager: Pick<User, 'role'>,
  target: AccountState,
): Promise<boolean> => manager.role === 'admin' || !(await accessHandedOut(links, target));

/** Whether this manager may have a password link sent to the target's address on file. */
export const mayIssueLink = (manager: Pick<User, 'role'>, target: AccountState): boolean =>
  manager.role === 'admin' || !hasTakenOverAccount(target);
