import type { ReportPerson } from '../compliance/people-repository.js';
import type { UnitCompliance } from '../compliance/summary.js';
import type { User } from '../directory/types.js';
import type { MailMessage } from '../mail/mailer.js';
import type { Pact } from '../pledges/types.js';
import type { Formatter } from '../web/format.js';
import type { Translate } from '../web/i18n.js';

/** An escalation lists up to this many people or units; the rest are counted. */
export const ESCALATION_LISTED = 100;

interface MailContext {
  /** The words of the recipient's language (theirs as stored, else Indonesian). */
  t: Translate;
  baseUrl: string;
  /** Dates and times on the recipient's clocks (their unit's zone, else the instance's), numbers, in their language. */
  fmt: Formatter;
  instanceName: string;
  now: Date;
}

type Recipient = Pick<User, 'fullName' | 'email'>;

/** "3 hari lagi" or "hari ini" (reminders go out only before the deadline). */
function whenText({ t, fmt }: MailContext, deadline: string, now: Date): string {
  const days = fmt.daysUntil(deadline, now);
  return days > 0 ? t('reminders.mail.days_left', { days }) : t('reminders.mail.today');
}

const pactParams = (context: MailContext, pact: Pact, recipient: Recipient) => ({
  name: recipient.fullName,
  title: pact.title,
  version: pact.version,
  deadline: context.fmt.formatDateTime(pact.deadline),
  when: whenText(context, pact.deadline, context.now),
  instance: context.instanceName,
});

/** "dan 12 lainnya" after a list cut at ESCALATION_LISTED lines. */
function listed<T>({ t, fmt }: MailContext, items: readonly T[], line: (item: T) => string): string {
  const lines = items.slice(0, ESCALATION_LISTED).map(line);
  if (items.length > ESCALATION_LISTED) {
    lines.push(t('reminders.mail.and_more', { count: fmt.formatNumber(items.length - ESCALATION_LISTED) }));
  }
  return lines.join('\n');
}

/**
 * To one person who has not signed the pact: a reminder, or (`extended`) the notice that its deadline was extended;
 * both give the deadline and the days left until it.
 */
export function reminderMail(
  context: MailContext,
  pact: Pact,
  person: Recipient,
  variant: 'reminder' | 'extended' = 'reminder',
): MailMessage {
  const params = {
    ...pactParams(context, pact, person),
    link: `${context.baseUrl}/pakta/${pact.id}`,
    loginUrl: `${context.baseUrl}/masuk`,
  };
  return {
    kind: 'reminder',
    to: person.email ?? '',
    subject: context.t(`reminders.mail.${variant}.subject`, params),
    text: context.t(`reminders.mail.${variant}.body`, params),
  };
}

/**
 * After the deadline: to a unit's head, the unit's people who did not sign (name and position: the NIP stays in
 * the staff pages, a mailbox is not the place for it).
 */
export function unitEscalationMail(
  context: MailContext,
  pact: Pact,
  head: Recipient,
  unit: { name: string },
  outstanding: readonly ReportPerson[],
): MailMessage {
  const params = {
    ...pactParams(context, pact, head),
    unit: unit.name,
    count: context.fmt.formatNumber(outstanding.length),
    people: listed(context, outstanding, (person) =>
      context.t('reminders.mail.person_line', { name: person.fullName, position: person.position }),
    ),
  };
  return {
    kind: 'escalation',
    to: head.email ?? '',
    subject: context.t('reminders.mail.unit_escalation.subject', params),
    text: context.t('reminders.mail.unit_escalation.body', params),
  };
}

/** After the deadline: to an admin, every unit still behind (most people outstanding first), with the report link. */
export function adminEscalationMail(
  context: MailContext,
  pact: Pact,
  admin: Recipient,
  behind: readonly UnitCompliance[],
): MailMessage {
  const units = [...behind].sort((a, b) => b.required - b.signed - (a.required - a.signed));
  const outstanding = units.reduce((sum, unit) => sum + unit.required - unit.signed, 0);
  const params = {
    ...pactParams(context, pact, admin),
    count: context.fmt.formatNumber(outstanding),
    unitCount: context.fmt.formatNumber(units.length),
    link: `${context.baseUrl}/admin/kepatuhan/${pact.id}?urut=persen&arah=naik`,
    units: listed(context, units, (unit) =>
      context.t(pact.audience === 'heads' ? 'reminders.mail.head_unit_line' : 'reminders.mail.unit_line', {
        unit: unit.name,
        head: unit.headName ?? '—',
        outstanding: context.fmt.formatNumber(unit.required - unit.signed),
        required: context.fmt.formatNumber(unit.required),
      }),
    ),
  };
  return {
    kind: 'escalation',
    to: admin.email ?? '',
    subject: context.t('reminders.mail.admin_escalation.subject', params),
    text: context.t('reminders.mail.admin_escalation.body', params),
  };
}
