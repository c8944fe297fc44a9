import { type Actor, recordEvent } from '../../audit/record-event.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import type { TimeZone } from '../../core/time-zone.js';
import { ACCESS_FIELDS, accessHandedOut } from '../../credentials/account-access.js';
import type { PasswordLinkRepository } from '../../credentials/password-link-repository.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import type { SettingsRepository } from '../../settings/repository.js';
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
  passwordLinks: PasswordLinkRepository;
  settings: Pick<SettingsRepository, 'get'>;
};
type Manager = Pick<User, 'id' | 'role' | 'unitId'>;

/**
 * A change to the way into an account after one was handed out (a password set, or a link sent): to be mailed,
 * once the change is committed, to the address that was on file, so that its owner learns at once that someone
 * else could now get in.
 */
export interface AccessChangeNotice {
  fullName: string;
  oldEmail: string;
  newEmail: string | null;
  fields: (typeof ACCESS_FIELDS)[number][];
  /** The person's language, which the notice is written in. */
  language: User['language'];
}

export type SaveUserResult =
  | { ok: true; userId: number; notice?: AccessChangeNotice }
  | { ok: false; reason: 'not_found' | 'forbidden' }
  | { ok: false; reason: 'invalid'; errors: Record<string, string> };

/** Adds a person to the directory (no password: they get an invitation). Checked against the actor's scope. */
export async function createUser(
  services: SaveServices,
  options: { input: UserInput; manager: Manager; actor: Actor },
): Promise<SaveUserResult> {
  const input = normaliseUserInput(options.input);
  return inTransaction(services.db, async (): Promise<SaveUserResult> => {
    const errors = await checkUserInput(services, input, { actor: options.manager });
    if (Object.keys(errors).length > 0) return { ok: false, reason: 'invalid', errors };
    const now = services.clock.now();
    const userId = await services.users.insert(
      { ...input, passwordHash: null, mustChangePassword: false },
      now,
    );
    await recordEvent(services.audit, {
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
export async function updateUser(
  services: SaveServices,
  options: { userId: number; input: UserInput; manager: Manager; actor: Actor },
): Promise<SaveUserResult> {
  const input = normaliseUserInput(options.input);
  return inTransaction(services.db, async (): Promise<SaveUserResult> => {
    const user = await services.users.findById(options.userId);
    if (!user) return { ok: false, reason: 'not_found' };
    if (!(await canManageUser(services, options.manager, user))) return { ok: false, reason: 'forbidden' };
    // An anonymised person who returns is restored by an admin, with the NIP they had (checkUserInput).
    if (user.anonymisedAt !== null && options.manager.role !== 'admin')
      return { ok: false, reason: 'forbidden' };
    const errors = await checkUserInput(services, input, { actor: options.manager, existing: user });
    const lastAdmin =
      user.role === 'admin' && user.status === 'active' && (await services.users.countActiveAdmins()) <= 1;
    if (lastAdmin && input.role !== 'admin') {
      errors.role = 'user.form.last_admin';
    }
    if (Object.keys(errors).length > 0) return { ok: false, reason: 'invalid', errors };
    const { notice } = await writeUserChange(services, {
      user,
      input,
      actor: options.actor,
      now: services.clock.now(),
      ...(user.anonymisedAt !== null ? { details: { restoredFromAnonymised: true } } : {}),
    });
    return notice ? { ok: true, userId: user.id, notice } : { ok: true, userId: user.id };
  });
}

/**
 * Writes a checked change to a record with its `user.updated` event (`details` adds to it, e.g. the import). A new
 * email retires the person's unused password links: they were sent to the old address. Returns the fields that
 * changed and, when the email or NIP changed after a way in was handed out, the notice for the old address. Call inside
 * the caller's transaction.
 */
export async function writeUserChange(
  services: Pick<SaveServices, 'users' | 'audit' | 'passwordLinks'>,
  change: { user: User; input: UserInput; actor: Actor; now: Date; details?: object },
): Promise<{ changed: (keyof UserInput)[]; notice: AccessChangeNotice | null }> {
  const { user, input, now } = change;
  const changed = (Object.keys(input) as (keyof UserInput)[]).filter((key) => input[key] !== user[key]);
  if (changed.length === 0) return { changed, notice: null };
  await services.users.update(user.id, input, now);
  if (changed.includes('email')) await services.passwordLinks.retireAll(user.id, now);
  await recordEvent(services.audit, {
    actor: change.actor,
    action: 'user.updated',
    target: { type: 'user', id: user.id },
    details: {
      ...Object.fromEntries(changed.map((key) => [key, { from: user[key], to: input[key] }])),
      ...change.details,
    },
    at: now,
  });
  const fields = ACCESS_FIELDS.filter((field) => changed.includes(field));
  // Retiring links keeps their creation time: a link sent to the old address still counts as handed out.
  const notice =
    fields.length > 0 && user.email !== null && (await accessHandedOut(services.passwordLinks, user))
      ? {
          fullName: user.fullName,
          oldEmail: user.email,
          newEmail: input.email,
          fields,
          language: user.language,
        }
      : null;
  return { changed, notice };
}
