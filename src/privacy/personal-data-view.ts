import { eventDescriber } from '../audit/describe.js';
import { actingHeadTitle } from '../directory/head-kind.js';
import { formatNip } from '../directory/nip.js';
import type { Signature } from '../pledges/types.js';
import { slotOffset } from '../reminders/slots.js';
import type { Formatter } from '../web/format.js';
import type { Translate } from '../web/i18n.js';
import { LANGUAGE_NAMES } from '../web/language.js';
import { isOwnEvent, type PersonalData, receiptLinks } from './personal-data.js';

/** A cell: its text, secondary lines under it, and where it leads on the page (the PDF prints the text only). */
export interface DataCell {
  text: string;
  notes?: string[];
  href?: string;
  /** On the page: kept on one line (a receipt code), or broken anywhere (an address too long for a phone). */
  wrap?: 'never' | 'anywhere';
}

/** One section of a person's data as a table: the page stacks it on a phone, the PDF draws it with the house kit. */
export interface DataTable {
  id: string;
  title: string;
  intro?: string;
  /** Said instead of the table when it has no rows ("Belum ada …"). */
  empty: string;
  headers: string[];
  rows: DataCell[][];
  /** Said under the table (the audit log's limit). */
  note?: string;
}

/** What the page and the PDF show of PersonalData: the same words, in the reader's language and on their clocks. */
export interface PersonalDataView {
  generatedAt: string;
  /** `lang`: the value's own language where it may not be the reader's (a language named in itself). */
  profile: { label: string; value: string; lang?: string }[];
  tables: DataTable[];
}

const cell = (
  text: string,
  notes: (string | null | undefined | false)[] = [],
  href?: string,
  wrap?: DataCell['wrap'],
): DataCell => ({
  text,
  notes: notes.filter((note): note is string => typeof note === 'string' && note !== ''),
  ...(href === undefined ? {} : { href }),
  ...(wrap === undefined ? {} : { wrap }),
});

/** A hex hash in groups of 16, so that it wraps on a phone and in a PDF's narrow column. */
const grouped = (hex: string): string => hex.match(/.{1,16}/g)?.join(' ') ?? hex;

/**
 * The person's data in words. `baseUrl` makes the receipt links; `singleSignOn` says whether this instance lets
 * people in through its SSO provider.
 */
