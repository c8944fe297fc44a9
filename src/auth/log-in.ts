import type { AuditAction } from '../audit/actions.js';
import type { Actor } from '../audit/record-event.js';
import { recordEvent } from '../audit/record-event.js';
import type { AuditRepository } from '../audit/repository.js';
import type { Clock } from '../core/clock.js';
import { verifyAgainstDummy } from '../credentials/password.js';
import type { Db } from '../db/database.js';
import type { User } from '../directory/types.js';
import type { UserRepository } from '../directory/user-repository.js';
import { findAccount } from './find-account.js';
import type { KeyedQueue } from './keyed-queue.js';
import { checkPasswordAttempt, isLocked } from './password-attempts.js';

export interface LogInOptions {
  username: string;
  password: string;
  actor: Actor;
}

type FailureReason = 'unknown_account' | 'no_password' | 'disabled' | 'locked';

/**
 * Checks a login. Every failure looks the same to the caller and takes about as long, so that nobody can learn
 * whether an account exists or is locked; the reason is kept in the audit log only.
 */
export async function logIn(
  services: {
    db: Db;
    users: UserRepository;
    audit: AuditRepository;
    clock: Clock;
    passwordAttempts: KeyedQueue;
  },
  options: LogInOptions,
): Promise<User | null> {
  const { users, audit, clock } = services;
  const username = options.username.slice(0, 100);
  const refuse = async (reason: FailureReason, account?: User, verified = false): Promise<null> => {
    if (!verified) await verifyAgainstDummy(options.password);
    await recordEvent(audit, {
      actor: options.actor,
      action: 'login.failed',
      target: account ? { type: 'user', id: account.id } : undefined,
      details: { reason, username },
      at: clock.now(),
    });
    return null;
  };

  const user = await findAccount(users, options.username);
  if (!user) return refuse('unknown_account');
  if (!user.passwordHash) return refuse('no_password', user);
  if (user.status !== 'active') return refuse('disabled', user);
  if (isLocked(user, clock.now())) return refuse('locked', user);

  const outcome = await checkPasswordAttempt(services, {
    userId: user.id,
    password: options.password,
    actor: options.actor,
    failureAction: 'login.failed',
    details: { username },
    onAccepted: (_account, now) =>
      recordLogin(services, user, { actor: options.actor, action: 'login.succeeded', at: now }),
  });
  if (outcome === 'accepted') return user;
  // A wrong password was audited by the attempt; a lock found while queued is audited here.
  return outcome === 'locked' ? refuse('locked', user, true) : null;
}

/**
 * What every way in records when it lets someone in: the time of the login on the account and its audit event, which
 * credits the person who logged in (the request had no user yet). Call it inside the transaction that decided the
 * login.
 */
export async function recordLogin(
  services: { users: UserRepository; audit: AuditRepository },
  user: Pick<User, 'id'>,
  event: {
    actor: Actor;
    action: AuditAction;
    at: Date;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await services.users.recordLogin(user.id, event.at);
  await recordEvent(services.audit, {
    actor: { ...event.actor, userId: user.id },
    action: event.action,
    target: { type: 'user', id: user.id },
    details: event.details,
    at: event.at,
  });
}
