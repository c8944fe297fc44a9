import type { Unit, User } from '../directory/types.js';
import { newPersonSalt } from './ledger-facts.js';
import { newReceiptCode } from './receipt-code.js';
import type { SignatureRepository } from './signature-repository.js';
import type { SignerSnapshot } from './types.js';

/**
 * What a signature freezes of its signer as they are when it is made, online or on paper: name, NIP, position,
 * pangkat, unit, and whether (and as what kind of head) they sign as its head. A head heads their own unit
 * (migration 013), so its kind of head is theirs. With a fresh salt for the ledger entry's commitment to them.
 */
export const signerFacts = (signer: User, unit: Unit | undefined, asHead: boolean): SignerSnapshot => ({
  userId: signer.id,
  fullName: signer.fullName,
  nip: signer.nip,
  position: signer.position,
  pangkat: signer.pangkat,
  unitId: unit?.id ?? null,
  unitName: unit?.name ?? '',
  wasHead: asHead,
  headKind: asHead && unit ? unit.headKind : null,
  personSalt: newPersonSalt(),
});

/** A receipt code no signature has yet (80 random bits: a second draw is all but never needed). */
export async function freshReceiptCode(signatures: SignatureRepository): Promise<string> {
  let code = newReceiptCode();
  while (await signatures.receiptCodeExists(code)) code = newReceiptCode();
  return code;
}