export function personalDataView(
  data: PersonalData,
  context: { t: Translate; fmt: Formatter; baseUrl: string; singleSignOn: boolean },
): PersonalDataView {
  const { t, fmt } = context;
  const none = t('account.none');
  const when = (at: string | null) => (at ? fmt.formatDateTime(at) : none);
  const { user } = data;
  const activation =
    data.activation.kind === 'letter'
      ? t('activation.status.letter', { date: fmt.formatShortDate(data.activation.printedAt) })
      : t(`activation.status.${data.activation.kind}`);

  const profile = [
    { label: t('account.name'), value: user.fullName },
    { label: t('account.nip'), value: user.nip ? formatNip(user.nip) : none },
    { label: t('privacy.data.employee_type'), value: user.employeeType },
    { label: t('account.email'), value: user.email ?? none },
    { label: t('account.position'), value: user.position || none },
    { label: t('privacy.data.pangkat'), value: user.pangkat ?? none },
    { label: t('account.unit'), value: data.unit ? `${data.unit.name} (${data.unit.code})` : none },
    { label: t('account.role'), value: t(`role.${user.role}`) },
    { label: t('privacy.data.account_status'), value: t(`privacy.data.account_status.${user.status}`) },
    {
      label: t('account.language'),
      ...(user.language
        ? { value: LANGUAGE_NAMES[user.language], lang: user.language }
        : { value: t('account.language_none') }),
    },
    { label: t('privacy.data.activation'), value: activation },
    {
      label: t('privacy.data.sign_in'),
      value: [
        t(user.passwordHash === null ? 'privacy.data.no_password' : 'privacy.data.has_password'),
        context.singleSignOn ? t('privacy.data.sso_offered') : null,
      ]
        .filter(Boolean)
        .join(' · '),
    },
    { label: t('privacy.data.password_changed_at'), value: when(user.passwordChangedAt) },
    { label: t('privacy.data.last_login_at'), value: when(user.lastLoginAt) },
    { label: t('privacy.data.created_at'), value: fmt.formatDateTime(user.createdAt) },
  ];

  /** Whether the drawing is kept, or when and why it was deleted (its hash stays). */
  const drawingState = (signature: Signature, imageKept: boolean): string => {
    if (imageKept) return t('privacy.data.drawing.kept');
    const removed = signature.imageRemoved;
    return removed
      ? t(`privacy.data.drawing.removed_${removed.why}`, { at: fmt.formatDateTime(removed.at) })
      : t('privacy.data.drawing.deleted');
  };

  const signings: DataTable = {
    id: 'penandatanganan',
    title: t('privacy.data.signings'),
    empty: t('privacy.data.signings_empty'),
    headers: [
      t('privacy.data.col.pact'),
      t('privacy.data.col.signed_at'),
      t('privacy.data.col.method'),
      t('privacy.data.col.status'),
      t('privacy.data.col.receipt'),
      t('privacy.data.col.drawing'),
    ],
    rows: data.signings.map(({ signature: s, ...signing }) => {
      const links = receiptLinks('', s.receiptCode);
      const asSigned = [
        s.fullName,
        s.nip ? `NIP ${formatNip(s.nip)}` : null,
        actingHeadTitle(t, s.headKind, s.unitName) ?? s.position,
        s.pangkat,
        s.unitName,
      ]
        .filter(Boolean)
        .join(' · ');
      return [
        cell(signing.pactTitle, [
          t('privacy.data.version', { version: signing.pactVersion }),
          t('privacy.data.as_signed', { facts: asSigned }),
        ]),
        cell(s.paper ? fmt.formatDay(s.paper.signedOn) : fmt.formatDateTime(s.signedAt)),
        s.paper
          ? cell(t('privacy.data.method.paper'), [
              t('privacy.data.paper_facts', { place: s.paper.place, witness: s.paper.witness }),
              t('privacy.data.paper_recorded', {
                recorder: signing.recordedByName ?? t('receipt.paper_recorder_system'),
                at: fmt.formatDateTime(s.paper.recordedAt),
              }),
            ])
          : cell(t('privacy.data.method.online'), [
              s.ip && t('privacy.data.ip', { ip: s.ip }),
              s.userAgent && t('privacy.data.user_agent', { agent: s.userAgent }),
            ]),
        s.status === 'voided'
          ? cell(t('privacy.data.status.voided'), [
              t('privacy.data.voided', {
                at: when(s.voidedAt),
                by: signing.voidedByName ?? none,
                reason: s.voidReason ?? none,
              }),
            ])
          : cell(t('privacy.data.status.valid')),
        cell(links.code, [], links.page, 'never'),
        s.signatureSha256 === null
          ? cell(t('privacy.data.drawing.none'))
          : cell(drawingState(s, signing.imageKept), [
              t('privacy.data.sha256', { hash: grouped(s.signatureSha256) }),
            ]),
      ];
    }),
  };

  const receipts: DataTable = {
    id: 'tanda-terima',
    title: t('privacy.data.receipts'),
    intro: t('privacy.data.receipts_intro'),
    empty: t('privacy.data.receipts_empty'),
    headers: [
      t('privacy.data.col.receipt'),
      t('privacy.data.col.pact'),
      t('privacy.data.col.status'),
      t('privacy.data.col.verify'),
    ],
    rows: data.signings.map(({ signature: s, pactTitle }) => {
      const own = receiptLinks('', s.receiptCode);
      const verify = receiptLinks(context.baseUrl, s.receiptCode).verify;
      return [
        cell(own.code, [], own.page, 'never'),
        cell(pactTitle),
        cell(t(`privacy.data.status.${s.status}`)),
        cell(verify, [], verify, 'anywhere'),
      ];
    }),
  };

  const reminders: DataTable = {
    id: 'pengingat',
    title: t('privacy.data.reminders'),
    empty: t('privacy.data.reminders_empty'),
    headers: [
      t('privacy.data.col.at'),
      t('privacy.data.col.pact'),
      t('privacy.data.col.kind'),
      t('privacy.data.col.status'),
      t('privacy.data.col.requested_by'),
    ],
    rows: data.reminders.map((reminder) => [
      cell(fmt.formatDateTime(reminder.doneAt ?? reminder.claimedAt)),
      cell(reminder.pactTitle),
      cell(
        slotOffset(reminder.slot) === null
          ? t(`privacy.data.reminder_kind.${reminder.kind}`)
          : t('privacy.data.reminder_kind_slot', {
              kind: t(`privacy.data.reminder_kind.${reminder.kind}`),
              slot: reminder.slot,
            }),
      ),
      cell(t(`privacy.data.reminder_status.${reminder.status}`)),
      cell(reminder.requestedByName ?? t('privacy.data.by_schedule')),
    ]),
  };

  const mails: DataTable = {
    id: 'surat',
    title: t('privacy.data.mails'),
    intro: user.email ? t('privacy.data.mails_intro', { email: user.email }) : undefined,
    empty: t(user.email ? 'privacy.data.mails_empty' : 'privacy.data.mails_no_address'),
    headers: [t('privacy.data.col.at'), t('privacy.data.col.subject'), t('privacy.data.col.status')],
    rows: data.mails.map((mail) => [
      cell(fmt.formatDateTime(mail.createdAt)),
      cell(mail.subject),
      cell(t(`outbox.status.${mail.status}`)),
    ]),
  };

  const exemptions: DataTable = {
    id: 'pengecualian',
    title: t('privacy.data.exemptions'),
    empty: t('privacy.data.exemptions_empty'),
    headers: [
      t('privacy.data.col.pact'),
      t('privacy.data.col.reason'),
      t('privacy.data.col.period'),
      t('privacy.data.col.recorded'),
      t('privacy.data.col.lifted'),
    ],
    rows: data.exemptions.map((exemption) => [
      cell(exemption.pactTitle),
      cell(t(`exemption.reason.${exemption.reason}`), [exemption.note]),
      cell(
        exemption.endsOn
          ? t('privacy.data.period', {
              from: fmt.formatDay(exemption.startsOn),
              to: fmt.formatDay(exemption.endsOn),
            })
          : t('privacy.data.period_open', { from: fmt.formatDay(exemption.startsOn) }),
      ),
      cell(fmt.formatDateTime(exemption.createdAt), [exemption.createdByName ?? t('privacy.data.by_system')]),
      exemption.liftedAt
        ? cell(fmt.formatDateTime(exemption.liftedAt), [
            exemption.liftReason === 'berakhir'
              ? t('privacy.data.exemption_ended')
              : [exemption.liftedByName, exemption.liftReason].filter(Boolean).join(': '),
          ])
        : cell(t('privacy.data.not_lifted')),
    ]),
  };

  const receiptOf = new Map(data.signings.map(({ signature, pactTitle }) => [signature.id, pactTitle]));
  const views: DataTable = {
    id: 'dilihat',
    title: t('privacy.data.views'),
    intro: t('privacy.data.views_intro'),
    empty: t('privacy.data.views_empty'),
    headers: [
      t('privacy.data.col.at'),
      t('privacy.data.col.viewer'),
      t('privacy.data.col.role'),
      t('privacy.data.col.pact'),
      t('privacy.data.col.format'),
    ],
    rows: data.signatureViews.map((view) => [
      cell(fmt.formatDateTime(view.at)),
      cell(view.viewerName ?? t('privacy.data.unknown_viewer')),
      cell(view.viewerRole ? t(`role.${view.viewerRole}`) : none),
      cell(receiptOf.get(view.signatureId) ?? none, [
        typeof view.details.receiptCode === 'string' ? receiptLinks('', view.details.receiptCode).code : null,
      ]),
      cell(typeof view.details.format === 'string' ? t(`audit.value.format.${view.details.format}`) : none),
    ]),
  };

  const describe = eventDescriber(data.audit.labels, t, fmt);
  const audit: DataTable = {
    id: 'log-audit',
    title: t('privacy.data.audit'),
    intro: t('privacy.data.audit_intro'),
    empty: t('privacy.data.audit_empty'),
    headers: [
      t('privacy.data.col.at'),
      t('privacy.data.col.action'),
      t('privacy.data.col.involvement'),
      t('privacy.data.col.details'),
    ],
    rows: data.audit.events.map((event) => {
      const own = isOwnEvent(data, event);
      const described = describe(event);
      return [
        cell(fmt.formatDateTime(event.at)),
        cell(t(`audit.${event.action}`), [
          described.targetLabel &&
            (described.targetLabel.kind
              ? `${described.targetLabel.text} (${described.targetLabel.kind})`
              : described.targetLabel.text),
        ]),
        cell(
          own
            ? t('privacy.data.involvement.actor')
            : t('privacy.data.involvement.subject', {
                actor: event.actorName ?? t('privacy.data.by_system'),
              }),
        ),
        cell(
          event.detailsWithheld
            ? t('privacy.data.details_withheld')
            : described.detailItems.map((item) => `${item.label}: ${item.value}`).join('; ') || none,
          own ? [event.ip && t('privacy.data.ip', { ip: event.ip })] : [],
        ),
      ];
    }),
    note: data.audit.complete
      ? undefined
      : t('privacy.data.audit_limited', { count: fmt.formatNumber(data.audit.events.length) }),
  };

  return {
    generatedAt: fmt.formatDateTime(data.generatedAt),
    profile,
    tables: [signings, receipts, reminders, mails, exemptions, views, audit],
  };
}
