import type { User } from '../types.js';

/**
 * The rule that keeps anyone from acting as someone else: whoever controls an account's email or NIP, or receives
 * a password link for it, can get into it. Before the person has ever set a password, the admin or operator who
 * registered them vouches for that address and may change it or send the invitation. From the moment the person
 * has taken the account over (a password set, or a login), only an admin may: change its email or NIP, or issue a
 * link or letter that sets its password. The old address is told of a change. See docs/ARCHITECTURE.md.
 */

/** The fields of a record that lead into the account: where links are mailed, and what one logs in with. */
export const ACCESS_FIELDS = ['email', 'nip'] as const;

/** Whether the person has taken their account over: set a password, or ever logged in. */
export const hasTakenOverAccount = (
  user: Pick<User, 'passwordHash' | 'passwordChangedAt' | 'lastLoginAt'>,
): boolean => user.passwordHash !== null || user.passwordChangedAt !== null || user.lastLoginAt !== null;

/** Whether this manager may hand out a way into the target's account (change its email or NIP, issue a link). */
export const mayHandOutAccess = (
  manager: Pick<User, 'role'>,
  target: Pick<User, 'passwordHash' | 'passwordChangedAt' | 'lastLoginAt'>,
): boolean => manager.role === 'admin' || !hasTakenOverAccount(target);
