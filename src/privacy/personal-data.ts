import { labelRequest } from '../audit/describe.js';
import type { AuditEvent, AuditRepository, Labels, SignatureView } from '../audit/repository.js';
import type { Clock } from '../core/clock.js';
import { type ActivationStatus, activationStatusOf } from '../credentials/activation-status.js';
import type { PasswordLinkRepository } from '../credentials/password-link-repository.js';
import type { Unit, User } from '../directory/types.js';
import type { UnitRepository } from '../directory/unit-repository.js';
import type { UserRepository } from '../directory/user-repository.js';
import type { OutboxMessage, OutboxRepository } from '../mail/outbox-repository.js';
import type { ExemptionRepository, PersonExemption } from '../pledges/exemptions/exemption-repository.js';
import { formatReceiptCode } from '../pledges/receipt-code.js';
import type { PersonSigning, SignatureRepository } from '../pledges/signature-repository.js';
import type { PersonReminder, ReminderRepository } from '../reminders/reminder-repository.js';

/** The newest audit events a person's data lists (as actor or subject); older ones stay in the log. */
export const AUDIT_EVENTS_LISTED = 200;

/** Names what the JSON export holds; the version moves when a field changes meaning or goes away. */
export const PERSONAL_DATA_SCHEMA = { name: 'ikrar.personal-data', version: 1 } as const;

export type PersonMail = Omit<OutboxMessage, 'body' | 'error'>;

/** An audit event as a person's data shows it. */
export interface PersonAuditEvent extends AuditEvent {
  /**
   * The event named someone else (they did it to another account or another's signature, or its details name
   * another person): its details and the target's id are that person's data, so they are left out (details empty,
   * targetId null); what was done, when, and to what kind of record stay.
   */
  detailsWithheld: boolean;
}

/**
 * Everything Ikrar holds about one person, as stored: their account and directory record, their signings (with the
 * drawn images still kept), the reminders and mail sent to them, their exemptions, who was shown their drawn
 * signature, and the newest audit events they did or that were about them. Read for their own page and downloads
 * only (src/privacy/routes.ts), never for anyone else's.
 */
export interface PersonalData {
  generatedAt: Date;
  user: User;
  unit: Unit | undefined;
  activation: ActivationStatus;
  signings: PersonSigning[];
  reminders: PersonReminder[];
  /** Mail to the person's current address; empty without one. */
  mails: PersonMail[];
  exemptions: PersonExemption[];
  signatureViews: SignatureView[];
  audit: {
    events: PersonAuditEvent[];
    /** False when there are older events than the AUDIT_EVENTS_LISTED listed. */
    complete: boolean;
    /** The names of the people, pacts, units … the events refer to by id. */
    labels: Labels;
  };
}

export type PersonalDataServices = {
  audit: AuditRepository;
  clock: Clock;
  exemptions: ExemptionRepository;
  outbox: OutboxRepository;
  passwordLinks: PasswordLinkRepository;
  reminders: ReminderRepository;
  signatures: SignatureRepository;
  units: UnitRepository;
  users: UserRepository;
};

/** Reads what Ikrar holds about the person with this id; undefined when there is no such account. */
export async function readPersonalData(
  services: PersonalDataServices,
  userId: number,
): Promise<PersonalData | undefined> {
  const user = await services.users.findById(userId);
  if (!user) return undefined;
  const signings = await services.signatures.ofPerson(user.id);
  const signatureIds = signings.map((signing) => signing.signature.id);
  // One more than listed: whether there are older ones.
  const events = await services.audit.aboutPerson(user.id, signatureIds, AUDIT_EVENTS_LISTED + 1);
  const theirs = new Set(signatureIds);
  const listed = events.slice(0, AUDIT_EVENTS_LISTED).map((event): PersonAuditEvent => {
    // The people and signatures the event names, as the audit log would name them.
    const named = labelRequest([event]);
    const someoneElse =
      named.user.some((id) => id !== user.id) || named.signature.some((id) => !theirs.has(id));
    return someoneElse
      ? { ...event, targetId: null, details: {}, detailsWithheld: true }
      : { ...event, detailsWithheld: false };
  });
  const letters = await services.passwordLinks.latestLetters([user.id]);
  return {
    generatedAt: services.clock.now(),
    user,
    unit: user.unitId === null ? undefined : await services.units.findById(user.unitId),
    activation: activationStatusOf(user, letters.get(user.id)),
    signings,
    reminders: await services.reminders.toPerson(user.id),
    mails: user.email === null ? [] : await services.outbox.toAddress(user.email),
    exemptions: await services.exemptions.ofPerson(user.id),
    signatureViews: await services.audit.signatureViews(signatureIds),
    audit: {
      events: listed,
      complete: events.length <= AUDIT_EVENTS_LISTED,
      labels: await services.audit.labelsFor(labelRequest(listed)),
    },
  };
}

/** Where the person, and anyone they show a receipt to, opens and checks it. */
export const receiptLinks = (baseUrl: string, receiptCode: string) => {
  const code = formatReceiptCode(receiptCode);
  return {
    code,
    page: `${baseUrl}/tanda-terima/${code}`,
    pdf: `${baseUrl}/tanda-terima/${code}.pdf`,
    verify: `${baseUrl}/verifikasi/${code}`,
  };
};

/** Whether the person did the event (rather than it being about them): only then are its address and browser theirs. */
export const isOwnEvent = (data: Pick<PersonalData, 'user'>, event: PersonAuditEvent): boolean =>
  event.actorUserId === data.user.id;

/**
 * The JSON export: one document with every section, times as UTC ISO 8601, codes as stored (with their words beside
 * them where a reader needs them), the drawn images still kept as PNG data URLs (`images`: by signature id).
 */
