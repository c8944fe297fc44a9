import { promisify } from 'node:util';
import { type Request, type RequestHandler, type Response, Router } from 'express';
import { type AugmentedRequest, rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { actorOf } from '../audit/actor.js';
import { recordEvent } from '../audit/record-event.js';
import type { AuditRepository } from '../audit/repository.js';
import { renderLoginPage } from '../auth/login-page.js';
import { homeFor } from '../auth/start-session.js';
import type { Config } from '../core/config.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordRuleInputs } from '../credentials/password.js';
import { setPasswordThrough } from '../credentials/password-links.js';
import { warmPasswordStrength } from '../credentials/password-strength.js';
import type { Db } from '../db/database.js';
import { normaliseNip } from '../directory/nip.js';
import type { SessionRepository } from '../sessions/session-repository.js';
import { flash } from '../web/flash.js';
import { keptValues, parseForm, textField } from '../web/forms.js';
import type { RateLimits } from '../web/rate-limit-store.js';
import { type ActivationServices, checkActivationCode, pendingActivation } from './activate-account.js';

declare module 'express-session' {
  interface SessionData {
    /** The activation a NIP and code opened, until the person has chosen a password. */
    activation?: { userId: number; linkId: number };
  }
}

const codeSchema = z.object({
  nip: textField({ max: 40 }),
  code: textField({ max: 40 }),
});

const passwordSchema = z
  .object({
    new_password: textField({ max: PASSWORD_MAX_LENGTH, trim: false }),
    confirm_password: textField({ max: PASSWORD_MAX_LENGTH, trim: false }),
  })
  .refine((form) => form.new_password === form.confirm_password, {
    path: ['confirm_password'],
    message: 'form.password.mismatch',
  });

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
    // The QR link carries the code in its path: no page it leads to may learn it as a referrer.
    res.set('Referrer-Policy', 'no-referrer');
    res.status(status).render('activation/code', {
      title: res.locals.t('activation.title'),
      values: { nip: '', code: '' },
      failure: null,
      ...locals,
    });
  };

  /**
   * Failed attempts are limited per address and per NIP (`keyOf`); a success is not counted. Crossing a limit is
   * audited once, not every refused request after it.
   */
  const limiter = (prefix: string, limit: number, keyOf?: (req: Request) => string): RequestHandler =>
    rateLimit({
      windowMs: config.loginRateWindowMs,
      limit,
      skipSuccessfulRequests: true,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      ...services.rateLimits(prefix),
      ...(keyOf ? { keyGenerator: keyOf } : {}),
      handler: async (req, res) => {
        if ((req as AugmentedRequest).rateLimit?.used === limit + 1) {
          await recordEvent(services.audit, {
            actor: actorOf(req),
            action: 'activation.rate_limited',
            details: {
              by: keyOf ? 'nip' : 'address',
              limit,
              windowMinutes: config.loginRateWindowMs / 60_000,
            },
            at: services.clock.now(),
          });
        }
        renderCode(res, 429, {
          values: keptValues(req.body, ['nip', 'code'], 40),
          failure: 'activation.rate_limited',
        });
      },
    });
  const perAddress = limiter('activation-address', config.loginRateLimit);
  const perNip = limiter('activation-nip', config.activationNipRateLimit, (req) =>
    normaliseNip(typeof req.body?.nip === 'string' ? req.body.nip : '').slice(0, 40),
  );

  // With SSO as the only way in, a password from a letter would open nothing: the login page says so.
  if (config.oidcOnly) {
    router.all('/aktivasi{/*rest}', (req, res) =>
      renderLoginPage(res, req.method === 'GET' ? 200 : 403, { notice: 'sso.activation_off' }),
    );
  }

  router.get('/aktivasi', (_req, res) => renderCode(res, 200));

  // The address in a letter's QR code: the form, filled in, for the person to confirm.
  router.get('/aktivasi/:nip/:code', (req, res) =>
    renderCode(res, 200, {
      values: { nip: String(req.params.nip).slice(0, 40), code: String(req.params.code).slice(0, 40) },
    }),
  );

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
    warmPasswordStrength();
    res.status(status).render('auth/set-password', {
      title: res.locals.t('activation.password_title'),
      found,
      passwordRules: passwordRuleInputs(found.user),
      passwordMinLength: PASSWORD_MIN_LENGTH,
      ...locals,
    });
  };

  router.get('/aktivasi/kata-sandi', (req, res) => renderPassword(req, res, 200));

  router.post('/aktivasi/kata-sandi', async (req, res) => {
    const form = parseForm(passwordSchema, req.body);
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
    // Signed in at once, as after a password login: a new session (passport regenerates it), the password just typed.
    const { passwordHash: _hash, ...user } = result.user;
    await promisify(req.login.bind(req))(user);
    req.session.authenticatedAt = services.clock.now().getTime();
    await services.users.recordLogin(user.id, services.clock.now());
    flash(req, 'success', 'activation.done');
    res.redirect(303, homeFor(user));
  });

  return router;
}
