import { type Actor, recordEvent } from '../../audit/record-event.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import type { TimeZone } from '../../core/time-zone.js';
import { hasTakenOverAccount } from '../../credentials/account-access.js';
import type { PasswordLinkRepository } from '../../credentials/password-link-repository.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import type { SettingsRepository } from '../../settings/repository.js';
import type { UnitRepository } from '../unit-repository.js';
import type { UserRepository } from '../user-repository.js';
import type { UserInput } from '../users/input.js';
import { type AccessChangeNotice, writeUserChange } from '../users/save-user.js';
import { type ClassifiedRow, isExpired, type Manager, rowClassifier, STORED_BATCH } from './preview.js';
import type { RosterImport, RosterImportRepository } from './repository.js';
import type { RosterApplyResult, RowOutcome } from './types.js';

type ApplyServices = {
  db: Db;
  users: UserRepository;
  units: UnitRepository;
  audit: AuditRepository;
  clock: Clock;
  rosterImports: RosterImportRepository;
  timeZone: TimeZone;
  passwordLinks: PasswordLinkRepository;
  settings: Pick<SettingsRepository, 'get'>;
};

/** A row whose decision is no longer what the preview showed. */
export interface StaleRow {
  line: number;
  before: RowOutcome;
  now: RowOutcome;
}

export type ApplyRosterResult =
  | {
      ok: true;
      result: RosterApplyResult;
      /** People to invite once this is committed: new people with an email, and people who have not taken their
       * account over whose email this import set. */
      inviteUserIds: number[];
      /** Mails for the old addresses of accounts handed out already whose email this import changed (by an admin). */
      notices: AccessChangeNotice[];
    }
  | { ok: false; reason: 'not_found' | 'expired' | 'already_applied' }
  | { ok: false; reason: 'stale'; rows: StaleRow[]; count: number };

const STALE_ROWS_SHOWN = 50;
/** Rows written together: a hundred new people in one statement (see insertRows). */
const ROWS_AT_ONCE = 100;

const sameOutcome = (a: RowOutcome, b: RowOutcome): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Applies a previewed import, all or nothing, in one transaction: the rows are decided again against the directory
 * as it is now, and if any decision differs from what its creator saw (someone took an email or a NIP meanwhile, a
 * unit closed, …) nothing is written and the rows that differ are returned. Otherwise new people are added (role
 * signer, no password), changed people updated and heads set, each with its audit event (`via: 'import'`), plus one
 * `roster.imported` event with the counts. Only the import's creator can apply it, once, within the hour.
 */
