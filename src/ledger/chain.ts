import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** prev_hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** The facts of a ledger entry as canonical JSON (RFC 8785): the same facts always give the same bytes. */
export function canonicalPayload(facts: Record<string, string | number | boolean | null>): string {
  const text = canonicalize(facts);
  if (text === undefined) throw new Error('ledger payload cannot be serialised');
  return text;
}

/** hash = sha256(prev_hash ‖ payload), hex. */
export function chainHash(prevHash: string, payload: string): string {
  return createHash('sha256').update(prevHash).update(payload).digest('hex');
}
