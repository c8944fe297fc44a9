import type { Actor } from '../audit/record-event.js';
import { recordEvent } from '../audit/record-event.js';
import { inTransaction } from '../db/database.js';
import type { Services } from '../services.js';
import { checkNewPassword, hashPassword, type PasswordProblem, verifyPassword } from './password.js';

export interface ChangePasswordOptions {
  userId: number;
  currentPassword: string;
  newPassword: string;
  actor: Actor;
  /** The session that asked; every other session of the user is ended. */
  sessionId: string;
}

export type ChangePasswordResult =
  | { ok: true }
  | { ok: false; field: 'current_password'; problem: 'wrong' }
  | { ok: false; field: 'new_password'; problem: PasswordProblem };

export async function changePassword(
  services: Pick<Services, 'db' | 'users' | 'audit' | 'sessions' | 'clock'>,
  options: ChangePasswordOptions,
): Promise<ChangePasswordResult> {
  const { users, audit, sessions, clock } = services;
  const user = users.findById(options.userId);
  if (!user?.passwordHash || !(await verifyPassword(user.passwordHash, options.currentPassword))) {
    return { ok: false, field: 'current_password', problem: 'wrong' };
  }
  if (options.newPassword === options.currentPassword) {
    return { ok: false, field: 'new_password', problem: 'same_as_current' };
  }
  const problem = checkNewPassword(options.newPassword, user);
  if (problem) return { ok: false, field: 'new_password', problem };

  const hash = await hashPassword(options.newPassword);
  inTransaction(services.db, () => {
    const now = clock.now();
    users.setPassword(user.id, hash, false, now);
    const endedSessions = sessions.destroyForUser(user.id, options.sessionId);
    recordEvent(audit, {
      actor: options.actor,
      action: 'password.changed',
      target: { type: 'user', id: user.id },
      details: { endedSessions },
      at: now,
    });
  });
  return { ok: true };
}
