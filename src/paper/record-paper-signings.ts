import { type Actor, recordEvent } from '../audit/record-event.js';
import type { AuditRepository } from '../audit/repository.js';
import type { Clock } from '../core/clock.js';
import type { TimeZone } from '../core/time-zone.js';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/database.js';
import type { User } from '../directory/types.js';
import type { UnitRepository } from '../directory/unit-repository.js';
import type { UserRepository } from '../directory/user-repository.js';
import { canManageUser } from '../directory/users/input.js';
import { appendEntry } from '../ledger/append-entry.js';
import type { LedgerRepository } from '../ledger/repository.js';
import { paperFacts } from '../pledges/ledger-facts.js';
import type { PactRepository } from '../pledges/pact-repository.js';
import type { NewSignature, SignatureRepository } from '../pledges/signature-repository.js';
import { freshReceiptCode, signerFacts } from '../pledges/signer-facts.js';
import { takesRecords } from '../pledges/types.js';
import type { CheckedScan } from '../scans/scan-file.js';
import type { ScanRepository } from '../scans/scan-repository.js';
import { storeScan } from '../scans/store-scan.js';
import { type PaperDayProblem, paperDayProblem, paperSigningTime } from './paper-signing-time.js';

export type PaperServices = {
  db: Db;
  audit: AuditRepository;
  clock: Clock;
  timeZone: TimeZone;
  ledger: LedgerRepository;
  pacts: PactRepository;
  scans: ScanRepository;
  signatures: SignatureRepository;
  units: UnitRepository;
  users: UserRepository;
};

/** What the recorder enters once for everyone ticked on one sheet. */
export interface PaperSheet {
  /** 'YYYY-MM-DD', of the instance's calendar. */
  signedOn: string;
  place: string;
  witness: string;
  scan: CheckedScan;
}

/** What became of each person ticked. */
export interface PaperOutcome {
  recorded: { userId: number; receiptCode: string }[];
  /** Had a valid signing already (online, or on paper recorded before): kept, not doubled. */
  alreadySigned: { userId: number; receiptCode: string }[];
  /** Not required by the pact now (left its audience, exempt). */
  notRequired: number[];
}

export type RecordPaperResult =
  | ({ ok: true; scanId: number | null } & PaperOutcome)
  | { ok: false; reason: 'not_found' | 'not_accepting' }
  | { ok: false; reason: 'bad_day'; problem: PaperDayProblem };

/**
 * Records that people signed a pact on paper (one person, or everyone ticked on a ceremony's sheet), with one scan
 * behind them all. One transaction under the ledger's write lock: the scan, then for each person a signature of
 * method 'paper', its own `paper` ledger entry and one audit event. Anyone ticked whom the recorder may not manage
 * makes the whole save fail as unknown (an operator reaches only their subtree); someone who has signed already
 * keeps their one valid signing; someone no longer required is left out and named. Nothing is stored, not even the
 * scan, when nobody is recorded.
 */
export async function recordPaperSignings(
  services: PaperServices,
  options: {
    pactId: number;
    userIds: readonly number[];
    sheet: PaperSheet;
    recorder: Pick<User, 'id' | 'role' | 'unitId'>;
    actor: Actor;
  },
): Promise<RecordPaperResult> {
  return inTransaction(services.db, async (): Promise<RecordPaperResult> => {
    await services.ledger.lockForAppend();
    const pact = await services.pacts.findById(options.pactId);
    if (!pact || pact.status === 'draft' || !pact.bodySha256) return { ok: false, reason: 'not_found' };
    if (!takesRecords(pact)) return { ok: false, reason: 'not_accepting' };
    const now = services.clock.now();
    const problem = paperDayProblem(services.timeZone, options.sheet.signedOn, pact, now);
    if (problem) return { ok: false, reason: 'bad_day', problem };

    const outcome: PaperOutcome = { recorded: [], alreadySigned: [], notRequired: [] };
    const toRecord: { person: User; asHead: boolean }[] = [];
    for (const userId of new Set(options.userIds)) {
      const person = await services.users.findById(userId);
      if (!person || !(await canManageUser(services, options.recorder, person))) {
        return { ok: false, reason: 'not_found' };
      }
      const existing = await services.signatures.findValid(pact.id, person.id);
      if (existing) {
        outcome.alreadySigned.push({ userId, receiptCode: existing.receiptCode });
        continue;
      }
      const requirement = await services.pacts.requirement(pact.id, person.id);
      if (!requirement) outcome.notRequired.push(userId);
      else toRecord.push({ person, asHead: requirement.asHead });
    }
    if (toRecord.length === 0) return { ok: true, scanId: null, ...outcome };

    const scanId = await storeScan(services, { scan: options.sheet.scan, actor: options.actor });
    const signedAt = paperSigningTime(services.timeZone, options.sheet.signedOn, pact, now).toISOString();
    const paper = {
      signedOn: options.sheet.signedOn,
      place: options.sheet.place,
      witness: options.sheet.witness,
      scanId,
      scanSha256: options.sheet.scan.sha256,
      recordedBy: options.actor.userId,
      recordedAt: now.toISOString(),
    };
    for (const { person, asHead } of toRecord) {
      const unit = person.unitId ? await services.units.findById(person.unitId) : undefined;
      const receiptCode = await freshReceiptCode(services.signatures);
      const signature: NewSignature = {
        pactId: pact.id,
        ...signerFacts(person, unit, asHead),
        signedAt,
        // The device that recorded it is in the audit event; the person signed with a pen.
        ip: null,
        userAgent: null,
        signaturePng: null,
        signatureSha256: null,
        pactBodySha256: pact.bodySha256,
        receiptCode,
        method: 'paper',
        paper,
      };
      const signatureId = await services.signatures.insert(signature);
      const entry = await appendEntry(services.ledger, {
        kind: 'paper',
        signatureId,
        at: new Date(signedAt),
        facts: paperFacts({ ...signature, id: signatureId, paper }, pact.version),
      });
      await services.signatures.setLedgerSeq(signatureId, entry.seq);
      await recordEvent(services.audit, {
        actor: options.actor,
        action: 'signature.paper_recorded',
        target: { type: 'signature', id: signatureId },
        details: {
          pactId: pact.id,
          userId: person.id,
          receiptCode,
          signedOn: paper.signedOn,
          place: paper.place,
          witness: paper.witness,
          scan: scanId,
          ledgerSeq: entry.seq,
        },
        at: now,
      });
      outcome.recorded.push({ userId: person.id, receiptCode });
    }
    return { ok: true, scanId, ...outcome };
  });
}
