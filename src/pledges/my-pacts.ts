// What a signer has before them: the pacts still to sign (nearest deadline first), their signatures, and the closed
// pacts they did not sign. `/pakta` lists it; the receipt page points on to the next pact from it. At the root of
// pledges/ because both use cases read it (signing/ and receipts/ do not import each other).

import type { PactRepository } from './pact-repository.js';
import type { Pact, Signature } from './types.js';

/** Why a pact's form cannot be used now (a catalogue key), or null when the pact can be signed. */
export function signingUnavailable(pact: Pact, now: Date): string | null {
  if (pact.status !== 'open') return 'sign.closed_notice';
  if (now.toISOString() < pact.opensAt) return 'sign.not_yet_open';
  if (now.toISOString() > pact.deadline) return 'sign.deadline_passed';
  return null;
}

export interface SignedEntry {
  signature: Signature;
  pact: Pact | undefined;
  /**
   * A voided signature whose pact the person must still sign: it is open, requires them and they hold no valid
   * signature of it. False once they signed it again, or once a new version replaced it (that one is to sign instead).
   */
  signAgain: boolean;
}

export interface MyPacts {
  /** Open pacts that require the person now and that they hold no valid signature of, nearest deadline first. */
  toSign: Pact[];
  /** Every signature of theirs, latest first. */
  signed: SignedEntry[];
  /** Closed pacts they were asked to sign or signed, without a valid signature of theirs. */
  closed: Pact[];
}

export async function myPacts(
  services: {
    pacts: Pick<PactRepository, 'forUser'>;
    signatures: { forUser(userId: number): Promise<Signature[]> };
  },
  userId: number,
): Promise<MyPacts> {
  const mine = await services.signatures.forUser(userId);
  const validPacts = new Set(mine.filter((s) => s.status === 'valid').map((s) => s.pactId));
  const listed = await services.pacts.forUser(userId);
  const toSign = listed
    .filter(({ pact, required }) => pact.status === 'open' && required && !validPacts.has(pact.id))
    .map(({ pact }) => pact);
  const toSignIds = new Set(toSign.map((pact) => pact.id));
  return {
    toSign,
    signed: mine.map((signature) => ({
      signature,
      pact: listed.find(({ pact }) => pact.id === signature.pactId)?.pact,
      signAgain: signature.status === 'voided' && toSignIds.has(signature.pactId),
    })),
    closed: listed.map(({ pact }) => pact).filter((p) => p.status === 'closed' && !validPacts.has(p.id)),
  };
}

/**
 * The pact to offer after a receipt: the first still to sign (nearest deadline) whose form can be used now, other than
 * `exceptPactId` (the receipt's own, which a voided receipt offers by itself).
 */
export function nextToSign(pacts: MyPacts, now: Date, exceptPactId: number): Pact | undefined {
  return pacts.toSign.find((pact) => pact.id !== exceptPactId && signingUnavailable(pact, now) === null);
}
