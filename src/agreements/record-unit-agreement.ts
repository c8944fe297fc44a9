import { type Actor, recordEvent } from '../audit/record-event.js';
import type { TimeZone } from '../core/time-zone.js';
import { inTransaction } from '../db/database.js';
import type { CheckedScan } from '../scans/scan-file.js';
import type { ScanRepository } from '../scans/scan-repository.js';
import { storeScan } from '../scans/store-scan.js';
import type { FieldErrors } from '../web/forms.js';
import type { RecordInput } from './input.js';
import type { AgreementServices } from './save-agreement.js';
import { type RecordFacts, takesRecords } from './types.js';

export type RecordServices = AgreementServices & { scans: ScanRepository; timeZone: TimeZone };

export type RecordResult =
  | { ok: true; changed: boolean }
  | { ok: false; reason: 'not_found' | 'closed' }
  | { ok: false; errors: FieldErrors };

const sameFacts = (a: RecordFacts, b: RecordFacts): boolean =>
  a.status === b.status &&
  a.signedOn === b.signedOn &&
  a.documentNumber === b.documentNumber &&
  a.parties === b.parties &&
  a.scanId === b.scanId &&
  a.note === b.note;

/**
 * Records (or corrects) one unit's agreement, in one transaction with its history row and its audit event (what the
 * record said before and says now). Only a unit the agreement counts, only while it is not closed. A signed record
 * names a day no later than today (the instance's calendar) and has a scan: the one sent now, stored in this same
 * transaction, or the one it already had. A unit marked as not signed keeps no day, number or scan.
 */
export async function recordUnitAgreement(
  services: RecordServices,
  options: {
    agreementId: number;
    unitId: number;
    input: RecordInput;
    /** A new scan, already checked (checkScan), or null to keep the record's own. */
    scan: CheckedScan | null;
    actor: Actor;
  },
): Promise<RecordResult> {
  return inTransaction(services.db, async (): Promise<RecordResult> => {
    const agreement = await services.agreements.findById(options.agreementId);
    const unit = agreement && (await services.agreements.unit(agreement, options.unitId));
    if (!agreement || !unit) return { ok: false, reason: 'not_found' };
    if (!takesRecords(agreement)) return { ok: false, reason: 'closed' };
    const { input } = options;
    const now = services.clock.now();
    const errors: FieldErrors = {};
    if (input.signedOn !== null && input.signedOn > services.timeZone.dayOf(now)) {
      errors.signed_on = 'agreements.record.signed_on.future';
    }
    const keptScan = unit.record?.status === 'signed' ? unit.record.scanId : null;
    if (input.status === 'signed' && !options.scan && keptScan === null) {
      errors.scan = 'agreements.record.scan.required';
    }
    if (input.status === 'not_signed' && options.scan) errors.scan = 'agreements.record.scan.not_signed';
    if (Object.keys(errors).length > 0) return { ok: false, errors };

    const before: RecordFacts | null = unit.record && {
      status: unit.record.status,
      signedOn: unit.record.signedOn,
      documentNumber: unit.record.documentNumber,
      parties: unit.record.parties,
      scanId: unit.record.scanId,
      note: unit.record.note,
    };
    const facts: RecordFacts = { ...input, scanId: input.status === 'signed' ? keptScan : null };
    if (!options.scan && before && sameFacts(before, facts)) return { ok: true, changed: false };
    if (options.scan) facts.scanId = await storeScan(services, { scan: options.scan, actor: options.actor });

    await services.agreements.setRecord(agreement.id, unit.unitId, facts, options.actor.userId, now);
    await recordEvent(services.audit, {
      actor: options.actor,
      action: 'agreement.record_set',
      target: { type: 'agreement', id: agreement.id },
      details: { unit: unit.unitId, unitName: unit.name, before, after: facts },
      at: now,
    });
    return { ok: true, changed: true };
  });
}
