import type { Clock } from '../core/clock.js';
import { createLogger } from '../core/logger.js';
import { createMailer } from '../mail/mailer.js';
import type { OutboxRepository } from '../mail/outbox-repository.js';
import {
  createReminderSender,
  deliverRun,
  type ReminderSender,
  requestReminders,
} from '../reminders/send-reminders.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** When the demo operator reminded her unit: this many days ago, at this local time. */
const REMINDED = { daysAgo: 2, time: '09:00' };

export type DemoReminderServices = ReminderSender['services'] & { outbox: OutboxRepository };

/**
 * The demo operator (Sri Wahyuni) reminded the people of DISKOMINFO who had not signed the all-ASN pact, two days
 * ago, through the real reminder operations (the run, its claims, the audit event, the mails), with a mailer that
 * keeps every mail in the outbox: so that the demo ASN and head, who must not sign (DESIGN.md), have a reminder and a
 * mail on their own data page (/akun/data). Two days ago, so that a reminder pressed today still goes to them.
 * Runs inside the demo seed's transaction, after the pacts and their signings.
 */
export async function seedDemoReminders(services: DemoReminderServices, baseUrl: string): Promise<number> {
  const now = services.clock.now();
  const zone = services.timeZone;
  const at = zone.instantOf(
    `${zone.dayOf(new Date(now.getTime() - REMINDED.daysAgo * DAY_MS))}T${REMINDED.time}`,
  ) as Date;
  const clock: Clock = { now: () => at };
  const operator = await services.users.findByEmail('operator@ikrar.test');
  const pact = (await services.pacts.listByStatus('open')).find((open) => open.audience === 'all');
  if (!operator?.unitId || !pact)
    throw new Error('the demo operator and the all-ASN pact come before reminders');
  const sender = createReminderSender({
    services: { ...services, clock },
    // Never to a real mail server, whatever SMTP_URL says: the demo's addresses are made up.
    mailer: createMailer({
      smtpUrl: undefined,
      from: 'Ikrar <no-reply@ikrar.test>',
      outbox: services.outbox,
      clock,
      logger: createLogger('silent'),
    }),
    baseUrl,
  });
  const units = (await services.complianceCache.forPact(pact)).units.filter(
    (unit) => unit.unitId === operator.unitId,
  );
  const run = await requestReminders(sender, {
    pact,
    units,
    unitId: operator.unitId,
    scopeUnitId: null,
    actor: { userId: operator.id, ip: null, userAgent: null },
  });
  await deliverRun(sender, run.id);
  return run.recipients;
}
