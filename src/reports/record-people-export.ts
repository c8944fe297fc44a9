import type { Request } from 'express';
import { actorOf } from '../audit/actor.js';
import { recordEvent } from '../audit/record-event.js';
import type { AuditRepository } from '../audit/repository.js';
import type { Clock } from '../core/clock.js';
import type { ReportExport } from './exports/columns.js';

/**
 * Exports that list people (their names, NIPs and positions: one unit's people, or the workbook's people sheet) are
 * personal data leaving the system (DOMAIN.md, UU 27/2022): the audit log records who took which, in what form. The
 * unit table alone names no one and records nothing.
 */
export async function recordPeopleExport(
  services: { audit: AuditRepository; clock: Clock },
  req: Request,
  export_: { report: ReportExport; format: 'csv' | 'xlsx' | 'pdf'; detailOnly: boolean },
): Promise<void> {
  const { report, format, detailOnly } = export_;
  if (!detailOnly && format !== 'xlsx') return;
  await recordEvent(services.audit, {
    actor: actorOf(req),
    action: 'report.people_exported',
    target: { type: 'pact', id: report.pact.id },
    details: {
      format,
      unitId: detailOnly ? (report.units[0]?.unitId ?? null) : null,
      units: report.units.length,
    },
    at: services.clock.now(),
  });
}
