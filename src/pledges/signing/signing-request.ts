import type { Actor } from '../../audit/record-event.js';

/** A signing that passed the checks made before the write lock: plain data, so that it can cross to the primary. */
export interface SigningRequest {
  pactId: number;
  userId: number;
  consent: boolean;
  typedName: string;
  /** The drawn signature as checked by readSignatureImage, or null for the typed name alone. */
  png: Buffer | null;
  pngSha256: string | null;
  actor: Actor;
}

/** What a signing came to: a receipt, or why not. */
export type SignPactResult =
  | { ok: true; receiptCode: string; alreadySigned: boolean }
  | { ok: false; reason: 'not_found' | 'not_required' | 'not_open' | 'not_yet_open' | 'deadline_passed' }
  | { ok: false; reason: 'invalid'; errors: Record<string, string> };
