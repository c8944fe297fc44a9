import { promisify } from 'node:util';
import type { Request, Response } from 'express';
import type { SessionData } from 'express-session';
import { actorOf } from '../audit/actor.js';
import type { AuditRepository } from '../audit/repository.js';
import type { Clock } from '../core/clock.js';
import type { Db } from '../db/database.js';
import type { UserRepository } from '../directory/user-repository.js';
import { cookieLanguage } from '../web/language.js';
import { safeNextPath } from '../web/safe-redirect.js';
import { changeLanguage } from './change-language.js';
import type { SessionUser } from './passport.js';

declare module 'express-session' {
  interface SessionData {
    /**
     * When the person last proved who they are (epoch ms): their password, or their login at the SSO provider.
     * Signing asks again after REAUTH_AFTER_MS.
     */
    authenticatedAt?: number;
    /** The session came in through SSO: it proves itself again at the provider, not with a password. */
    viaSso?: true;
  }
}

/** After this long since the person last proved who they are, signing asks them to again. */
export const REAUTH_AFTER_MS = 15 * 60 * 1000;

/** Where a user lands after logging in when no `next` was asked for. */
export const homeFor = (user: SessionUser): string => (user.role === 'signer' ? '/pakta' : '/admin');

/**
 * Logs the browser in as `user`, whichever way they proved who they are, and sends it on to `next` (when it is a
 * same-site path) or their landing page. passport 0.7 regenerates the session here: a fixed session id cannot be
 * carried into the login, and the next page renders a fresh CSRF token.
 */
export async function startSession(
  services: SessionStartServices,
  req: Request,
  res: Response,
  user: SessionUser,
  options: { authenticatedAt: Date; next: unknown; viaSso?: boolean },
): Promise<void> {
  await logInAs(services, req, user, options);
  // `next` is never a reason to refuse a login: anything but a same-site path is simply ignored.
  res.redirect(user.mustChangePassword ? '/akun' : safeNextPath(options.next, homeFor(user)));
}

/** What starting a session may write: the language chosen before signing in (`changeLanguage`). */
export type SessionStartServices = { audit: AuditRepository; clock: Clock; db: Db; users: UserRepository };

/**
 * Logs the browser in as `user` in a new session (passport 0.7 regenerates it), marking when and how they proved
 * who they are. Whatever the new session should carry (a flash) is put in after this. The one place every way in
 * (password, activation, SSO) starts a session: a person with no stored language who switched this browser to one
 * before signing in keeps it as theirs (audited as their own change), so that mail to them follows it too.
 */
export async function logInAs(
  services: SessionStartServices,
  req: Request,
  user: SessionUser,
  options: { authenticatedAt: Date; viaSso?: boolean },
): Promise<void> {
  await promisify(req.login.bind(req))(user);
  req.session.authenticatedAt = options.authenticatedAt.getTime();
  if (options.viaSso) req.session.viaSso = true;
  const chosen = cookieLanguage(req);
  if (user.language === null && chosen !== null) {
    await changeLanguage(services, { userId: user.id, language: chosen, actor: actorOf(req) });
  }
}

/**
 * How this session must prove again who is at the keyboard, or null while its last proof is fresh: a password
 * session types its password, an SSO session goes back to the provider (it may have no password at all).
 */
export function reauthenticationNeeded(session: Partial<SessionData>, now: Date): 'password' | 'sso' | null {
  if (now.getTime() - (session.authenticatedAt ?? 0) <= REAUTH_AFTER_MS) return null;
  return session.viaSso ? 'sso' : 'password';
}

/** The SSO login that proves again who is at the keyboard (the provider asks for their credentials), then `path`. */
export const ssoReauthenticationPath = (path: string): string =>
  `/masuk/sso?ulang=1&next=${encodeURIComponent(path)}`;
