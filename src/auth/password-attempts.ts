import type { AuditAction } from '../audit/actions.js';
import { type Actor, recordEvent } from '../audit/record-event.js';
import type { AuditRepository } from '../audit/repository.js';
import type { Clock } from '../core/clock.js';
import { verifyAgainstDummy, verifyPassword } from '../credentials/password.js';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/database.js';
import type { User } from '../directory/types.js';
import type { UserRepository } from '../directory/user-repository.js';
import type { KeyedQueue } from './keyed-queue.js';

export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;

export const isLocked = (user: Pick<User, 'lockedUntil'>, now: Date): boolean =>
  user.lockedUntil !== null && user.lockedUntil > now.toISOString();

/**
 * accepted: right password, failures cleared. wrong_password: counted and audited. locked_out: this wrong password
 * was one too many and locked the account (audited). locked: the account was already locked; nothing was counted.
 */
export type AttemptOutcome = 'accepted' | 'wrong_password' | 'locked_out' | 'locked';

type AttemptServices = {
  db: Db;
  users: UserRepository;
  audit: AuditRepository;
  clock: Clock;
  passwordAttempts: KeyedQueue;
};

/**
 * Checks a password of an existing account against the lockout rules: one attempt at a time per account (see
 * keyedQueue), reading the account afresh. A wrong password is counted and audited as `failureAction`; the fifth
 * in a row locks the account for 15 minutes. A locked account is refused (not audited here) even with the right
 * password.
 * `onAccepted` runs inside the transaction that resets the count, and only if the account is still unlocked there.
 */
export function checkPasswordAttempt(
  services: AttemptServices,
  options: {
    userId: number;
    password: string;
    actor: Actor;
    failureAction: Extract<
      AuditAction,
      'login.failed' | 'password.change_refused' | 'signing.password_refused'
    >;
    details?: Record<string, unknown>;
    onAccepted?: (user: User, now: Date) => Promise<void>;
  },
): Promise<AttemptOutcome> {
  const { users, audit, clock } = services;
  return services.passwordAttempts.run(options.userId, async () => {
    const user = await users.findById(options.userId);
    if (!user?.passwordHash || isLocked(user, clock.now())) {
      await verifyAgainstDummy(options.password); // as long as a real check, like every refusal
      return 'locked';
    }
    const correct = await verifyPassword(user.passwordHash, options.password);
    return inTransaction(services.db, async (): Promise<AttemptOutcome> => {
      const now = clock.now();
      if (correct) {
        // Conditional on the lock in the database: another process may have locked the account meanwhile.
        if (!(await users.clearFailedLogins(user.id, now))) return 'locked';
        await options.onAccepted?.(user, now);
        return 'accepted';
      }
      const failures = await users.recordFailedLogin(user.id, now);
      await recordEvent(audit, {
        actor: options.actor,
        action: options.failureAction,
        target: { type: 'user', id: user.id },
        details: { reason: 'wrong_password', ...options.details },
        at: now,
      });
      if (failures >= LOCKOUT_THRESHOLD) {
        const until = new Date(now.getTime() + LOCKOUT_MS);
        if (await users.lock(user.id, until, now)) {
          await recordEvent(audit, {
            actor: options.actor,
            action: 'account.locked',
            target: { type: 'user', id: user.id },
            details: { failedLogins: failures, lockedUntil: until.toISOString() },
            at: now,
          });
          return 'locked_out';
        }
      }
      return 'wrong_password';
    });
  });
}
