import { type Request, type Response, Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Logger } from 'pino';
import { z } from 'zod';
import { actorOf } from '../audit/actor.js';
import type { AuditRepository } from '../audit/repository.js';
import type { Clock } from '../core/clock.js';
import type { Config } from '../core/config.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordRuleInputs } from '../credentials/password.js';
import type { PasswordLinkRepository } from '../credentials/password-link-repository.js';
import { findUsableLink, setPasswordByLink } from '../credentials/password-links.js';
import { warmPasswordStrength } from '../credentials/password-strength.js';
import type { Db } from '../db/database.js';
import type { User } from '../directory/types.js';
import type { UserRepository } from '../directory/user-repository.js';
import type { Mailer } from '../mail/mailer.js';
import type { SessionRepository } from '../sessions/session-repository.js';
import { parseForm, textField } from '../web/forms.js';
import { HttpError } from '../web/http-error.js';
import type { RateLimits } from '../web/rate-limit-store.js';
import { renderLoginPage } from './login-page.js';
import { requestPasswordReset } from './request-reset.js';

const forgotSchema = z.object({ username: textField({ max: 254, label: 'forgot.username' }) });
/** A new password typed twice: the form that sets one through a link or an activation code. */
export const newPasswordSchema = z
  .object({
    new_password: textField({ max: PASSWORD_MAX_LENGTH, trim: false, label: 'account.new_password' }),
    confirm_password: textField({
      max: PASSWORD_MAX_LENGTH,
      trim: false,
      label: 'account.confirm_password_name',
    }),
  })
  .refine((form) => form.new_password === form.confirm_password, {
    path: ['confirm_password'],
    message: 'form.password.mismatch',
  });

/**
 * The page where a person chooses a password (through a link or an activation code), titled by `titleKey`, with the
 * rules and meter for them. The strength check is started for their submit.
 */
export function renderChoosePassword(
  res: Response,
  titleKey: string,
  user: User,
  locals: Record<string, unknown> = {},
): void {
  warmPasswordStrength();
  res.render('auth/set-password', {
    title: res.locals.t(titleKey),
    found: { user },
    passwordRules: passwordRuleInputs(user),
    passwordMinLength: PASSWORD_MIN_LENGTH,
    ...locals,
  });
}

/** /lupa-kata-sandi (ask for a reset link) and /atur-kata-sandi/:token (set a password through a link). */
export function passwordLinkRoutes(
  services: {
    audit: AuditRepository;
    clock: Clock;
    db: Db;
    passwordLinks: PasswordLinkRepository;
    rateLimits: RateLimits;
    sessions: SessionRepository;
    users: UserRepository;
  },
  mailer: Mailer,
  config: Config,
  logger: Logger,
): Router {
  const router = Router();
  // Every request counts: the form sends mail, and must not become a way to flood someone's inbox.
  const limiter = rateLimit({
    windowMs: config.loginRateWindowMs,
    limit: config.loginRateLimit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    ...services.rateLimits('password-link'),
    handler: (_req, _res, next) => next(new HttpError(429, 'error.429.message')),
  });

  const renderForgot = (res: Response, status: number, locals: Record<string, unknown> = {}) =>
    res.status(status).render('auth/forgot', {
      title: res.locals.t('forgot.title'),
      sent: false,
      values: { username: '' },
      ...locals,
    });

  // With SSO as the only way in, Ikrar keeps no password to reset: the login page says where passwords are kept.
  if (config.oidcOnly) {
    router.all('/lupa-kata-sandi', (req, res) =>
      renderLoginPage(res, req.method === 'GET' ? 200 : 403, { notice: 'sso.forgot_password' }),
    );
  }

  router.get('/lupa-kata-sandi', (_req, res) => renderForgot(res, 200));

  router.post('/lupa-kata-sandi', limiter, (req, res) => {
    const form = parseForm(forgotSchema, req.body);
    if (!form.ok) {
      const username = typeof req.body?.username === 'string' ? req.body.username.slice(0, 254) : '';
      return renderForgot(res, 400, { errors: form.errors, values: { username } });
    }
    const reset = {
      username: form.data.username,
      actor: actorOf(req),
      baseUrl: config.baseUrl,
      instanceName: res.locals.instance.name,
    };
    // The same answer, after the same work, whatever was typed: the account is looked up only once the answer has
    // gone ('close' comes after the last byte, which compression writes a turn or more after the render, or when
    // the visitor left), so neither the page nor its timing tells whether an account exists or has an email.
    renderForgot(res, 200, { sent: true });
    res.once('close', () => {
      requestPasswordReset(services, mailer, reset).catch((err: unknown) =>
        logger.warn({ err }, 'password reset request could not be completed'),
      );
    });
  });

  const renderSetPassword = async (
    req: Request,
    res: Response,
    status: number,
    locals: Record<string, unknown> = {},
  ) => {
    const found = await findUsableLink(services, String(req.params.token));
    res.set('Referrer-Policy', 'no-referrer');
    if (!found) {
      return res.status(410).render('auth/set-password', {
        title: res.locals.t('set_password.unusable_title'),
        found: null,
      });
    }
    renderChoosePassword(
      res.status(status),
      found.link.purpose === 'invitation' ? 'set_password.title_invitation' : 'set_password.title_reset',
      found.user,
      locals,
    );
  };

  router.get('/atur-kata-sandi/:token', (req, res) => renderSetPassword(req, res, 200));

  router.post('/atur-kata-sandi/:token', async (req, res) => {
    const form = parseForm(newPasswordSchema, req.body);
    if (!form.ok) return renderSetPassword(req, res, 400, { errors: form.errors });
    const result = await setPasswordByLink(services, {
      token: String(req.params.token),
      newPassword: form.data.new_password,
      actor: actorOf(req),
    });
    if (!result.ok && result.problem === 'unusable') return renderSetPassword(req, res, 410);
    if (!result.ok)
      return renderSetPassword(req, res, 422, {
        errors: { new_password: `form.password.${result.problem}` },
      });
    res.redirect(303, '/masuk?pesan=sandi-baru');
  });

  return router;
}
