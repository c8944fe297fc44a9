import { promisify } from 'node:util';
import type { Request, Response } from 'express';
import { actorOf } from '../audit/actor.js';
import { recordEvent } from '../audit/record-event.js';
import type { AuditRepository } from '../audit/repository.js';
import type { Clock } from '../core/clock.js';
import type { SessionRepository } from '../sessions/session-repository.js';
import { SESSION_COOKIE } from '../sessions/session-store.js';

/** Messages the login page shows after a redirect (`/masuk?pesan=…`). */
export const LOGIN_NOTICES = {
  keluar: 'login.logged_out',
  terkunci: 'login.locked_while_logged_in',
  'sandi-baru': 'set_password.done',
} as const;
export type LoginNotice = keyof typeof LOGIN_NOTICES;

/**
 * Logs the browser out (audited when someone was logged in), destroys its session and sends it to the login page
 * with a notice. `terkunci` also ends every other session of the user: their account has just been locked.
 */
export async function endSession(
  services: { audit: AuditRepository; clock: Clock; sessions: SessionRepository },
  req: Request,
  res: Response,
  notice: LoginNotice,
): Promise<void> {
  if (req.user) {
    await recordEvent(services.audit, {
      actor: actorOf(req),
      action: 'logout',
      target: { type: 'user', id: req.user.id },
      details: { reason: notice },
      at: services.clock.now(),
    });
    if (notice === 'terkunci') await services.sessions.destroyForUser(req.user.id, '');
    await promisify(req.logout.bind(req))();
  }
  await promisify(req.session.destroy.bind(req.session))();
  res.clearCookie(SESSION_COOKIE, { path: '/' });
  res.redirect(303, `/masuk?pesan=${notice}`);
}
