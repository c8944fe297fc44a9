import { ACTIVATION_NIP_LIMITER } from '../../activation/activate-account.js';
import { type Actor, recordEvent } from '../../audit/record-event.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import { type Db, inTransaction } from '../../db/database.js';
import type { LedgerRepository } from '../../ledger/repository.js';
import type { SignatureRepository } from '../../pledges/signature-repository.js';
import type { SessionRepository } from '../../sessions/session-repository.js';
import type { SettingsRepository } from '../../settings/repository.js';
import { counterKey } from '../../web/rate-limit-store.js';
import { normaliseNip } from '../nip.js';
import { nipHashKey, nipKeyedHash } from '../nip-key.js';
import type { User } from '../types.js';
import type { UserRepository } from '../user-repository.js';
import {
  anonymiseRosterRow,
  replaceMentions,
  replaceValues,
  wholeValueOf,
  withFormerValues,
} from './mentions.js';
import type { PersonalTracesRepository } from './traces-repository.js';

export type AnonymiseResult =
  | { ok: true; changed: boolean }
  | { ok: false; reason: 'not_found' | 'forbidden' | 'active' | 'changed' | 'ledger_old_format' };

/** What an anonymised person is called everywhere their name was: their record's number, nothing else. */
export const anonymousName = (userId: number): string => `Anonim #${userId}`;

/**
 * Anonymises a person who has left (UU 27/2022: data no longer needed is erased), in one transaction, by an admin,
 * for a reason; only a disabled account (disable it first: that already ends its sessions and links). The record is
 * read locked, so that nobody enables it meanwhile; if it changed anyway, nothing is done (`changed`). Their name
 * becomes 'Anonim #<id>' on their record and on each of their signatures; their NIP is kept only as a keyed hash
 * (nip-key.ts), so that the same NIP typed or imported later is recognised; email, position, pangkat, password,
 * sessions and every password link or activation code go; their signatures lose NIP, position, pangkat, device, the
 * salt of their ledger commitment and their drawings (hashes kept), and stay valid and counted. Then only what is
 * about them (traces-repository.ts): their reminders go, and the mail to any address they had that nobody has now;
 * in the audit events done to their record, any value that is, as a whole, a name, NIP or email they had (now or
 * before, as those events say) reads 'Anonim #<id>'; in the events they did, their NIPs and emails do (a name is not
 * theirs alone), and the IP address and browser go; a kept roster row with their NIP loses what says who they are;
 * the rate-limit counters keyed on their NIP go. Nothing else is rewritten: free text others wrote (an exemption's
 * note, a void reason) is left as written (docs/ARCHITECTURE.md says why). The audit event keeps the reason with
 * their names, NIPs and emails replaced as whole words, never the old values. Refused while the ledger still holds
 * entries of the old format (its upgrade was refused): their signatures could no longer be checked. A second call
 * changes nothing and records nothing.
 */
export function anonymisePerson(
  services: {
    db: Db;
    audit: AuditRepository;
    clock: Clock;
    ledger: LedgerRepository;
    personalTraces: PersonalTracesRepository;
    sessions: SessionRepository;
    settings: SettingsRepository;
    signatures: SignatureRepository;
    users: UserRepository;
  },
  options: { userId: number; reason: string; manager: Pick<User, 'id' | 'role'>; actor: Actor },
): Promise<AnonymiseResult> {
  return inTransaction(services.db, async (): Promise<AnonymiseResult> => {
    if (options.manager.role !== 'admin') return { ok: false, reason: 'forbidden' };
    const user = await services.users.findForChange(options.userId);
    if (!user) return { ok: false, reason: 'not_found' };
    if (user.anonymisedAt !== null) return { ok: true, changed: false };
    if (user.status !== 'disabled') return { ok: false, reason: 'active' };
    if (
      (await services.ledger.countFormatOne()) > 0 ||
      (await services.signatures.countNotCommitted(user.id)) > 0
    ) {
      return { ok: false, reason: 'ledger_old_format' };
    }
    const now = services.clock.now();
    const name = anonymousName(user.id);
    const nipHmac =
      user.nip === null ? null : nipKeyedHash(await nipHashKey(services.settings, now), user.nip);
    // The first write: if the record is no longer a disabled one, nothing has been changed yet.
    if (!(await services.users.anonymise(user.id, { fullName: name, nipHmac }, now))) {
      return { ok: false, reason: 'changed' };
    }
    const signatures = await services.signatures.anonymiseSigner(user.id, name, now);
    await services.sessions.destroyForUser(user.id, '');

    const events = await services.personalTraces.eventsAbout(user.id);
    const identity = withFormerValues(
      {
        names: [user.fullName],
        emails: user.email === null ? [] : [user.email],
        nips: user.nip === null ? [] : [user.nip],
      },
      events.filter((event) => event.toThem),
    );
    // An address they had before may be someone else's now: the mail to it is then that person's.
    const addresses: string[] = [];
    for (const email of identity.emails) {
      if (!(await services.users.findByEmail(email))) addresses.push(email);
    }
    await services.personalTraces.deleteAddressedTo(user.id, addresses);
    const anyValue = wholeValueOf([...identity.names, ...identity.emails, ...identity.nips]);
    const loginValue = wholeValueOf([...identity.emails, ...identity.nips]);
    for (const event of events) {
      const details = replaceValues(event.details, event.toThem ? anyValue : loginValue, name);
      if (details !== undefined) {
        await services.personalTraces.setEventDetails(event.id, details as Record<string, unknown>);
      }
    }
    await services.personalTraces.forgetDevicesOf(user.id);
    const isTheirNip = wholeValueOf(identity.nips);
    if (identity.nips.length > 0) {
      for await (const kept of services.personalTraces.keptRosterRows()) {
        const nipAt = kept.columns.indexOf('nip');
        for (const stored of kept.rows) {
          const nip = stored.row.cells[nipAt];
          if (nipAt >= 0 && nip !== undefined && isTheirNip(nip)) {
            await services.personalTraces.setRosterRow(
              kept.importId,
              anonymiseRosterRow(kept.columns, stored, name),
            );
          }
        }
      }
    }
    await services.personalTraces.deleteRateLimitCounters(
      identity.nips.map((nip) => counterKey(ACTIVATION_NIP_LIMITER, normaliseNip(nip))),
    );

    await recordEvent(services.audit, {
      actor: options.actor,
      action: 'user.anonymised',
      target: { type: 'user', id: user.id },
      details: {
        reason: replaceMentions(
          options.reason,
          [...identity.names, ...identity.emails, ...identity.nips],
          name,
        ),
        signatures,
      },
      at: now,
    });
    return { ok: true, changed: true };
  });
}
