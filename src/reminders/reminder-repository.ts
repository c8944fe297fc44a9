import { sql } from 'kysely';
import { allRows, type Db, firstRow, run } from '../db/database.js';
import { inIds } from '../db/dialect.js';
import { asTheOnlyNode } from '../db/node-lock.js';
import { extensionSlot, isExtensionSlot } from './slots.js';

export type RunKind = 'manual' | 'scheduled';
/** A reminder to sign; an escalation to a head or admin; a notice that the deadline was extended. */
export type ReminderKind = 'reminder' | 'escalation' | 'notice';
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

/** One mail claimed for a person, as their own data page lists it. */
export interface PersonReminder {
  id: number;
  pactId: number;
  pactTitle: string;
  kind: ReminderKind;
  slot: string;
  day: string;
  /** pending, sending, sent, kept (in the outbox, no SMTP), failed, unknown (its process stopped mid-send), skipped. */
  status: string;
  claimedAt: string;
  doneAt: string | null;
  /** Who pressed the button for it; null for the schedule's. */
  requestedByName: string | null;
}

interface PersonReminderRow {
  id: number;
  pact_id: number;
  pact_title: string;
  kind: ReminderKind;
  slot: string;
  day: string;
  status: string;
  claimed_at: string;
  done_at: string | null;
  requested_by_name: string | null;
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
  /**
   * People reminded of the pact on this day or later (a press of the button included) are not reminded again; null
   * for a notice, which tells them something no reminder did.
   */
  since: string | null;
  /** A reminder (the default) or a notice of an extended deadline. */
  kind?: 'reminder' | 'notice';
  owner: string;
  now: string;
}

/** A scheduled run's numbers counted from its mails to these units only (what was outstanding is not kept per unit). */
function withinUnits(
  run: ReminderRun,
  counts: readonly { kind: ReminderKind; status: string; n: number }[],
): ReminderRun {
  const sum = (test: (c: (typeof counts)[number]) => boolean) =>
    counts.filter(test).reduce((total, c) => total + c.n, 0);
  return {
    ...run,
    outstanding: 0,
    noEmail: 0,
    alreadyReminded: 0,
    recipients: sum((c) => c.kind === 'reminder' || c.kind === 'notice'),
    escalations: sum((c) => c.kind === 'escalation'),
    sent: sum((c) => c.status === 'sent'),
    kept: sum((c) => c.status === 'kept'),
    failed: sum((c) => c.status === 'failed'),
    skipped: sum((c) => c.status === 'skipped'),
  };
}

/**
 * Reminder runs and the mails they claim. Every claim is an INSERT … ON CONFLICT DO NOTHING against the unique
 * indexes of migration 012, so whichever process inserts a row is the one that sends it; callers run claims in a
 * transaction.
 */
/**
 * The advisory lock key of the reminder schedule (PostgreSQL): "IKRS" in ASCII, with the schema's hash as the
 * second key, since advisory locks are per database and two instances may share one in two schemas.
 */
const SCHEDULE_LOCK = 0x494b5253;

