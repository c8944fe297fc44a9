import { type Actor, recordEvent } from '../../audit/record-event.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import { type Db, inTransaction } from '../../db/database.js';
import type { LedgerRepository } from '../../ledger/repository.js';
import type { SignatureRepository } from '../../pledges/signature-repository.js';
import type { SessionRepository } from '../../sessions/session-repository.js';
import type { SettingsRepository } from '../../settings/repository.js';
import { formatNip } from '../nip.js';
import { nipHashKey, nipKeyedHash } from '../nip-key.js';
import type { User } from '../types.js';
import type { UserRepository } from '../user-repository.js';
import type { PersonalTracesRepository } from './traces-repository.js';

export type AnonymiseResult =
  | { ok: true; changed: boolean }
  | { ok: false; reason: 'not_found' | 'forbidden' | 'active' | 'ledger_old_format' };

/** What an anonymised person is called everywhere their name was: their record's number, nothing else. */
export const anonymousName = (userId: number): string => `Anonim #${userId}`;

/**
 * Anonymises a person who has left (UU 27/2022: data no longer needed is erased), in one transaction, by an admin,
 * for a reason; only a disabled account (disable it first: that already ends its sessions and links). Their name
 * becomes 'Anonim #<id>' on their record and on each of their signatures; their NIP is kept only as a keyed hash
 * (nip-key.ts), so that the same NIP typed or imported later is recognised; email, position, pangkat, password,
 * sessions and every password link or activation code go; their signatures lose NIP, position, pangkat, device, the
 * salt of their ledger commitment and their drawings (hashes kept), and stay valid and counted; their reminders and
 * the mail to their address are deleted, and their name, NIP and email are replaced in what others' records say
 * (traces-repository.ts). The audit event keeps the reason with those replaced too, never the old values. Refused
 * while the ledger still holds entries of the old format (its upgrade was refused): their signatures could no longer
 * be checked. A second call changes nothing and records nothing.
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
    const user = await services.users.findById(options.userId);
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
    await services.users.anonymise(user.id, { fullName: name, nipHmac }, now);
    const signatures = await services.signatures.anonymiseSigner(user.id, name, now);
    await services.sessions.destroyForUser(user.id, '');
    await services.personalTraces.deleteAddressedTo(user.id, user.email);
    const said = [user.fullName, user.email, user.nip, user.nip && formatNip(user.nip)].filter(
      (text): text is string => typeof text === 'string' && text !== '',
    );
    await services.personalTraces.scrub(said, name);
    await recordEvent(services.audit, {
      actor: options.actor,
      action: 'user.anonymised',
      target: { type: 'user', id: user.id },
      details: { reason: said.reduce((text, old) => text.split(old).join(name), options.reason), signatures },
      at: now,
    });
    return { ok: true, changed: true };
  });
}