export async function applyRosterImport(
  services: ApplyServices,
  options: { importId: number; manager: Manager; actor: Actor },
): Promise<ApplyRosterResult> {
  const imports = services.rosterImports;
  const { importId } = options;
  return inTransaction(services.db, async (): Promise<ApplyRosterResult> => {
    const now = services.clock.now();
    const record = await imports.findById(importId);
    if (!record || record.createdBy !== options.manager.id) return { ok: false, reason: 'not_found' };
    if (record.status === 'applied') return { ok: false, reason: 'already_applied' };
    if (isExpired(record, now)) return { ok: false, reason: 'expired' };
    const rows = await decideAgain(services, record, options.manager);
    if (rows === null) return { ok: false, reason: 'expired' };
    if (!Array.isArray(rows)) return rows;

    const via = { via: 'import', importId };
    // Every decision is what the preview showed: its counts of the rows not written hold.
    const result: RosterApplyResult = {
      created: 0,
      createdWithoutEmail: 0,
      updated: 0,
      unchanged: record.summary.unchanged,
      rejected: record.summary.rejected,
      headsSet: 0,
      invitations: null,
    };
    const inviteUserIds: number[] = [];
    const people: number[] = [];
    const notices: AccessChangeNotice[] = [];
    // A hundred rows at a time: their new people in one statement (and their audit events in another), then each
    // row's change and head in order. No new person's NIP or email can be one a changed row frees or takes: the
    // rows were decided against the directory as it is, so inserting first decides nothing differently.
    for (let start = 0; start < rows.length; start += ROWS_AT_ONCE) {
      const chunk = rows.slice(start, start + ROWS_AT_ONCE);
      const created = await createAll(
        services,
        chunk.filter((row) => row.outcome.status === 'new'),
        now,
        options.actor,
        via,
      );
      for (const row of chunk) {
        let userId: number;
        if (row.outcome.status === 'new') {
          userId = created.get(row.input?.nip as string) as number;
          result.created += 1;
          if (row.input?.email) inviteUserIds.push(userId);
          else result.createdWithoutEmail += 1;
        } else {
          const user = row.existing as NonNullable<ClassifiedRow['existing']>;
          userId = user.id;
          // A person whose only change is becoming a head is changed in the preview, but their record is not.
          const { changed, notice } = await writeUserChange(services, {
            user,
            input: row.input as UserInput,
            actor: options.actor,
            now,
            details: via,
          });
          if (changed.length > 0) result.updated += 1;
          if (notice) notices.push(notice);
          if (!hasTakenOverAccount(user) && row.input?.email && row.input.email !== user.email) {
            inviteUserIds.push(userId);
          }
        }
        people.push(userId);
        if (row.headOf) {
          await services.units.setHead(row.headOf.id, userId, now);
          await recordEvent(services.audit, {
            actor: options.actor,
            action: 'unit.head_set',
            target: { type: 'unit', id: row.headOf.id },
            details: { code: row.headOf.code, fromUserId: row.headOf.headUserId, toUserId: userId, ...via },
            at: now,
          });
          result.headsSet += 1;
        }
      }
    }
    await recordEvent(services.audit, {
      actor: options.actor,
      action: 'roster.imported',
      target: { type: 'roster_import', id: importId },
      details: {
        fileName: record.fileName,
        created: result.created,
        updated: result.updated,
        unchanged: result.unchanged,
        rejected: result.rejected,
        headsSet: result.headsSet,
      },
      at: now,
    });
    await imports.addPeople(importId, people);
    await imports.markApplied(importId, now, result);
    return { ok: true, result, inviteUserIds, notices };
  });
}

/**
 * The rows to write (new and changed), decided again from the stored rows a batch at a time, or the rows whose
 * decision changed since the preview, or null when the rows are gone. Only what is written is held: 50,000 rows
 * parsed and decided whole took tens of megabytes.
 */
async function decideAgain(
  services: ApplyServices,
  record: RosterImport,
  manager: Manager,
): Promise<ClassifiedRow[] | { ok: false; reason: 'stale'; rows: StaleRow[]; count: number } | null> {
  const importId = record.id;
  const header = await services.rosterImports.header(importId);
  if (header === null) return null;
  const classify = rowClassifier(services, header, manager);
  const writes: ClassifiedRow[] = [];
  const stale: StaleRow[] = [];
  let count = 0;
  let seen = 0;
  for await (const batch of services.rosterImports.rowBatches(importId, STORED_BATCH)) {
    seen += batch.length;
    await classify.prefetch(batch.map(({ row }) => row));
    for (const { row, outcome: before } of batch) {
      const now = await classify(row);
      if (!sameOutcome(before, now.outcome)) {
        count += 1;
        if (stale.length < STALE_ROWS_SHOWN) stale.push({ line: row.line, before, now: now.outcome });
      } else if (now.outcome.status === 'new' || now.outcome.status === 'changed') {
        writes.push(now);
      }
    }
  }
  if (seen !== record.summary.total) return null;
  return count > 0 ? { ok: false, reason: 'stale', rows: stale, count } : writes;
}

/** Adds the new people of some rows, each with its audit event; resolves to their ids by NIP. */
async function createAll(
  services: ApplyServices,
  rows: readonly ClassifiedRow[],
  now: Date,
  actor: Actor,
  via: object,
): Promise<Map<string, number>> {
  const inputs = rows.map((row) => row.input as UserInput);
  const ids = await services.users.insertMany(
    inputs.map((input) => ({ ...input, passwordHash: null, mustChangePassword: false })),
    now,
  );
  await recordEvent(
    services.audit,
    ...inputs.map((input) => ({
      actor,
      action: 'user.created' as const,
      target: { type: 'user', id: ids.get(input.nip as string) as number },
      details: { nip: input.nip, email: input.email, role: input.role, unitId: input.unitId, ...via },
      at: now,
    })),
  );
  return ids;
}
