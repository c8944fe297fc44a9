import { type Actor, recordEvent } from '../../audit/record-event.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import type { TimeZone } from '../../core/time-zone.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import type { User } from '../types.js';
import type { UnitRepository } from '../unit-repository.js';
import type { UserRepository } from '../user-repository.js';
import { canManageUser, checkUserInput, normaliseUserInput, type UserInput } from './input.js';

type SaveServices = {
  db: Db;
  users: UserRepository;
  units: UnitRepository;
  audit: AuditRepository;
  clock: Clock;
  timeZone: TimeZone;
};
type Manager = Pick<User, 'id' | 'role' | 'unitId'>;

export type SaveUserResult =
  | { ok: true; userId: number }
  | { ok: false; reason: 'not_found' | 'forbidden' }
  | { ok: false; reason: 'invalid'; errors: Record<string, string> };

/** Adds a person to the directory (no password: they get an invitation). Checked against the actor's scope. */
export function createUser(
  services: SaveServices,
  options: { input: UserInput; manager: Manager; actor: Actor },
): SaveUserResult {
  const input = normaliseUserInput(options.input);
  return inTransaction(services.db, (): SaveUserResult => {
    const errors = checkUserInput(services, input, { actor: options.manager });
    if (Object.keys(errors).length > 0) return { ok: false, reason: 'invalid', errors };
    const now = services.clock.now();
    const userId = services.users.insert({ ...input, passwordHash: null, mustChangePassword: false }, now);
    recordEvent(services.audit, {
      actor: options.actor,
      action: 'user.created',
      target: { type: 'user', id: userId },
      details: { nip: input.nip, email: input.email, role: input.role, unitId: input.unitId },
      at: now,
    });
    return { ok: true, userId };
  });
}

/** Changes a person's record. An operator may only edit signers in their subtree, and only keep them signers. */
export function updateUser(
  services: SaveServices,
  options: { userId: number; input: UserInput; manager: Manager; actor: Actor },
): SaveUserResult {
  const input = normaliseUserInput(options.input);
  return inTransaction(services.db, (): SaveUserResult => {
    const user = services.users.findById(options.userId);
    if (!user) return { ok: false, reason: 'not_found' };
    if (!canManageUser(services, options.manager, user)) return { ok: false, reason: 'forbidden' };
    const errors = checkUserInput(services, input, { actor: options.manager, existingId: user.id });
    const lastAdmin =
      user.role === 'admin' && user.status === 'active' && services.users.countActiveAdmins() <= 1;
    if (lastAdmin && input.role !== 'admin') {
      errors.role = 'user.form.last_admin';
    }
    if (Object.keys(errors).length > 0) return { ok: false, reason: 'invalid', errors };
    const changed = (Object.keys(input) as (keyof UserInput)[]).filter((key) => input[key] !== user[key]);
    if (changed.length === 0) return { ok: true, userId: user.id };
    const now = services.clock.now();
    services.users.update(user.id, input, now);
    recordEvent(services.audit, {
      actor: options.actor,
      action: 'user.updated',
      target: { type: 'user', id: user.id },
      details: Object.fromEntries(changed.map((key) => [key, { from: user[key], to: input[key] }])),
      at: now,
    });
    return { ok: true, userId: user.id };
  });
}
