import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { hasUnprintable } from '../../core/text.js';
import type { TimeZone } from '../../core/time-zone.js';
import { ACCESS_FIELDS, mayChangeAccess } from '../../credentials/account-access.js';
import type { PasswordLinkRepository } from '../../credentials/password-link-repository.js';
import type { SettingsRepository } from '../../settings/repository.js';
import { MAX_LENGTH } from '../field-limits.js';
import { checkNip, normaliseNip } from '../nip.js';
import { anonymisedByNip } from '../nip-key.js';
import type { User, UserRecord } from '../types.js';
import type { UnitRepository } from '../unit-repository.js';
import { inUnitScope, unitScopeOf } from '../unit-scope.js';
import type { UserRepository } from '../user-repository.js';

/** A person's directory record as entered by an admin, an operator or an import row. */
export type UserInput = UserRecord;

const emailSchema = z.email();

/** Tidies what was typed: NIP without spaces, email lower-case, single spaces in names. */
export function normaliseUserInput(input: UserInput): UserInput {
  const nip = input.nip === null ? null : normaliseNip(input.nip);
  return {
    ...input,
    nip: nip === '' ? null : nip,
    email: input.email?.trim().toLowerCase() || null,
    fullName: input.fullName.trim().replace(/\s+/g, ' '),
    position: input.position.trim().replace(/\s+/g, ' '),
    pangkat: input.pangkat?.trim().replace(/\s+/g, ' ') || null,
  };
}

/**
 * Field → catalogue key for every rule a record breaks: the NIP (checked by the NIP module, unique, not an anonymised
 * person's: src/directory/nip-key.ts), the email
 * (valid, unique), the name, the unit (active, and within the actor's subtree) and the role (operators give only
 * `signer`). `existing` is the record being edited, so that it does not clash with itself; only an admin may
 * change its email or NIP once a way into it has been handed out (see account-access.ts).
 */
export async function checkUserInput(
  services: {
    users: UserRepository;
    units: UnitRepository;
    clock: Clock;
    timeZone: TimeZone;
    passwordLinks: Pick<PasswordLinkRepository, 'latestCreatedAt'>;
    settings: Pick<SettingsRepository, 'get'>;
  },
  input: UserInput,
  options: { actor: Pick<User, 'role' | 'unitId'>; existing?: User },
): Promise<Record<string, string>> {
  const errors: Record<string, string> = {};
  const { existing } = options;
  const mine = (other: User | undefined) => other !== undefined && other.id !== existing?.id;
  if (input.nip === null) {
    if (input.role !== 'admin' || existing?.anonymisedAt) errors.nip = 'user.form.nip_required';
  } else {
    const nip = checkNip(input.nip, input.employeeType, services.clock.now(), services.timeZone);
    if (!nip.ok) errors.nip = `nip.${nip.problem}`;
    else if (mine(await services.users.findByNip(input.nip))) errors.nip = 'user.form.nip_taken';
    else {
      // The NIP of an anonymised person names that record: only it may take the NIP back (restored by an admin).
      const owner = (await anonymisedByNip(services, [input.nip])).get(input.nip);
      if (owner && owner.id !== existing?.id) errors.nip = 'user.form.nip_anonymised';
      else if (!owner && existing?.anonymisedAt) errors.nip = 'user.form.nip_not_anonymised_one';
    }
  }
  if (input.email !== null) {
    if (input.email.length > MAX_LENGTH.email || !emailSchema.safeParse(input.email).success)
      errors.email = 'user.form.email_invalid';
    else if (mine(await services.users.findByEmail(input.email))) errors.email = 'user.form.email_taken';
  } else if (input.nip === null) {
    errors.email = 'user.form.email_required';
  }
  if (input.fullName === '') {
    errors.full_name = 'user.form.name_required';
  } else if (
    input.fullName.length < 3 ||
    input.fullName.length > MAX_LENGTH.fullName ||
    hasUnprintable(input.fullName)
  ) {
    errors.full_name = 'user.form.name_invalid';
  }
  if (input.position.length > MAX_LENGTH.position || hasUnprintable(input.position))
    errors.position = 'user.form.position_invalid';
  if (input.pangkat !== null && (input.pangkat.length > MAX_LENGTH.pangkat || hasUnprintable(input.pangkat)))
    errors.pangkat = 'user.form.pangkat_invalid';
  if (input.unitId === null) {
    if (input.role !== 'admin') errors.unit_id = 'user.form.unit_required';
  } else if (!(await services.units.findById(input.unitId))?.active) {
    errors.unit_id = 'user.form.unit_unknown';
  } else if (!(await inUnitScope(services, unitScopeOf(options.actor), input.unitId))) {
    errors.unit_id = 'user.form.unit_out_of_scope';
  }
  if (options.actor.role !== 'admin' && input.role !== 'signer') errors.role = 'user.form.role_not_allowed';
  const accessChanged = existing ? ACCESS_FIELDS.filter((field) => input[field] !== existing[field]) : [];
  if (
    existing &&
    accessChanged.length > 0 &&
    !(await mayChangeAccess(services.passwordLinks, options.actor, existing))
  ) {
    for (const field of accessChanged) errors[field] = `user.form.${field}_admin_only`;
  }
  return errors;
}

/**
 * Whether the actor may manage this person at all: admins anyone; operators only signers in their subtree (never
 * admins or other operators, never themselves through these pages).
 */
export async function canManageUser(
  services: { units: UnitRepository },
  actor: Pick<User, 'id' | 'role' | 'unitId'>,
  target: Pick<User, 'id' | 'role' | 'unitId'>,
): Promise<boolean> {
  if (actor.role === 'admin') return true;
  if (actor.role !== 'operator' || target.role !== 'signer' || target.unitId === null) return false;
  return inUnitScope(services, unitScopeOf(actor), target.unitId);
}
