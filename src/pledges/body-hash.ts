import { createHash } from 'node:crypto';

/** sha256 of the exact pact text (UTF-8), fixed when the pact opens and copied into every signature. */
export const bodySha256 = (body: string): string => createHash('sha256').update(body, 'utf8').digest('hex');
