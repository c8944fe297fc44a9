import { NOT_SIGNED, statementsByAudience } from '../compliance/people-repository.js';
import type { Db } from '../db/database.js';
import type { Audience } from '../pledges/types.js';

export type RunKind = 'manual' | 'scheduled';
export type ReminderKind = 'reminder' | 'escalation';
export type ReminderOutcome = 'sent' | 'kept' | 'failed' | 'skipped';

/** One reminder run as the report lists it. */
export interface ReminderRun {
  id: number;
  pactId: number;
  kind: RunKind;
  slot: string;
  day: string;
  unitId: number | null;
  unitName: string | null;
  requestedBy: number | null;
  requestedByName: string | null;
  startedAt: string;
  finishedAt: string | null;
  outstanding: number;
  noEmail: number;
  alreadyReminded: number;
  recipients: number;
  escalations: number;
  sent: number;
  kept: number;
  failed: number;
  skipped: number;
}

/** A claimed mail waiting to be sent. */
export interface PendingReminder {
  id: number;
  runId: number;
  pactId: number;
  userId: number;
  unitId: number | null;
  kind: ReminderKind;
}

/** What claiming one unit's outstanding people found. */
export interface ClaimCounts {
  outstanding: number;
  noEmail: number;
  claimed: number;
}

interface RunRow {
  id: number;
  pact_id: number;
  kind: RunKind;
  slot: string;
  day: string;
  unit_id: number | null;
  unit_name: string | null;
  requested_by: number | null;
  requested_by_name: string | null;
  started_at: string;
  finished_at: string | null;
  outstanding: number;
  no_email: number;
  already_reminded: number;
  recipients: number;
  escalations: number;
  sent: number;
  kept: number;
  failed: number;
  skipped: number;
}

const toRun = (row: RunRow): ReminderRun => ({
  id: row.id,
  pactId: row.pact_id,
  kind: row.kind,
  slot: row.slot,
  day: row.day,
  unitId: row.unit_id,
  unitName: row.unit_name,
  requestedBy: row.requested_by,
  requestedByName: row.requested_by_name,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  outstanding: row.outstanding,
  noEmail: row.no_email,
  alreadyReminded: row.already_reminded,
  recipients: row.recipients,
  escalations: row.escalations,
  sent: row.sent,
  kept: row.kept,
  failed: row.failed,
  skipped: row.skipped,
});

interface PendingRow {
  id: number;
  run_id: number;
  pact_id: number;
  user_id: number;
  unit_id: number | null;
  kind: ReminderKind;
}

const toPending = (row: PendingRow): PendingReminder => ({
  id: row.id,
  runId: row.run_id,
  pactId: row.pact_id,
  userId: row.user_id,
  unitId: row.unit_id,
  kind: row.kind,
});

interface OutstandingCount {
  total: number;
  with_email: number;
}

interface ClaimParams {
  runId: number;
  pactId: number;
  unitId: number;
  slot: string;
  day: string;
  owner: string;
  now: string;
}

/**
 * Reminder runs and the mails they claim. Every claim is an INSERT OR IGNORE against the unique indexes of
 * migration 012, so whichever process inserts a row is the one that sends it; callers run claims in a transaction.
 */
