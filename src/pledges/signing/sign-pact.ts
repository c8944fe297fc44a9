import cluster from 'node:cluster';
import { type Actor, recordEvent } from '../../audit/record-event.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import type { GroupCommit } from '../../db/group-commit.js';
import type { UnitRepository } from '../../directory/unit-repository.js';
import type { UserRepository } from '../../directory/user-repository.js';
import { appendEntry } from '../../ledger/append-entry.js';
import type { LedgerRepository } from '../../ledger/repository.js';
import { signFacts } from '../ledger-facts.js';
import type { PactRepository } from '../pact-repository.js';
import type { NewSignature, SignatureRepository } from '../signature-repository.js';
import { freshReceiptCode, signerFacts } from '../signer-facts.js';
import { namesMatch } from './name-match.js';
import { readSignatureImage } from './signature-image.js';
import { signInPrimary } from './signing-in-primary.js';
import type { SigningRequest, SignPactResult } from './signing-request.js';

export interface SignPactOptions {
  pactId: number;
  /** From the session, never from the form. */
  userId: number;
  consent: boolean;
  typedName: string;
  /** PNG data URL from the signature pad, or '' for the typed name alone. */
  signatureDataUrl: string;
  actor: Actor;
}

/**
 * SignPactOptions for the web, where the session has just read the signer from the database (passport reads the
 * account on every request): the name they typed is checked against it without reading it again. Under the write
 * lock everything is read afresh anyway.
 */
export type WebSignPactOptions = Omit<SignPactOptions, 'userId'> & {
  signer: { id: number; fullName: string };
};

export type SignServices = {
  db: Db;
  pacts: PactRepository;
  signatures: SignatureRepository;
  users: UserRepository;
  units: UnitRepository;
  ledger: LedgerRepository;
  audit: AuditRepository;
  clock: Clock;
};

/**
 * Signs a pact for the logged-in user. Everything is decided and written in one IMMEDIATE transaction: the pact is
 * open and within its period, the user is in its audience, and has no valid signature yet (a double submit or a
 * second tab gets the first receipt back). The signature, its ledger entry and the audit event commit together.
 */
export async function signPact(services: SignServices, options: SignPactOptions): Promise<SignPactResult> {
  const user = await services.users.findById(options.userId);
  if (!user) return { ok: false, reason: 'not_required' };
  const prepared = prepareSigning(options, user.fullName);
  return 'request' in prepared
    ? inTransaction(services.db, () => recordSignature(services, prepared.request))
    : prepared.result;
}

/**
 * signPact for the web: the same checks and writes, committed together with the other signings that arrived in
 * the same turn of the event loop (see groupCommit), by the primary in cluster mode (see signing-in-primary.ts);
 * resolves once the commit holding this signing is durable.
 */
export async function signPactGrouped(
  services: SignServices & { groupCommit: GroupCommit },
  { signer, ...options }: WebSignPactOptions,
): Promise<SignPactResult> {
  const prepared = prepareSigning({ ...options, userId: signer.id }, signer.fullName);
  if (!('request' in prepared)) return prepared.result;
  return cluster.isWorker ? signInPrimary(prepared.request) : commitSigning(services, prepared.request);
}

/** Writes a checked signing through this process's group commit (in cluster mode, the primary's). */
export const commitSigning = (
  services: SignServices & { groupCommit: GroupCommit },
  request: SigningRequest,
): Promise<SignPactResult> => services.groupCommit.run(() => recordSignature(services, request));

/** What can be judged before the write lock (the form, the drawing: decoding a PNG is the costly part). */
function prepareSigning(
  options: SignPactOptions,
  signerName: string,
): { result: SignPactResult } | { request: SigningRequest } {
  const errors = checkDeclaration(options, signerName);
  const image = readSignatureImage(options.signatureDataUrl);
  if (!image.ok) errors.signature = `sign.form.signature_${image.problem}`;
  if (Object.keys(errors).length > 0 || !image.ok)
    return { result: { ok: false, reason: 'invalid', errors } };
  const { pactId, userId, consent, typedName, actor } = options;
  return { request: { pactId, userId, consent, typedName, actor, png: image.png, pngSha256: image.sha256 } };
}

/**
 * The write of a signing, decided again under the write lock; must run inside a write transaction (its own, or a
 * savepoint of a group commit).
 */
async function recordSignature(services: SignServices, request: SigningRequest): Promise<SignPactResult> {
  await services.ledger.lockForAppend();
  const now = services.clock.now();
  const pact = await services.pacts.findById(request.pactId);
  if (!pact) return { ok: false, reason: 'not_found' };
  // A second submit gets its receipt back even if the person has since left the audience.
  const existing = await services.signatures.findValid(pact.id, request.userId);
  if (existing) return { ok: true, receiptCode: existing.receiptCode, alreadySigned: true };
  // Read again under the write lock: the account may have been disabled, moved or renamed meanwhile.
  const signer = await services.users.findById(request.userId);
  const requirement = signer && (await services.pacts.requirement(pact.id, signer.id));
  if (!signer || !requirement) return { ok: false, reason: 'not_required' };
  const stillMatches = checkDeclaration(request, signer.fullName);
  if (Object.keys(stillMatches).length > 0) return { ok: false, reason: 'invalid', errors: stillMatches };
  if (pact.status !== 'open' || !pact.bodySha256) return { ok: false, reason: 'not_open' };
  if (now.toISOString() < pact.opensAt) return { ok: false, reason: 'not_yet_open' };
  if (now.toISOString() > pact.deadline) return { ok: false, reason: 'deadline_passed' };

  const unit = signer.unitId ? await services.units.findById(signer.unitId) : undefined;
  const receiptCode = await freshReceiptCode(services.signatures);
  const signature: NewSignature = {
    pactId: pact.id,
    ...signerFacts(signer, unit, requirement.asHead),
    signedAt: now.toISOString(),
    ip: request.actor.ip,
    userAgent: request.actor.userAgent?.slice(0, 400) ?? null,
    signaturePng: request.png,
    signatureSha256: request.pngSha256,
    pactBodySha256: pact.bodySha256,
    receiptCode,
    method: 'online',
    paper: null,
  };
  const signatureId = await services.signatures.insert(signature);
  const entry = await appendEntry(services.ledger, {
    kind: 'sign',
    signatureId,
    at: now,
    facts: signFacts({ ...signature, id: signatureId }, pact.version),
  });
  await services.signatures.setLedgerSeq(signatureId, entry.seq);
  await recordEvent(services.audit, {
    actor: request.actor,
    action: 'signature.created',
    target: { type: 'signature', id: signatureId },
    details: { pactId: pact.id, receiptCode, ledgerSeq: entry.seq },
    at: now,
  });
  return { ok: true, receiptCode, alreadySigned: false };
}

/** Consent given and the typed name equal to the account name: field → catalogue key for what is missing. */
function checkDeclaration(options: Pick<SignPactOptions, 'consent' | 'typedName'>, accountName: string) {
  const errors: Record<string, string> = {};
  if (!options.consent) errors.consent = 'sign.form.consent_required';
  if (!namesMatch(options.typedName, accountName)) errors.full_name = 'sign.form.name_mismatch';
  return errors;
}
