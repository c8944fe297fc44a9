import type { Clock } from '../../core/clock.js';
import { type Db, inTransaction } from '../../db/database.js';
import { canonicalPayload, chainHash, GENESIS_HASH } from '../../ledger/chain.js';
import {
  LEDGER_FORMAT,
  type LedgerEntry,
  type LedgerFormatUpgrade,
  type LedgerRepository,
} from '../../ledger/repository.js';
import { verifyLedger } from '../../ledger/verify-ledger.js';
import type { ScanRepository } from '../../scans/scan-repository.js';
import { committedPerson, newPersonSalt, personCommitment } from '../ledger-facts.js';
import type { PactRepository } from '../pact-repository.js';
import type { SignatureRepository } from '../signature-repository.js';
import { checkRecords } from './check-records.js';

export type LedgerUpgradeResult =
  | { upgraded: true; upgrade: LedgerFormatUpgrade }
  /** No format-1 entry is left (a fresh ledger, or the upgrade ran before: on this node or another). */
  | { upgraded: false; reason: 'nothing_to_do' }
  /** The old chain does not verify, or cannot be rewritten as it is: nothing was changed. */
  | { upgraded: false; reason: 'refused'; problem: string };

type Facts = Record<string, string | number | boolean | null>;

/** The keys of a format-1 payload that held the signer's personal data (and, on paper, the witness's name). */
const PERSONAL_KEYS = ['nip', 'fullName', 'position', 'pangkat', 'paperWitness'] as const;

/**
 * A format-1 payload as format 2: the personal data taken out and committed to with the signature's salt, by the
 * rule a row is committed to with (committedPerson: pangkat only when the entry had it, the witness only on paper),
 * and `format: 2`.
 * A void entry holds no one's data and only gains its format.
 */
export function formatTwoPayload(
  entry: Pick<LedgerEntry, 'kind' | 'payload'>,
  salt: string | undefined,
): string {
  const facts = JSON.parse(entry.payload) as Facts;
  if (entry.kind === 'void') return canonicalPayload({ ...facts, format: LEDGER_FORMAT });
  if (salt === undefined) throw new Error('a signing without a salt cannot be committed to');
  const person = committedPerson({
    nip: (facts.nip ?? null) as string | null,
    fullName: String(facts.fullName),
    position: String(facts.position),
    pangkat: typeof facts.pangkat === 'string' ? facts.pangkat : null,
    paper: entry.kind === 'paper' ? { witness: String(facts.paperWitness) } : null,
  });
  const kept = Object.fromEntries(
    Object.entries(facts).filter(([key]) => !(PERSONAL_KEYS as readonly string[]).includes(key)),
  );
  return canonicalPayload({ ...kept, person: personCommitment(salt, person), format: LEDGER_FORMAT });
}

/**
 * The one-time upgrade of a ledger written before migration 028, run at every start (it does nothing once done).
 * Under the ledger's append lock and in one transaction: finds the format-1 entries (none: done), checks the old
 * chain (broken: changes nothing), gives every signature that has none a salt, rewrites each entry as format 2 and
 * chains it again from the genesis hash, keeping its old hash in legacy_hash, records the upgrade (the old head and
 * the new) and a fresh full check of the records. Several nodes starting at once take turns at the lock; the later
 * ones find nothing to do.
 */
export async function upgradeLedgerFormat(
  services: {
    db: Db;
    ledger: LedgerRepository;
    signatures: SignatureRepository;
    pacts: PactRepository;
    scans: ScanRepository;
  },
  clock: Clock,
): Promise<LedgerUpgradeResult> {
  return inTransaction(services.db, async (): Promise<LedgerUpgradeResult> => {
    await services.ledger.lockForAppend();
    const old = await services.ledger.countFormatOne();
    if (old === 0) return { upgraded: false, reason: 'nothing_to_do' };
    const chain = await verifyLedger(services.ledger, clock);
    if (!chain.ok || chain.headSeq === null || chain.headHash === null) {
      return {
        upgraded: false,
        reason: 'refused',
        problem: chain.problem ?? 'the old chain does not verify',
      };
    }
    // Format 2 entries appended after format-1 ones (the upgrade was refused before, and signings went on) would have
    // to be rewritten too, which the ledger's guard refuses: the chain stays as it is.
    if (old !== chain.headSeq) {
      return { upgraded: false, reason: 'refused', problem: 'format-2 entries follow the format-1 ones' };
    }
    const unsalted = await services.signatures.idsWithoutSalt();
    for (const id of unsalted) await services.signatures.setPersonSalt(id, newPersonSalt());
    const salts = await services.signatures.personSalts();

    let prevHash = GENESIS_HASH;
    let rewritten = 0;
    for await (const entry of services.ledger.entries()) {
      const payload = formatTwoPayload(entry, salts.get(entry.signatureId));
      const hash = chainHash(prevHash, payload);
      await services.ledger.rewriteAsFormatTwo(entry.seq, { payload, prevHash, hash });
      prevHash = hash;
      rewritten += 1;
    }
    const upgrade: LedgerFormatUpgrade = {
      at: clock.now().toISOString(),
      entries: rewritten,
      saltsGiven: unsalted.length,
      oldHeadSeq: chain.headSeq,
      oldHeadHash: chain.headHash,
      newHeadHash: prevHash,
    };
    await services.ledger.recordUpgrade(upgrade);
    await checkRecords(services, clock, { record: true });
    return { upgraded: true, upgrade };
  });
}