export function reminderRepository(db: Db) {
  // A mail is for the pact's deadline as it is when claimed: 'H-3' before an extended deadline is a new reminder.
  const deadlineOf = (pactId: number) => sql`(SELECT deadline FROM pacts WHERE id = ${pactId})`;
  const addCounts = (counts: {
    runId: number;
    outstanding: number;
    noEmail: number;
    alreadyReminded: number;
    recipients: number;
    escalations: number;
  }) =>
    run(
      db,
      sql`UPDATE reminder_runs SET outstanding = outstanding + ${counts.outstanding},
            no_email = no_email + ${counts.noEmail},
            already_reminded = already_reminded + ${counts.alreadyReminded},
            recipients = recipients + ${counts.recipients}, escalations = escalations + ${counts.escalations}
          WHERE id = ${counts.runId}`,
    );
  // The unit's outstanding people: required by the pact (the view pact_required, migration 013) and without a
  // valid signature.
  const outstanding = (pactId: number, unitId: number) =>
    sql`pact_required q JOIN users m ON m.id = q.user_id
        WHERE q.pact_id = ${pactId} AND q.unit_id = ${unitId}
          AND NOT EXISTS (SELECT 1 FROM signatures s WHERE s.pact_id = q.pact_id AND s.user_id = m.id AND s.status = 'valid')`;
  const countOutcome: Record<ReminderOutcome, (runId: number) => Promise<number>> = {
    sent: (runId) => run(db, sql`UPDATE reminder_runs SET sent = sent + 1 WHERE id = ${runId}`),
    kept: (runId) => run(db, sql`UPDATE reminder_runs SET kept = kept + 1 WHERE id = ${runId}`),
    failed: (runId) => run(db, sql`UPDATE reminder_runs SET failed = failed + 1 WHERE id = ${runId}`),
    skipped: (runId) => run(db, sql`UPDATE reminder_runs SET skipped = skipped + 1 WHERE id = ${runId}`),
  };
  const runSelect = sql`SELECT r.*, u.name AS unit_name, p.full_name AS requested_by_name
     FROM reminder_runs r LEFT JOIN units u ON u.id = r.unit_id LEFT JOIN users p ON p.id = r.requested_by`;

  return {
    /**
     * Runs `work` unless another app node is running the schedule now (PostgreSQL: a session advisory lock, held on
     * one connection of the pool for the length of `work` and let go when it ends, or when the node dies with its
     * connection). Resolves to false when it did not run. SQLite runs on one machine, whose cluster runs the
     * schedule in one worker: there `work` always runs.
     */
    asTheOnlyScheduler: (work: () => Promise<void>): Promise<boolean> =>
      asTheOnlyNode(db, SCHEDULE_LOCK, work),
    /** Starts a run; undefined when a scheduled run of this pact, slot and day exists already. */
    async startRun(run: {
      pactId: number;
      kind: RunKind;
      slot: string;
      day: string;
      unitId: number | null;
      scopeUnitId: number | null;
      requestedBy: number | null;
      now: string;
    }): Promise<number | undefined> {
      const row = await firstRow(
        db,
        sql<{ id: number }>`
          INSERT INTO reminder_runs (pact_id, kind, slot, day, unit_id, scope_unit_id, requested_by, started_at)
          VALUES (${run.pactId}, ${run.kind}, ${run.slot}, ${run.day}, ${run.unitId}, ${run.scopeUnitId},
                  ${run.requestedBy}, ${run.now})
          ON CONFLICT DO NOTHING
          RETURNING id`,
      );
      return row?.id;
    },
    /**
     * Claims, for this run, a reminder to each outstanding person of the unit who has an email and has not had
     * one for this slot or today, nor today's notice of an extended deadline (those are counted as already
     * reminded: one mail a day about a pact is enough).
     */
    async claimUnit(params: ClaimParams): Promise<ClaimCounts> {
      const { total, with_email } = (await firstRow(
        db,
        sql<OutstandingCount>`SELECT count(*) AS total, count(m.email) AS with_email
                              FROM ${outstanding(params.pactId, params.unitId)}`,
      )) as OutstandingCount;
      const claimed =
        with_email === 0
          ? 0
          : await run(
              db,
              sql`INSERT INTO reminders (run_id, pact_id, user_id, unit_id, kind, slot, day, status, owner, claimed_at,
                                         deadline)
                  SELECT ${params.runId}, ${params.pactId}, m.id, ${params.unitId}, ${params.kind ?? 'reminder'},
                         ${params.slot}, ${params.day}, 'pending', ${params.owner}, ${params.now},
                         ${deadlineOf(params.pactId)}
                  FROM ${outstanding(params.pactId, params.unitId)}
                    AND m.email IS NOT NULL
                    ${
                      params.since === null
                        ? sql``
                        : sql`AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.pact_id = ${params.pactId}
                                                AND r.user_id = m.id AND r.kind IN ('reminder', 'notice')
                                                AND r.status <> 'failed'
                                                AND r.day >= ${params.since})`
                    }
                  ORDER BY m.full_name, m.id
                  ON CONFLICT DO NOTHING`,
            );
      await addCounts({
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
    async claimEscalation(
      params: Omit<ClaimParams, 'unitId'> & { unitId: number | null; userId: number },
    ): Promise<boolean> {
      const claimed =
        (await run(
          db,
          sql`INSERT INTO reminders (run_id, pact_id, user_id, unit_id, kind, slot, day, status, owner, claimed_at,
                                     deadline)
              SELECT ${params.runId}, ${params.pactId}, m.id, ${params.unitId}, 'escalation', ${params.slot},
                     ${params.day}, 'pending', ${params.owner}, ${params.now}, ${deadlineOf(params.pactId)}
              FROM users m WHERE m.id = ${params.userId} AND m.status = 'active' AND m.email IS NOT NULL
              ON CONFLICT DO NOTHING`,
        )) === 1;
      if (claimed) {
        await addCounts({
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
    adminIds: async (): Promise<number[]> =>
      (
        await allRows(
          db,
          sql<{ id: number }>`SELECT id FROM users
                              WHERE role = 'admin' AND status = 'active' AND email IS NOT NULL ORDER BY id`,
        )
      ).map((row) => row.id),
    /** Takes the next mails this owner claimed for the run, marking them as being sent (at most `limit`). */
    startSending: async (
      runId: number,
      owner: string,
      now: string,
      limit: number,
    ): Promise<PendingReminder[]> =>
      (
        await allRows(
          db,
          sql<PendingRow>`UPDATE reminders SET status = 'sending', claimed_at = ${now}
                          WHERE id IN (SELECT id FROM reminders
                                       WHERE run_id = ${runId} AND owner = ${owner} AND status = 'pending'
                                       ORDER BY id LIMIT ${limit})
                            -- Again on the row itself: PostgreSQL re-checks these against a row another
                            -- process changed meanwhile (the subquery it does not).
                            AND owner = ${owner} AND status = 'pending'
                          RETURNING id, run_id, pact_id, user_id, unit_id, kind`,
        )
      ).map(toPending),
    /**
     * Takes over mails never sent whose claim is older than `before` (their process stopped, or fell that far
     * behind), and marks mails left being sent that long as unknown (they may have left: never twice; counted
     * with the run's failures). `activeRuns`: the runs this owner is delivering now (their queue stays theirs).
     * Returns the runs concerned, to be delivered (and finished) by this owner.
     */
    async takeOverStale(
      owner: string,
      activeRuns: readonly number[],
      before: string,
      now: string,
      limit: number,
    ): Promise<number[]> {
      const runs = new Set<number>();
      // Mails whose process stopped while sending them: whether they left is unknown, and they are never sent again
      // (an 'unknown' row still counts in the unique indexes; only 'failed' ones leave them).
      const abandoned = await allRows(
        db,
        sql<{ run_id: number }>`UPDATE reminders SET status = 'unknown', done_at = ${now}
                                WHERE status = 'sending' AND claimed_at < ${before}
                                RETURNING run_id`,
      );
      for (const { run_id } of abandoned) {
        await countOutcome.failed(run_id);
        runs.add(run_id);
      }
      // Claims never sent whose process has not touched them for the lease: another process may take them over, and
      // so may this one when no delivery of their run is going on here (it ended early, on an error).
      const taken = await allRows(
        db,
        sql<{ run_id: number }>`UPDATE reminders SET owner = ${owner}, claimed_at = ${now}
          WHERE id IN (SELECT id FROM reminders WHERE status = 'pending' AND claimed_at < ${before}
                         AND NOT (owner = ${owner}
                                  AND ${inIds(db, sql`run_id`, activeRuns)})
                       ORDER BY claimed_at LIMIT ${limit})
            -- Again on the row itself (see startSending): a mail another process took over or started meanwhile is
            -- no longer stale.
            AND status = 'pending' AND claimed_at < ${before}
          RETURNING run_id`,
      );
      for (const { run_id } of taken) runs.add(run_id);
      return [...runs];
    },
    /** Records how a claimed mail ended, and counts it on its run. */
    async finish(
      reminder: PendingReminder,
      owner: string,
      outcome: ReminderOutcome,
      now: string,
    ): Promise<void> {
      const changed = await run(
        db,
        sql`UPDATE reminders SET status = ${outcome}, done_at = ${now}
            WHERE id = ${reminder.id} AND owner = ${owner} AND status = 'sending'`,
      );
      if (changed === 1) await countOutcome[outcome](reminder.runId);
    },
    /** Marks the run finished once none of its mails is pending. */
    finishRunIfDone: async (runId: number, now: string): Promise<void> => {
      await run(
        db,
        sql`UPDATE reminder_runs SET finished_at = ${now}
            WHERE id = ${runId} AND finished_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM reminders WHERE run_id = ${runId} AND status IN ('pending', 'sending'))`,
      );
    },
    findRun: async (id: number): Promise<ReminderRun | undefined> => {
      const row = await firstRow(db, sql<RunRow>`${runSelect} WHERE r.id = ${id}`);
      return row ? toRun(row) : undefined;
    },
    /**
     * The pact's latest runs, newest first, without the scheduled ones that found nobody to remind. With `unitIds`
     * (an operator's units): the runs they may see, and the scheduled runs' numbers counted within those units only.
     */
    async recentRuns(
      pactId: number,
      limit: number,
      unitIds: readonly number[] | null = null,
    ): Promise<ReminderRun[]> {
      const units = unitIds;
      // Runs seen by someone who sees these units (null: every unit): the runs for one of them, the "every unit"
      // runs asked within them, and the runs of the whole pact that nobody there asked for, the scheduled ones and
      // the notices of an extended deadline (their counts narrowed to the units below).
      const runs = (
        await allRows(
          db,
          sql<RunRow>`${runSelect} WHERE r.pact_id = ${pactId}
            AND NOT (r.kind = 'scheduled' AND r.finished_at IS NOT NULL AND r.recipients = 0 AND r.escalations = 0)
            ${
              units === null
                ? sql``
                : sql`AND (r.kind = 'scheduled' OR r.slot LIKE ${`${extensionSlot('')}%`}
                           OR ${inIds(db, sql`coalesce(r.unit_id, r.scope_unit_id)`, units)})`
            }
            ORDER BY r.id DESC LIMIT ${limit}`,
        )
      ).map(toRun);
      if (units === null) return runs;
      const seen: ReminderRun[] = [];
      for (const found of runs) {
        const narrowed =
          found.kind === 'scheduled' || isExtensionSlot(found.slot)
            ? withinUnits(
                found,
                await allRows(
                  db,
                  sql<{ kind: ReminderKind; status: string; n: number }>`
                    SELECT kind, status, count(*) AS n FROM reminders
                    WHERE run_id = ${found.id} AND ${inIds(db, sql`unit_id`, units)}
                    GROUP BY kind, status`,
                ),
              )
            : found;
        const asked = narrowed.kind === 'manual' && !isExtensionSlot(narrowed.slot);
        if (asked || narrowed.recipients + narrowed.escalations > 0) seen.push(narrowed);
      }
      return seen;
    },
    /** Every reminder, notice and escalation claimed for this person, whatever became of it, newest first. */
    toPerson: async (userId: number): Promise<PersonReminder[]> =>
      (
        await allRows(
          db,
          sql<PersonReminderRow>`
            SELECT r.id, r.pact_id, p.title AS pact_title, r.kind, r.slot, r.day, r.status, r.claimed_at, r.done_at,
                   q.full_name AS requested_by_name
            FROM reminders r
            JOIN pacts p ON p.id = r.pact_id
            JOIN reminder_runs run ON run.id = r.run_id
            LEFT JOIN users q ON q.id = run.requested_by
            WHERE r.user_id = ${userId}
            ORDER BY r.id DESC`,
        )
      ).map((row) => ({
        id: row.id,
        pactId: row.pact_id,
        pactTitle: row.pact_title,
        kind: row.kind,
        slot: row.slot,
        day: row.day,
        status: row.status,
        claimedAt: row.claimed_at,
        doneAt: row.done_at,
        requestedByName: row.requested_by_name,
      })),
    /** When each of these people last got a reminder of the pact (sent or kept), by user id. */
    async lastReminded(pactId: number, userIds: readonly number[]): Promise<Map<number, string>> {
      if (userIds.length === 0) return new Map();
      const rows = await allRows(
        db,
        sql<{ user_id: number; at: string }>`
          SELECT user_id, max(done_at) AS at FROM reminders
          WHERE pact_id = ${pactId} AND kind = 'reminder' AND status IN ('sent', 'kept')
            AND ${inIds(db, sql`user_id`, userIds)}
          GROUP BY user_id`,
      );
      return new Map(rows.map((row) => [row.user_id, row.at]));
    },
  };
}

export type ReminderRepository = ReturnType<typeof reminderRepository>;
