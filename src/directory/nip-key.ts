import { createHmac, randomBytes } from 'node:crypto';
import type { User } from './types.js';
import type { UserRepository } from './user-repository.js';

/**
 * The setting that holds the instance's key for the NIPs of anonymised people (32 random bytes, hex). An NIP has
 * little entropy (a birth date, a month, a sex digit and a number under 1,000): a plain hash of one is reversed by
 * trying them all, an HMAC under a key kept in the database is not, without the database.
 */
const NIP_KEY = 'anonymisation.nip_key';

/** HMAC-SHA-256 of a NIP under the instance's key, hex: what an anonymised person's record keeps of their NIP. */
export const nipKeyedHash = (key: string, nip: string): string =>
  createHmac('sha256', Buffer.from(key, 'hex')).update(nip).digest('hex');

/**
 * The settings this module reads and writes: declared here, not imported (the settings folder imports the audit log,
 * which reads the directory).
 */
interface Settings {
  get(key: string): Promise<string | undefined>;
  getOrPut(key: string, value: string, at: Date): Promise<string>;
}

/** The instance's key, made on first use (insert-if-absent, so that several processes agree on one). */
export const nipHashKey = (settings: Pick<Settings, 'getOrPut'>, at: Date): Promise<string> =>
  settings.getOrPut(NIP_KEY, randomBytes(32).toString('hex'), at);

/**
 * The anonymised people whose NIP was one of these, by NIP: so that a form or a roster import that names the NIP of
 * someone anonymised is told so, instead of making a second account for them. None before anyone was anonymised
 * (there is no key yet, and reading does not make one).
 */
export async function anonymisedByNip(
  services: {
    settings: Pick<Settings, 'get'>;
    users: Pick<UserRepository, 'findAnonymisedByNipHmacs'>;
  },
  nips: readonly string[],
): Promise<Map<string, User>> {
  const key = nips.length === 0 ? undefined : await services.settings.get(NIP_KEY);
  if (key === undefined) return new Map();
  const hashes = new Map(nips.map((nip) => [nip, nipKeyedHash(key, nip)]));
  const found = await services.users.findAnonymisedByNipHmacs([...hashes.values()]);
  const byNip = new Map<string, User>();
  for (const [nip, hash] of hashes) {
    const user = found.get(hash);
    if (user) byNip.set(nip, user);
  }
  return byNip;
}
