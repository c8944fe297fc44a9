import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { type Actor, recordEvent, systemActor } from '../audit/record-event.js';
import type { AuditRepository } from '../audit/repository.js';
import type { ComplianceCache } from '../compliance/compliance-cache.js';
import type { PeopleRepository } from '../compliance/people-repository.js';
import type { UnitCompliance } from '../compliance/summary.js';
import type { Clock } from '../core/clock.js';
import type { TimeZone } from '../core/time-zone.js';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/database.js';
import type { UnitRepository } from '../directory/unit-repository.js';
import { type UnitZoneLookup, zoneOfUnit } from '../directory/unit-time-zone.js';
import type { UserRepository } from '../directory/user-repository.js';
import type { Mailer, MailMessage } from '../mail/mailer.js';
import type { PactRepository } from '../pledges/pact-repository.js';
import type { SignatureRepository } from '../pledges/signature-repository.js';
import type { Pact } from '../pledges/types.js';
import type { InstanceSettings } from '../settings/instance.js';
import { formatterFor } from '../web/format.js';
import { translatorFor } from '../web/i18n.js';
import { adminEscalationMail, reminderMail, unitEscalationMail } from './reminder-mail.js';
import type {
  PendingReminder,
  ReminderOutcome,
  ReminderRepository,
  ReminderRun,
} from './reminder-repository.js';
import { extensionSlot, type ReminderSlot } from './slots.js';

/**
 * A mail claimed and not sent this long ago belongs to a process that stopped (or fell far behind): another may
 * take it over. Longer than any one send can take (the mailer's SMTP timeouts are well under it).
 */
export const CLAIM_LEASE_MS = 10 * 60 * 1000;
/** Mails marked as being sent together and sent in parallel (over the mailer's pooled connections). */
const BATCH = 4;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

type ReminderServices = {
  db: Db;
  clock: Clock;
  audit: AuditRepository;
  reminders: ReminderRepository;
  complianceCache: ComplianceCache;
  compliancePeople: PeopleRepository;
  pacts: PactRepository;
  users: UserRepository;
  units: UnitRepository;
  signatures: SignatureRepository;
  instanceSettings: () => Promise<InstanceSettings>;
  timeZone: TimeZone;
  unitTimeZones: UnitZoneLookup;
};

/** What sending needs besides the data: the mail transport, the links, and who this process is. */
export interface ReminderSender {
  services: ReminderServices;
  mailer: Mailer;
  baseUrl: string;
  /** This sender's name on the mails it claims (unique per process). */
  owner: string;
  /** True once stop() was called: deliveries end before their next batch (another process takes the rest over). */
  readonly stopped: boolean;
  stop(): void;
  /** Runs the delivery of a run as one of this sender's, so that `idle()` waits for it and `activeRuns` lists it. */
  track(runId: number, delivery: () => Promise<void>): Promise<void>;
  /** The runs this sender is delivering now. */
  activeRuns(): number[];
  /** Resolves when no delivery of this sender is running. */
  idle(): Promise<void>;
}

export function createReminderSender(
  options: Pick<ReminderSender, 'services' | 'mailer' | 'baseUrl'>,
): ReminderSender {
  let stopped = false;
  const running = new Map<Promise<void>, number>();
  return {
    ...options,
    owner: `${hostname()}:${process.pid}:${randomUUID()}`,
    get stopped() {
      return stopped;
    },
    stop() {
      stopped = true;
    },
    track(runId, delivery) {
      const tracked = delivery().finally(() => running.delete(tracked));
      running.set(tracked, runId);
      return tracked;
    },
    activeRuns: () => [...new Set(running.values())],
    async idle() {
      await Promise.allSettled([...running.keys()]);
    },
  };
}

const behind = (units: readonly UnitCompliance[]) => units.filter((unit) => unit.signed < unit.required);

/**
 * Claims the reminders of one run, a unit per transaction (a claim is one INSERT … SELECT, so even a large unit
 * holds the write lock briefly), yielding to other requests in between.
 */
async function claimUnits(
  sender: ReminderSender,
  pact: Pact,
  run: { runId: number; slot: string; day: string; since: string | null; kind?: 'reminder' | 'notice' },
  units: readonly UnitCompliance[],
): Promise<void> {
  const { services } = sender;
  for (const unit of behind(units)) {
    if (sender.stopped) return;
    await inTransaction(services.db, () =>
      services.reminders.claimUnit({
        ...run,
        pactId: pact.id,
        unitId: unit.unitId,
        owner: sender.owner,
        now: services.clock.now().toISOString(),
      }),
    );
    await nextTurn();
  }
}

