import { type Request, type RequestHandler, type Response, Router } from 'express';
import { actorOf } from '../audit/actor.js';
import type { AuditRepository } from '../audit/repository.js';
import type { Clock } from '../core/clock.js';
import type { Config, OidcConfig } from '../core/config.js';
import type { Db } from '../db/database.js';
import { formatNip } from '../directory/nip.js';
import type { UserRepository } from '../directory/user-repository.js';
import { safeNextPath } from '../web/safe-redirect.js';
import { logInWithSso, recordSsoRefusal, type SsoRefusal } from './log-in-with-sso.js';
import { type LoginPageState, renderLoginPage } from './login-page.js';
import { toSessionUser } from './passport.js';
import type { SsoIdentity } from './sso-identity.js';
import { type PendingSsoLogin, SsoProviderError, ssoProvider } from './sso-provider.js';
import { homeFor, REAUTH_AFTER_MS, startSession } from './start-session.js';

declare module 'express-session' {
  interface SessionData {
    /** An SSO login under way: what the provider's answer is checked against, and where to go after. Used once. */
    ssoLogin?: PendingSsoLogin & { next: string; userId?: number };
  }
}

const SSO_CALLBACK_PATH = '/masuk/sso/kembali';

const STATUS: Record<SsoRefusal, number> = {
  unavailable: 503,
  refused: 401,
  invalid: 400,
  expired: 400,
  no_identity: 403,
  unknown_account: 403,
  disabled: 403,
  other_account: 403,
};

/** The login page's message for a refusal: an unknown account is named as the provider named it. */
function refusalMessage(
  reason: SsoRefusal,
  identity: SsoIdentity | null,
): Pick<LoginPageState, 'failure' | 'failureParams'> {
  if (reason !== 'unknown_account' || !identity) return { failure: `sso.refusal.${reason}` };
  return identity.by === 'nip'
    ? { failure: 'sso.refusal.unknown_nip', failureParams: { nip: formatNip(identity.nip) } }
    : { failure: 'sso.refusal.unknown_email', failureParams: { email: identity.email } };
}

/** The provider's own name for what went wrong (an OAuth error or openid-client's code), for the audit log. */
function providerErrorCode(err: SsoProviderError): string | undefined {
  const cause = err.cause as { error?: unknown; code?: unknown } | undefined;
  if (typeof cause?.error === 'string') return cause.error.slice(0, 100);
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

/**
 * When the person last proved who they are. After a re-authentication, now: openid-client has just checked the
 * provider's `auth_time` against max_age. After a login, that `auth_time` when the provider gives one (a login
 * carried by a provider session hours old proves nothing fresh), never later than now.
 */
function provedAt(claims: Record<string, unknown>, pending: PendingSsoLogin, now: Date): Date {
  if (pending.maxAge !== undefined || typeof claims.auth_time !== 'number') return now;
  return new Date(Math.min(claims.auth_time * 1000, now.getTime()));
}

/**
 * /masuk/sso (off to the provider; `?ulang=1` when a logged-in session must prove again who is at the keyboard) and
 * /masuk/sso/kembali (the provider's answer). Every refusal is the login page with a message and a 4xx, or a 503 when
 * the provider cannot be reached; never a 500.
 */
export function ssoRoutes(
  services: { audit: AuditRepository; clock: Clock; db: Db; users: UserRepository },
  config: Pick<Config, 'baseUrl' | 'production'>,
  oidc: OidcConfig,
  limiter: RequestHandler,
): Router {
  const provider = ssoProvider(oidc, `${config.baseUrl}${SSO_CALLBACK_PATH}`, {
    allowHttp: !config.production,
  });
  const router = Router();

  const show = (res: Response, reason: SsoRefusal, next: string, identity: SsoIdentity | null = null) =>
    renderLoginPage(res, STATUS[reason], { next, ...refusalMessage(reason, identity) });

  /** A refusal before any account was looked at (logInWithSso audits its own): logged, audited, then shown. */
  const refuseEarly = async (req: Request, res: Response, next: string, problem: SsoProviderError | null) => {
    if (problem) req.log?.warn({ err: problem }, 'SSO login failed at the provider');
    const reason = problem?.problem ?? 'expired';
    const details = problem ? { error: providerErrorCode(problem) } : {};
    await recordSsoRefusal(services, { actor: actorOf(req), reason, details });
    show(res, reason, next);
  };

  router.get('/masuk/sso', limiter, async (req, res) => {
    const next = safeNextPath(req.query.next, '');
    const userId = req.query.ulang === '1' ? req.user?.id : undefined;
    if (req.user && userId === undefined) return res.redirect(safeNextPath(next, homeFor(req.user)));
    try {
      const { url, pending } = await provider.start(
        userId === undefined ? {} : { maxAge: REAUTH_AFTER_MS / 1000 },
      );
      req.session.ssoLogin = { ...pending, next, ...(userId === undefined ? {} : { userId }) };
      res.redirect(303, url.href);
    } catch (err) {
      if (!(err instanceof SsoProviderError)) throw err;
      await refuseEarly(req, res, next, err);
    }
  });

  router.get(SSO_CALLBACK_PATH, limiter, async (req, res) => {
    const pending = req.session.ssoLogin;
    // Used once, whatever happens next: a reloaded or replayed answer finds nothing to be checked against.
    delete req.session.ssoLogin;
    if (!pending) return refuseEarly(req, res, '', null);
    let claims: Record<string, unknown>;
    try {
      const query = req.originalUrl.indexOf('?');
      claims = await provider.finish(query === -1 ? '' : req.originalUrl.slice(query), pending);
    } catch (err) {
      if (!(err instanceof SsoProviderError)) throw err;
      return refuseEarly(req, res, pending.next, err);
    }
    const result = await logInWithSso(services, {
      claims,
      nipClaim: oidc.nipClaim,
      actor: actorOf(req),
      expectedUserId: pending.userId,
    });
    if (!result.ok) return show(res, result.reason, pending.next, result.identity);
    await startSession(services, req, res, toSessionUser(result.user), {
      authenticatedAt: provedAt(claims, pending, services.clock.now()),
      next: pending.next,
      viaSso: true,
    });
  });

  return router;
}