export function personalDataJson(
  data: PersonalData,
  context: {
    instance: { name: string; address: string; email: string; phone: string };
    baseUrl: string;
    images: ReadonlyMap<number, Buffer>;
    singleSignOn: boolean;
    describeAction: (action: string) => string;
  },
) {
  const { user } = data;
  return {
    schema: PERSONAL_DATA_SCHEMA.name,
    schemaVersion: PERSONAL_DATA_SCHEMA.version,
    generatedAt: data.generatedAt.toISOString(),
    instance: { ...context.instance, url: context.baseUrl },
    profile: {
      id: user.id,
      fullName: user.fullName,
      nip: user.nip,
      employeeType: user.employeeType,
      email: user.email,
      position: user.position,
      pangkat: user.pangkat,
      unit: data.unit ? { id: data.unit.id, code: data.unit.code, name: data.unit.name } : null,
      role: user.role,
      status: user.status,
      /** The language they chose (their pages where no cookie says otherwise, and their mail); null: not chosen. */
      language: user.language,
      activation: data.activation,
      hasPassword: user.passwordHash !== null,
      mustChangePassword: user.mustChangePassword,
      passwordChangedAt: user.passwordChangedAt,
      singleSignOnOffered: context.singleSignOn,
      lastLoginAt: user.lastLoginAt,
      failedLogins: user.failedLogins,
      lockedUntil: user.lockedUntil,
      createdAt: user.createdAt,
    },
    signings: data.signings.map(({ signature: s, ...signing }) => ({
      id: s.id,
      pact: { id: s.pactId, title: signing.pactTitle, version: signing.pactVersion },
      signedAt: s.signedAt,
      method: s.method,
      asSigned: {
        fullName: s.fullName,
        nip: s.nip,
        position: s.position,
        pangkat: s.pangkat,
        unitId: s.unitId,
        unitName: s.unitName,
        asHead: s.wasHead,
        headKind: s.headKind,
      },
      ip: s.ip,
      userAgent: s.userAgent,
      paper: s.paper && {
        signedOn: s.paper.signedOn,
        place: s.paper.place,
        witness: s.paper.witness,
        scanSha256: s.paper.scanSha256,
        recordedBy: signing.recordedByName,
        recordedAt: s.paper.recordedAt,
      },
      receiptCode: formatReceiptCode(s.receiptCode),
      pactBodySha256: s.pactBodySha256,
      ledgerSeq: s.ledgerSeq,
      status: s.status,
      voided:
        s.status === 'voided' ? { at: s.voidedAt, by: signing.voidedByName, reason: s.voidReason } : null,
      drawnSignature:
        s.signatureSha256 === null
          ? null
          : {
              sha256: s.signatureSha256,
              imageKept: signing.imageKept,
              removed: s.imageRemoved,
              image: imageDataUrl(context.images.get(s.id)),
            },
    })),
    receipts: data.signings.map(({ signature: s, pactTitle }) => ({
      ...receiptLinks(context.baseUrl, s.receiptCode),
      pactTitle,
      status: s.status,
    })),
    reminders: data.reminders.map((reminder) => ({
      id: reminder.id,
      pact: { id: reminder.pactId, title: reminder.pactTitle },
      kind: reminder.kind,
      slot: reminder.slot,
      day: reminder.day,
      status: reminder.status,
      claimedAt: reminder.claimedAt,
      doneAt: reminder.doneAt,
      requestedBy: reminder.requestedByName,
    })),
    mails: data.mails.map((mail) => ({
      id: mail.id,
      createdAt: mail.createdAt,
      kind: mail.kind,
      to: mail.to,
      subject: mail.subject,
      status: mail.status,
    })),
    exemptions: data.exemptions.map((exemption) => ({
      id: exemption.id,
      pact: { id: exemption.pactId, title: exemption.pactTitle },
      reason: exemption.reason,
      note: exemption.note,
      startsOn: exemption.startsOn,
      endsOn: exemption.endsOn,
      createdAt: exemption.createdAt,
      createdBy: exemption.createdByName,
      liftedAt: exemption.liftedAt,
      liftedBy: exemption.liftedByName,
      liftReason: exemption.liftReason,
    })),
    signatureViews: data.signatureViews.map((view) => ({
      at: view.at,
      signatureId: view.signatureId,
      viewer: view.viewerName,
      viewerRole: view.viewerRole,
      format: view.details.format ?? null,
      receiptCode:
        typeof view.details.receiptCode === 'string' ? formatReceiptCode(view.details.receiptCode) : null,
    })),
    auditLog: {
      limit: AUDIT_EVENTS_LISTED,
      complete: data.audit.complete,
      events: data.audit.events.map((event) => {
        const own = isOwnEvent(data, event);
        return {
          id: event.id,
          at: event.at,
          action: event.action,
          actionText: context.describeAction(event.action),
          involvement: own ? 'actor' : 'subject',
          actor: own ? user.fullName : event.actorName,
          target: event.targetType ? { type: event.targetType, id: event.targetId } : null,
          // Null when the event named someone else (see PersonAuditEvent).
          details: event.detailsWithheld ? null : event.details,
          // The address and browser of an event are its actor's: someone else's are not this person's data.
          ip: own ? event.ip : null,
          userAgent: own ? event.userAgent : null,
        };
      }),
    },
  };
}

export type PersonalDataJson = ReturnType<typeof personalDataJson>;

const imageDataUrl = (png: Buffer | undefined): string | null =>
  png ? `data:image/png;base64,${png.toString('base64')}` : null;
