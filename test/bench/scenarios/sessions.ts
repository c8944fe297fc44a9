/**
 * Sessions written straight into the app's store, as a visit to the login form (a CSRF token) or a login (a user)
 * would have left them, with cookies signed as express-session signs them: a scenario's setup, not measured.
 */

import { createHmac, randomBytes } from 'node:crypto';
import { systemClock } from '../../../src/core/clock.js';
import { DEFAULT_TIME_ZONE, timeZone } from '../../../src/core/time-zone.js';
import { type Db, inTransaction } from '../../../src/db/database.js';
import { createServices } from '../../../src/services.js';

export interface StoredSession {
  /** The Cookie header that carries it. */
  cookie: string;
  csrfToken: string;
}

const HOUR_MS = 3_600_000;

/** One session per entry: a logged-in user's (`userId`), or a visitor's who has opened the login form (null). */
export async function writeSessions(
  db: Db,
  secret: string,
  userIds: readonly (number | null)[],
): Promise<StoredSession[]> {
  const { sessions } = createServices(db, systemClock, timeZone(DEFAULT_TIME_ZONE));
  const now = Date.now();
  const expires = new Date(now + HOUR_MS);
  return inTransaction(db, async () => {
    const stored: StoredSession[] = [];
    for (const userId of userIds) {
      const sid = randomBytes(18).toString('base64url');
      const csrfToken = randomBytes(32).toString('hex');
      const data = {
        cookie: {
          originalMaxAge: HOUR_MS,
          expires,
          httpOnly: true,
          path: '/',
          secure: true,
          sameSite: 'lax',
        },
        csrfToken,
        ...(userId === null ? {} : { passport: { user: userId }, authenticatedAt: now }),
      };
      await sessions.save(sid, JSON.stringify(data), expires.getTime(), userId);
      const signature = createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '');
      stored.push({ cookie: `ikrar.sid=${encodeURIComponent(`s:${sid}.${signature}`)}`, csrfToken });
    }
    return stored;
  });
}