/**
 * A reminder asked for by an admin or operator: to the outstanding people of `units` (one unit, or all the
 * requester may see) who have an email and have had no reminder of this pact today. The mails are claimed before
 * this resolves (so the run's counts say how many will go and how many were already reminded); call
 * `deliverRun` to send them.
 */
export async function requestReminders(
  sender: ReminderSender,
  request: {
    pact: Pact;
    units: readonly UnitCompliance[];
    unitId: number | null;
    /** For "every unit" asked by an operator: the root of their subtree. */
    scopeUnitId: number | null;
    actor: Actor & { userId: number };
  },
): Promise<ReminderRun> {
  const { services } = sender;
  const now = services.clock.now();
  const day = services.timeZone.dayOf(now);
  const runId = await inTransaction(services.db, async () => {
    const id = (await services.reminders.startRun({
      pactId: request.pact.id,
      kind: 'manual',
      slot: 'manual',
      day,
      unitId: request.unitId,
      scopeUnitId: request.unitId === null ? request.scopeUnitId : null,
      requestedBy: request.actor.userId,
      now: now.toISOString(),
    })) as number;
    await recordEvent(services.audit, {
      actor: request.actor,
      action: 'reminder.requested',
      target: { type: 'pact', id: request.pact.id },
      details: { run: id, unit: request.unitId, units: behind(request.units).length },
      at: now,
    });
    return id;
  });
  await claimUnits(sender, request.pact, { runId, slot: 'manual', day, since: day }, request.units);
  return (await services.reminders.findRun(runId)) as ReminderRun;
}

/**
 * Tells the people still required of a pact (every unit, those with an email) that its deadline was extended: a
 * run of notices asked for by the admin who extended it, one per person and extension (the slot names the new
 * deadline), claimed before this resolves; call `deliverRun` to send them.
 */
export async function requestDeadlineNotices(
  sender: ReminderSender,
  request: { pact: Pact; actor: Actor & { userId: number } },
): Promise<ReminderRun> {
  const { services } = sender;
  const { pact } = request;
  const now = services.clock.now();
  const day = services.timeZone.dayOf(now);
  const slot = extensionSlot(pact.deadline);
  const runId = (await inTransaction(services.db, () =>
    services.reminders.startRun({
      pactId: pact.id,
      kind: 'manual',
      slot,
      day,
      unitId: null,
      scopeUnitId: null,
      requestedBy: request.actor.userId,
      now: now.toISOString(),
    }),
  )) as number;
  const units = (await services.complianceCache.forPact(pact)).units;
  await claimUnits(sender, pact, { runId, slot, day, since: null, kind: 'notice' }, units);
  return (await services.reminders.findRun(runId)) as ReminderRun;
}

/**
 * The scheduler's run of a due slot: reminders to every outstanding person of the pact, and after the deadline an
 * escalation to the head of each unit still behind (all-ASN pacts: for a heads pact the head is the one reminded)
 * and a digest to every admin. Undefined when another process (or an earlier tick) has started this slot today.
 */
export async function startScheduledRun(
  sender: ReminderSender,
  pact: Pact,
  due: ReminderSlot,
): Promise<number | undefined> {
  const { services } = sender;
  const now = services.clock.now();
  // A slot runs again on each later day until the next slot is due, for whoever was not reminded of it yet (people
  // who joined, or whose claim was lost): one run per pact, slot and day.
  const day = services.timeZone.dayOf(now);
  const runId = await inTransaction(services.db, async () => {
    const id = await services.reminders.startRun({
      pactId: pact.id,
      kind: 'scheduled',
      slot: due.slot,
      day,
      unitId: null,
      scopeUnitId: null,
      requestedBy: null,
      now: now.toISOString(),
    });
    if (id !== undefined) {
      await recordEvent(services.audit, {
        actor: systemActor,
        action: 'reminder.scheduled',
        target: { type: 'pact', id: pact.id },
        details: { run: id, slot: due.slot, day },
        at: now,
      });
    }
    return id;
  });
  if (runId === undefined) return undefined;
  const units = (await services.complianceCache.forPact(pact)).units;
  // Someone reminded since the slot fell due (by the button, say) has had this slot's reminder.
  const run = { runId, slot: due.slot, day, since: due.day };
  if (!due.afterDeadline) await claimUnits(sender, pact, run, units);
  else {
    await inTransaction(services.db, async () => {
      const claim = (userId: number, unitId: number | null) =>
        services.reminders.claimEscalation({
          ...run,
          pactId: pact.id,
          userId,
          unitId,
          owner: sender.owner,
          now: services.clock.now().toISOString(),
        });
      if (pact.audience === 'all') {
        // Not to a head excused from the pact (on long leave, say): the admins' digest still names the unit.
        for (const unit of behind(units)) {
          if (unit.headId !== null && !unit.headExempt) await claim(unit.headId, unit.unitId);
        }
      }
      if (behind(units).length > 0) {
        for (const adminId of await services.reminders.adminIds()) await claim(adminId, null);
      }
    });
  }
  return runId;
}

