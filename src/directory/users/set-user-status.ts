import { type Actor, recordEvent } from '../../audit/record-event.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import type { PasswordLinkRepository } from '../../credentials/password-link-repository.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import type { SessionRepository } from '../../sessions/session-repository.js';
import type { User, UserStatus } from '../types.js';
import type { UnitRepository } from '../unit-repository.js';
import type { UserRepository } from '../user-repository.js';
import { canManageUser } from './input.js';

export type SetUserStatusResult =
  | { ok: true }
  | {
      ok: false;
      reason:
        | 'not_found'
        | 'forbidden'
        | 'last_admin'
        | 'self'
        | 'unchanged'
        | 'unit_inactive'
        | 'anonymised';
    };

/**
 * Disables or re-enables an account. Disabling ends every session of that person and retires their unused
 * password links at once (in the same transaction), and is refused for oneself and for the last active admin.
 * Re-enabling is refused while the person's unit is inactive (an inactive unit has no active members), and for an
 * anonymised person (restored first, with their NIP, by an admin).
 */
export async function setUserStatus(
  services: {
    db: Db;
    users: UserRepository;
    units: UnitRepository;
    sessions: SessionRepository;
    passwordLinks: PasswordLinkRepository;
    audit: AuditRepository;
    clock: Clock;
  },
  options: {
    userId: number;
    status: UserStatus;
    manager: Pick<User, 'id' | 'role' | 'unitId'>;
    actor: Actor;
  },
): Promise<SetUserStatusResult> {
  return inTransaction(services.db, async (): Promise<SetUserStatusResult> => {
    const user = await services.users.findById(options.userId);
    if (!user) return { ok: false, reason: 'not_found' };
    if (!(await canManageUser(services, options.manager, user))) return { ok: false, reason: 'forbidden' };
    if (user.status === options.status) return { ok: false, reason: 'unchanged' };
    const disabling = options.status === 'disabled';
    if (disabling && user.id === options.manager.id) return { ok: false, reason: 'self' };
    if (disabling && user.role === 'admin' && (await services.users.countActiveAdmins()) <= 1) {
      return { ok: false, reason: 'last_admin' };
    }
    // An anonymised person has no way in to enable: an admin restores their record first.
    if (!disabling && user.anonymisedAt !== null) return { ok: false, reason: 'anonymised' };
    if (!disabling && user.unitId !== null && !(await services.units.findById(user.unitId))?.active) {
      return { ok: false, reason: 'unit_inactive' };
    }
    const now = services.clock.now();
    await services.users.setStatus(user.id, options.status, now);
    const endedSessions = disabling ? await services.sessions.destroyForUser(user.id, '') : 0;
    if (disabling) await services.passwordLinks.retireAll(user.id, now);
    await recordEvent(services.audit, {
      actor: options.actor,
      action: disabling ? 'user.disabled' : 'user.enabled',
      target: { type: 'user', id: user.id },
      details: { endedSessions },
      at: now,
    });
    return { ok: true };
  });
}
