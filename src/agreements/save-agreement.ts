import { type Actor, recordEvent } from '../audit/record-event.js';
import type { AuditRepository } from '../audit/repository.js';
import type { Clock } from '../core/clock.js';
import { type Db, inTransaction } from '../db/database.js';
import type { UnitRepository } from '../directory/unit-repository.js';
import type { FieldErrors } from '../web/forms.js';
import type { AgreementFields, AgreementRepository } from './repository.js';

export type AgreementServices = {
  db: Db;
  audit: AuditRepository;
  clock: Clock;
  agreements: AgreementRepository;
  units: UnitRepository;
};

export type CreateAgreementResult = { ok: true; agreementId: number } | { ok: false; errors: FieldErrors };

/** The parent unit must be one an admin can choose: a unit that exists and is active. */
async function problemsOf(services: AgreementServices, fields: AgreementFields): Promise<FieldErrors> {
  if (fields.parentUnitId === null) return {};
  const parent = await services.units.findById(fields.parentUnitId);
  return parent?.active ? {} : { parent_unit_id: 'agreements.form.parent_unit_id.unknown' };
}

/** Drafts a unit agreement, audited. Nobody but admins sees it until it is opened. */
export async function createAgreement(
  services: AgreementServices,
  options: { fields: AgreementFields; actor: Actor },
): Promise<CreateAgreementResult> {
  return inTransaction(services.db, async (): Promise<CreateAgreementResult> => {
    const errors = await problemsOf(services, options.fields);
    if (Object.keys(errors).length > 0) return { ok: false, errors };
    const now = services.clock.now();
    const agreementId = await services.agreements.insert(options.fields, options.actor.userId, now);
    await recordEvent(services.audit, {
      actor: options.actor,
      action: 'agreement.created',
      target: { type: 'agreement', id: agreementId },
      details: { ...options.fields },
      at: now,
    });
    return { ok: true, agreementId };
  });
}

export type UpdateAgreementResult =
  | { ok: true; changed: boolean }
  | { ok: false; reason: 'not_found' | 'closed' }
  | { ok: false; errors: FieldErrors };

/**
 * Changes an agreement that is not closed, audited with what was and what is. Once open, its scope (which units
 * count) stays as it was published: a changed scope is refused beside its field, not taken silently.
 */
export async function updateAgreement(
  services: AgreementServices,
  options: { agreementId: number; fields: AgreementFields; actor: Actor },
): Promise<UpdateAgreementResult> {
  return inTransaction(services.db, async (): Promise<UpdateAgreementResult> => {
    const agreement = await services.agreements.findById(options.agreementId);
    if (!agreement) return { ok: false, reason: 'not_found' };
    if (agreement.status === 'closed') return { ok: false, reason: 'closed' };
    const before: AgreementFields = {
      title: agreement.title,
      description: agreement.description,
      scope: agreement.scope,
      parentUnitId: agreement.parentUnitId,
      deadlineOn: agreement.deadlineOn,
    };
    const fields = options.fields;
    if (agreement.status === 'open') {
      const errors: FieldErrors = {};
      if (fields.scope !== before.scope) errors.scope = 'agreements.form.scope.frozen';
      if (fields.parentUnitId !== before.parentUnitId) errors.parent_unit_id = 'agreements.form.scope.frozen';
      if (Object.keys(errors).length > 0) return { ok: false, errors };
    } else {
      const errors = await problemsOf(services, fields);
      if (Object.keys(errors).length > 0) return { ok: false, errors };
    }
    const changed = (Object.keys(fields) as (keyof AgreementFields)[]).filter(
      (key) => fields[key] !== before[key],
    );
    if (changed.length === 0) return { ok: true, changed: false };
    const now = services.clock.now();
    if (!(await services.agreements.update(agreement.id, fields, now)))
      return { ok: false, reason: 'closed' };
    await recordEvent(services.audit, {
      actor: options.actor,
      action: 'agreement.updated',
      target: { type: 'agreement', id: agreement.id },
      details: {
        before: Object.fromEntries(changed.map((key) => [key, before[key]])),
        after: Object.fromEntries(changed.map((key) => [key, fields[key]])),
      },
      at: now,
    });
    return { ok: true, changed: true };
  });
}

export type ChangeStatusResult =
  | { ok: true }
  | { ok: false; reason: 'not_found' | 'not_draft' | 'not_open' | 'no_units' };

/**
 * The two moves of an agreement's status: opening a draft makes it public (its page, the home card, the API), and an
 * agreement that counts no unit stays a draft; closing an open one keeps it public with the records as they stand,
 * and no record changes after.
 */
const STATUS_CHANGES = {
  open: {
    from: 'draft',
    refused: 'not_draft',
    action: 'agreement.opened',
    apply: (agreements: AgreementRepository, id: number, at: Date) => agreements.open(id, at),
  },
  closed: {
    from: 'open',
    refused: 'not_open',
    action: 'agreement.closed',
    apply: (agreements: AgreementRepository, id: number, at: Date) => agreements.close(id, at),
  },
} as const;

/** Opens or closes an agreement (STATUS_CHANGES), audited with how many units it counts and how many signed. */
export async function changeAgreementStatus(
  services: AgreementServices,
  options: { agreementId: number; status: keyof typeof STATUS_CHANGES; actor: Actor },
): Promise<ChangeStatusResult> {
  const change = STATUS_CHANGES[options.status];
  return inTransaction(services.db, async (): Promise<ChangeStatusResult> => {
    const agreement = await services.agreements.findById(options.agreementId);
    if (!agreement) return { ok: false, reason: 'not_found' };
    if (agreement.status !== change.from) return { ok: false, reason: change.refused };
    const units = await services.agreements.units(agreement);
    if (options.status === 'open' && units.length === 0) return { ok: false, reason: 'no_units' };
    const now = services.clock.now();
    if (!(await change.apply(services.agreements, agreement.id, now)))
      return { ok: false, reason: change.refused };
    await recordEvent(services.audit, {
      actor: options.actor,
      action: change.action,
      target: { type: 'agreement', id: agreement.id },
      details: { units: units.length, signed: units.filter((unit) => unit.state === 'signed').length },
      at: now,
    });
    return { ok: true };
  });
}