export function reminderRepository(db: Db) {
  const insertRun = db.prepare(
    `INSERT OR IGNORE INTO reminder_runs (pact_id, kind, slot, day, unit_id, requested_by, started_at)
     VALUES (@pactId, @kind, @slot, @day, @unitId, @requestedBy, @now)`,
  );
  const addCounts = db.prepare(
    `UPDATE reminder_runs SET outstanding = outstanding + @outstanding, no_email = no_email + @noEmail,
       already_reminded = already_reminded + @alreadyReminded, recipients = recipients + @recipients,
       escalations = escalations + @escalations
     WHERE id = @runId`,
  );
  // The unit's outstanding people: required by the pact, active, without a valid signature.
  const outstandingCount = statementsByAudience<{ pactId: number; unitId: number }, OutstandingCount>(
    db,
    (required) => `SELECT count(*) AS total, count(m.email) AS with_email FROM units u ${required}
     WHERE u.id = @unitId AND u.active = 1 AND ${NOT_SIGNED}`,
  );
  const claimUnit = statementsByAudience<ClaimParams>(
    db,
    (required) =>
      `INSERT OR IGNORE INTO reminders (run_id, pact_id, user_id, unit_id, kind, slot, day, status, owner, claimed_at)
     SELECT @runId, @pactId, m.id, u.id, 'reminder', @slot, @day, 'pending', @owner, @now
     FROM units u ${required}
     WHERE u.id = @unitId AND u.active = 1 AND m.email IS NOT NULL AND ${NOT_SIGNED}
     ORDER BY m.full_name, m.id`,
  );
  const claimEscalation = db.prepare(
    `INSERT OR IGNORE INTO reminders (run_id, pact_id, user_id, unit_id, kind, slot, day, status, owner, claimed_at)
     SELECT @runId, @pactId, m.id, @unitId, 'escalation', @slot, @day, 'pending', @owner, @now
     FROM users m WHERE m.id = @userId AND m.status = 'active' AND m.email IS NOT NULL`,
  );
  const pendingOfRun = db.prepare<{ runId: number; owner: string; limit: number }, PendingRow>(
    `SELECT id, run_id, pact_id, user_id, unit_id, kind FROM reminders
     WHERE run_id = @runId AND owner = @owner AND status = 'pending' ORDER BY id LIMIT @limit`,
  );
  const stale = db.prepare<{ before: string; limit: number }, { id: number }>(
    `SELECT id FROM reminders WHERE status = 'pending' AND claimed_at < @before ORDER BY claimed_at LIMIT @limit`,
  );
  const takeOver = db.prepare(
    `UPDATE reminders SET owner = @owner, claimed_at = @now
     WHERE id = @id AND status = 'pending' AND claimed_at < @before`,
  );
  const runOf = db.prepare<[number], { run_id: number }>('SELECT run_id FROM reminders WHERE id = ?');
  const touch = db.prepare(
    `UPDATE reminders SET claimed_at = @now WHERE id = @id AND owner = @owner AND status = 'pending'`,
  );
  const finishReminder = db.prepare(
    `UPDATE reminders SET status = @outcome, done_at = @now WHERE id = @id AND owner = @owner AND status = 'pending'`,
  );
  const countOutcome = {
    sent: db.prepare('UPDATE reminder_runs SET sent = sent + 1 WHERE id = ?'),
    kept: db.prepare('UPDATE reminder_runs SET kept = kept + 1 WHERE id = ?'),
    failed: db.prepare('UPDATE reminder_runs SET failed = failed + 1 WHERE id = ?'),
    skipped: db.prepare('UPDATE reminder_runs SET skipped = skipped + 1 WHERE id = ?'),
  };
  const finishRun = db.prepare(
    `UPDATE reminder_runs SET finished_at = @now
     WHERE id = @runId AND finished_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM reminders WHERE run_id = @runId AND status = 'pending')`,
  );
  const runSelect = `SELECT r.*, u.name AS unit_name, p.full_name AS requested_by_name
     FROM reminder_runs r LEFT JOIN units u ON u.id = r.unit_id LEFT JOIN users p ON p.id = r.requested_by`;
  const findRun = db.prepare<[number], RunRow>(`${runSelect} WHERE r.id = ?`);
  const recentRuns = db.prepare<{ pactId: number; limit: number }, RunRow>(
    `${runSelect} WHERE r.pact_id = @pactId
       AND NOT (r.kind = 'scheduled' AND r.finished_at IS NOT NULL AND r.recipients = 0 AND r.escalations = 0)
     ORDER BY r.id DESC LIMIT @limit`,
  );
  const adminIds = db
    .prepare<[], number>(
      "SELECT id FROM users WHERE role = 'admin' AND status = 'active' AND email IS NOT NULL ORDER BY id",
    )
    .pluck();
  const lastReminded = db.prepare<{ pactId: number; userIds: string }, { user_id: number; at: string }>(
    `SELECT user_id, max(done_at) AS at FROM reminders
     WHERE pact_id = @pactId AND kind = 'reminder' AND status IN ('sent', 'kept')
       AND user_id IN (SELECT value FROM json_each(@userIds))
     GROUP BY user_id`,
  );

  return {
    /** Starts a run; undefined when a scheduled run of this pact, slot and day exists already. */
    startRun(run: {
      pactId: number;
      kind: RunKind;
      slot: string;
      day: string;
      unitId: number | null;
      requestedBy: number | null;
      now: string;
    }): number | undefined {
      const result = insertRun.run(run);
      return result.changes === 1 ? Number(result.lastInsertRowid) : undefined;
    },
    /**
     * Claims, for this run, a reminder to each outstanding person of the unit who has an email and has not had
     * one for this slot or today (those are counted as already reminded).
     */
    claimUnit(audience: Audience, params: ClaimParams): ClaimCounts {
      const { total, with_email } = outstandingCount[audience].get(params) as OutstandingCount;
      const claimed = with_email === 0 ? 0 : claimUnit[audience].run(params).changes;
      addCounts.run({
        runId: params.runId,
        outstanding: total,
        noEmail: total - with_email,
        alreadyReminded: with_email - claimed,
        recipients: claimed,
        escalations: 0,
      });
      return { outstanding: total, noEmail: total - with_email, claimed };
    },
    /** Claims an escalation mail to this person about the unit (null: the admins' digest); false when already sent today or they have no email. */
    claimEscalation(
      params: Omit<ClaimParams, 'unitId'> & { unitId: number | null; userId: number },
    ): boolean {
      const claimed = claimEscalation.run(params).changes === 1;
      if (claimed) {
        addCounts.run({
          runId: params.runId,
          outstanding: 0,
          noEmail: 0,
          alreadyReminded: 0,
          recipients: 0,
          escalations: 1,
        });
      }
      return claimed;
    },
    /** The active admins with an email: who gets the escalation digest. */
    adminIds: (): number[] => adminIds.all() as number[],
    /** The next mails of the run this process claimed and has not sent yet. */
    pendingOfRun: (runId: number, owner: string, limit: number): PendingReminder[] =>
      pendingOfRun.all({ runId, owner, limit }).map(toPending),
    /**
     * Takes over mails claimed before `before` and never finished (their process stopped): their runs, to be
     * delivered by this owner. The condition is checked again in the UPDATE, so two processes never take the same one.
     */
    takeOverStale(owner: string, before: string, now: string, limit: number): number[] {
      const runs = new Set<number>();
      for (const { id } of stale.all({ before, limit })) {
        if (takeOver.run({ id, owner, now, before }).changes === 1) {
          runs.add((runOf.get(id) as { run_id: number }).run_id);
        }
      }
      return [...runs];
    },
    /** Renews the claim just before sending; false when another process has taken the mail over. */
    touch: (id: number, owner: string, now: string): boolean => touch.run({ id, owner, now }).changes === 1,
    /** Records how a claimed mail ended, and counts it on its run. */
    finish(reminder: PendingReminder, owner: string, outcome: ReminderOutcome, now: string): void {
      if (finishReminder.run({ id: reminder.id, owner, outcome, now }).changes === 1) {
        countOutcome[outcome].run(reminder.runId);
      }
    },
    /** Marks the run finished once none of its mails is pending. */
    finishRunIfDone: (runId: number, now: string): void => {
      finishRun.run({ runId, now });
    },
    findRun: (id: number): ReminderRun | undefined => {
      const row = findRun.get(id);
      return row ? toRun(row) : undefined;
    },
    /** The pact's latest runs, newest first (without the scheduled ones that found nobody to remind). */
    recentRuns: (pactId: number, limit: number): ReminderRun[] =>
      recentRuns.all({ pactId, limit }).map(toRun),
    /** When each of these people last got a reminder of the pact (sent or kept), by user id. */
    lastReminded(pactId: number, userIds: readonly number[]): Map<number, string> {
      if (userIds.length === 0) return new Map();
      const rows = lastReminded.all({ pactId, userIds: JSON.stringify(userIds) });
      return new Map(rows.map((row) => [row.user_id, row.at]));
    },
  };
}

export type ReminderRepository = ReturnType<typeof reminderRepository>;
