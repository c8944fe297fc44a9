import { type Request, type RequestHandler, type Response, Router } from 'express';
import { z } from 'zod';
import { actorOf } from '../audit/actor.js';
import type { AuditRepository } from '../audit/repository.js';
import { recordLogin } from '../auth/log-in.js';
import { renderLoginPage } from '../auth/login-page.js';
import { failureRateLimit } from '../auth/login-rate-limit.js';
import { toSessionUser } from '../auth/passport.js';
import { newPasswordSchema, renderChoosePassword } from '../auth/password-link-routes.js';
import { homeFor, logInAs } from '../auth/start-session.js';
import type { Config } from '../core/config.js';
import { setPasswordThrough } from '../credentials/password-links.js';
import type { Db } from '../db/database.js';
import { normaliseNip } from '../directory/nip.js';
import type { SessionRepository } from '../sessions/session-repository.js';
import { flash } from '../web/flash.js';
import { keptValues, parseForm, textField } from '../web/forms.js';
import type { RateLimits } from '../web/rate-limit-store.js';
import {
  ACTIVATION_NIP_LIMITER,
  type ActivationServices,
  checkActivationCode,
  pendingActivation,
} from './activate-account.js';

declare module 'express-session' {
  interface SessionData {
    /** The activation a NIP and code opened, until the person has chosen a password. */
    activation?: { userId: number; linkId: number };
  }
}

const codeSchema = z.object({
  // Judged by its form alone, as at login: a NIP that is not 18 digits opens no letter, whoever typed it.
  nip: textField({ max: 40, label: 'activation.nip' }).refine((v) => /^\d{18}$/.test(normaliseNip(v)), {
    message: 'login.nip_length',
  }),
  code: textField({ max: 40, label: 'activation.code' }),
});

/** Pages that hold a code or greet its owner: kept by no cache, and no page they lead to learns them as a referrer. */
const noTrace = (res: Response) => res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });

/**
 * /aktivasi: a person with an activation letter types their NIP and code (or scans the letter's QR code, which
 * fills both in), chooses a password and is signed in.
 */
export function activationRoutes(
  services: ActivationServices & {
    audit: AuditRepository;
    db: Db;
    rateLimits: RateLimits;
    sessions: SessionRepository;
  },
  config: Config,
): Router {
  const router = Router();

  const renderCode = (res: Response, status: number, locals: Record<string, unknown> = {}) => {
    noTrace(res);
    res.status(status).render('activation/code', {
      title: res.locals.t('activation.title'),
      values: { nip: '', code: '' },
      failure: null,
      ...locals,
    });
  };

  /** Failed attempts are limited per address and per NIP (`keyOf`), in the login window. */
  const limiter = (prefix: string, limit: number, keyOf?: (req: Request) => string): RequestHandler =>
    failureRateLimit(services, {
      prefix,
      limit,
      windowMs: config.loginRateWindowMs,
      action: 'activation.rate_limited',
      keyOf,
      details: { by: keyOf ? 'nip' : 'address' },
      refuse: (req, res) =>
        renderCode(res, 429, {
          values: keptValues(req.body, ['nip', 'code'], 40),
          failure: 'activation.rate_limited',
        }),
    });
  const perAddress = limiter('activation-address', config.loginRateLimit);
  const perNip = limiter(ACTIVATION_NIP_LIMITER, config.activationNipRateLimit, (req) =>
    normaliseNip(typeof req.body?.nip === 'string' ? req.body.nip : '').slice(0, 40),
  );

  // With SSO as the only way in, a password from a letter would open nothing: the login page says so.
  if (config.oidcOnly) {
    router.all('/aktivasi{/*rest}', (req, res) =>
      renderLoginPage(res, req.method === 'GET' ? 200 : 403, { notice: 'sso.activation_off' }),
    );
  }

  router.get('/aktivasi', (_req, res) => renderCode(res, 200));

  router.post('/aktivasi', perAddress, perNip, async (req, res) => {
    const values = keptValues(req.body, ['nip', 'code'], 40);
    const form = parseForm(codeSchema, req.body);
    if (!form.ok) return renderCode(res, 400, { values, errors: form.errors });
    const found = await checkActivationCode(services, { ...form.data, actor: actorOf(req) });
    if (!found) return renderCode(res, 401, { values, failure: 'activation.failed' });
    req.session.activation = { userId: found.user.id, linkId: found.link.id };
    res.redirect(303, '/aktivasi/kata-sandi');
  });

  const renderPassword = async (
    req: Request,
    res: Response,
    status: number,
    locals: Record<string, unknown> = {},
  ) => {
    const found = await pendingActivation(services, req.session.activation);
    if (!found) {
      delete req.session.activation;
      return renderCode(res, 410, { failure: 'activation.expired' });
    }
    noTrace(res);
    renderChoosePassword(res.status(status), 'activation.password_title', found.user, locals);
  };

  router.get('/aktivasi/kata-sandi', (req, res) => renderPassword(req, res, 200));

  router.post('/aktivasi/kata-sandi', async (req, res) => {
    const form = parseForm(newPasswordSchema, req.body);
    if (!form.ok) return renderPassword(req, res, 400, { errors: form.errors });
    const found = await pendingActivation(services, req.session.activation);
    if (!found) return renderPassword(req, res, 410);
    const result = await setPasswordThrough(services, {
      ...found,
      newPassword: form.data.new_password,
      actor: actorOf(req),
      action: 'account.activated',
    });
    if (!result.ok && result.problem === 'unusable') return renderPassword(req, res, 410);
    if (!result.ok)
      return renderPassword(req, res, 422, { errors: { new_password: `form.password.${result.problem}` } });
    // Signed in at once, as after a password login: a new session, the password just chosen.
    const now = services.clock.now();
    await recordLogin(services, result.user, { actor: actorOf(req), action: 'login.succeeded', at: now });
    const user = toSessionUser(result.user);
    await logInAs(services, req, user, { authenticatedAt: now });
    flash(req, 'success', 'activation.done');
    res.redirect(303, homeFor(user));
  });

  return router;
}
