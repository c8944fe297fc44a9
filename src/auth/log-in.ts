import type { Actor } from '../audit/record-event.js';
import { recordEvent } from '../audit/record-event.js';
import { inTransaction } from '../db/database.js';
import type { User } from '../directory/types.js';
import type { Services } from '../services.js';
import { findAccount } from './find-account.js';
import { verifyAgainstDummy, verifyPassword } from './password.js';

export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;

export interface LogInOptions {
  username: string;
  password: string;
  actor: Actor;
}

type FailureReason = 'unknown_account' | 'no_password' | 'disabled' | 'locked' | 'wrong_password';

/**
 * Checks a login. Every failure looks the same to the caller and takes about as long, so that nobody can learn
 * whether an account exists or is locked; the reason is kept in the audit log only.
 */
export async function logIn(
  services: Pick<Services, 'db' | 'users' | 'audit' | 'clock'>,
  options: LogInOptions,
): Promise<User | null> {
  const { users, audit, clock } = services;
  const user = findAccount(users, options.username);
  const auditFailure = (reason: FailureReason, account?: User): void =>
    recordEvent(audit, {
      actor: options.actor,
      action: 'login.failed',
      target: account ? { type: 'user', id: account.id } : undefined,
      details: { reason, username: options.username.slice(0, 100) },
      at: clock.now(),
    });
  const refuse = async (reason: FailureReason, account?: User): Promise<null> => {
    await verifyAgainstDummy(options.password);
    auditFailure(reason, account);
    return null;
  };

  if (!user) return refuse('unknown_account');
  if (!user.passwordHash) return refuse('no_password', user);
  if (user.status !== 'active') return refuse('disabled', user);
  if (user.lockedUntil && user.lockedUntil > clock.now().toISOString()) return refuse('locked', user);

  if (!(await verifyPassword(user.passwordHash, options.password))) {
    inTransaction(services.db, () => {
      const now = clock.now();
      const failures = users.recordFailedLogin(user.id, now);
      auditFailure('wrong_password', user);
      if (failures >= LOCKOUT_THRESHOLD) {
        const until = new Date(now.getTime() + LOCKOUT_MS);
        users.lock(user.id, until, now);
        recordEvent(audit, {
          actor: options.actor,
          action: 'account.locked',
          target: { type: 'user', id: user.id },
          details: { failedLogins: failures, lockedUntil: until.toISOString() },
          at: now,
        });
      }
    });
    return null;
  }

  inTransaction(services.db, () => {
    const now = clock.now();
    users.recordSuccessfulLogin(user.id, now);
    recordEvent(audit, {
      actor: options.actor,
      action: 'login.succeeded',
      target: { type: 'user', id: user.id },
      at: now,
    });
  });
  return user;
}