/**
 * The mail for a claimed reminder, or null when there is nothing left to say (signed since, pact closed…). It is
 * written in the recipient's language (as they chose it, else Indonesian) and gives the deadline and the days left on
 * their clocks: the zone of their unit, else the instance's. (When the mails go out is the instance's: slots fall due
 * on its days, at REMINDER_HOUR on its clocks; see slots.ts.)
 */
async function mailFor(sender: ReminderSender, reminder: PendingReminder): Promise<MailMessage | null> {
  const { services } = sender;
  const pact = await services.pacts.findById(reminder.pactId);
  const recipient = await services.users.findById(reminder.userId);
  if (pact?.status !== 'open' || !recipient?.email || recipient.status !== 'active') return null;
  const context = {
    t: translatorFor(recipient.language),
    baseUrl: sender.baseUrl,
    fmt: formatterFor(await zoneOfUnit(services, recipient.unitId), recipient.language),
    instanceName: (await services.instanceSettings()).name,
    now: services.clock.now(),
  };
  if (reminder.kind === 'reminder' || reminder.kind === 'notice') {
    if (await services.signatures.findValid(pact.id, recipient.id)) return null;
    return reminder.kind === 'notice'
      ? reminderMail(context, pact, recipient, 'extended')
      : reminderMail(context, pact, recipient);
  }
  if (reminder.unitId === null) {
    const units = behind((await services.complianceCache.forPact(pact)).units);
    return units.length === 0 ? null : adminEscalationMail(context, pact, recipient, units);
  }
  const unit = await services.units.findById(reminder.unitId);
  const outstanding = await services.compliancePeople.outstanding(pact.id, reminder.unitId);
  return !unit || outstanding.length === 0
    ? null
    : unitEscalationMail(context, pact, recipient, unit, outstanding);
}

/** How a mail ended: sent, kept in the outbox (no SMTP), failed, or skipped (nothing left to say). */
async function send(sender: ReminderSender, reminder: PendingReminder): Promise<ReminderOutcome> {
  const mail = await mailFor(sender, reminder);
  if (!mail) return 'skipped';
  if (!(await sender.mailer.send(mail))) return 'failed';
  return sender.mailer.delivers ? 'sent' : 'kept';
}

/**
 * Sends the run's mails this process claimed, a few at a time: each batch is marked as being sent (a mail is never
 * sent twice, even if this process dies mid-batch), sent in parallel, and recorded with the run's counts in one
 * transaction. Someone who signed in the meantime is skipped. Ends early once the sender is stopped.
 */
export function deliverRun(sender: ReminderSender, runId: number): Promise<void> {
  const { services, owner } = sender;
  const stamp = () => services.clock.now().toISOString();
  return sender.track(runId, async () => {
    while (!sender.stopped) {
      const batch = await inTransaction(services.db, () =>
        services.reminders.startSending(runId, owner, stamp(), BATCH),
      );
      if (batch.length === 0) break;
      // Every mail of the batch is recorded, whatever happened to the others (a send that threw has failed).
      const settled = await Promise.allSettled(batch.map((reminder) => send(sender, reminder)));
      await inTransaction(services.db, async () => {
        for (const [i, reminder] of batch.entries()) {
          const result = settled[i] as PromiseSettledResult<ReminderOutcome>;
          const outcome = result.status === 'fulfilled' ? result.value : 'failed';
          await services.reminders.finish(reminder, owner, outcome, stamp());
        }
      });
      await nextTurn();
    }
    await services.reminders.finishRunIfDone(runId, stamp());
  });
}

/**
 * Takes over mails whose process stopped before sending them (claimed more than CLAIM_LEASE_MS ago); returns the
 * runs they belong to, for deliverRun.
 */
export async function takeOverAbandoned(sender: ReminderSender): Promise<number[]> {
  const { services } = sender;
  const now = services.clock.now();
  return inTransaction(services.db, () =>
    services.reminders.takeOverStale(
      sender.owner,
      sender.activeRuns(),
      new Date(now.getTime() - CLAIM_LEASE_MS).toISOString(),
      now.toISOString(),
      1000,
    ),
  );
}
