import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { actorOf } from '../audit/actor.js';
import type { AuditRepository } from '../audit/repository.js';
import type { Clock } from '../core/clock.js';
import type { Config } from '../core/config.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordRuleInputs } from '../credentials/password.js';
import type { PasswordLinkRepository } from '../credentials/password-link-repository.js';
import type { Db } from '../db/database.js';
import type { UnitRepository } from '../directory/unit-repository.js';
import type { UserRepository } from '../directory/user-repository.js';
import type { SessionRepository } from '../sessions/session-repository.js';
import { flash } from '../web/flash.js';
import { keptValues, parseForm, textField } from '../web/forms.js';
import { requireAuth } from '../web/guards.js';
import { DEFAULT_LANGUAGE, type Language } from '../web/i18n.js';
import type { RateLimits } from '../web/rate-limit-store.js';
import { safeNextPath } from '../web/safe-redirect.js';
import { changePassword } from './change-password.js';
import { endSession, LOGIN_NOTICES, type LoginNotice } from './end-session.js';
import { usernameProblem } from './find-account.js';
import type { KeyedQueue } from './keyed-queue.js';
import { renderLoginPage } from './login-page.js';
import { loginRateLimit } from './login-rate-limit.js';
import type { Authenticator, SessionUser } from './passport.js';
import { ssoRoutes } from './sso-routes.js';
import { homeFor, startSession } from './start-session.js';

const loginSchema = z.object({
  username: textField({ max: 254, label: 'login.username' }).superRefine((username, ctx) => {
    const problem = usernameProblem(username);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  password: textField({ max: PASSWORD_MAX_LENGTH, trim: false, label: 'login.password' }),
});

const changePasswordSchema = z
  .object({
    current_password: textField({ max: PASSWORD_MAX_LENGTH, trim: false, label: 'account.current_password' }),
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

const loginNotice = (pesan: unknown): string | null =>
  typeof pesan === 'string' && Object.hasOwn(LOGIN_NOTICES, pesan)
    ? LOGIN_NOTICES[pesan as LoginNotice]
    : null;

export function authRoutes(
  services: {
    audit: AuditRepository;
    clock: Clock;
    db: Db;
    passwordAttempts: KeyedQueue;
    passwordLinks: PasswordLinkRepository;
    rateLimits: RateLimits;
    sessions: SessionRepository;
    units: UnitRepository;
    users: UserRepository;
  },
  passport: Authenticator,
  config: Config,
): Router {
  const router = Router();
  // One count of failed logins per address, whichever way they came in.
  const limiter = loginRateLimit(services, config.loginRateLimit, config.loginRateWindowMs);

  router.get('/masuk', (req, res) => {
    const next = typeof req.query.next === 'string' ? req.query.next : '';
    if (req.user) return res.redirect(safeNextPath(next, homeFor(req.user)));
    renderLoginPage(res, 200, { next, notice: loginNotice(req.query.pesan) });
  });

  router.post('/masuk', limiter, async (req: Request, res: Response) => {
    if (config.oidcOnly) return renderLoginPage(res, 403, { failure: 'sso.password_login_off' });
    const { username, next } = keptValues(req.body, ['username', 'next']);
    const values = { username: username ?? '' };
    const form = parseForm(loginSchema, req.body);
    if (!form.ok) return renderLoginPage(res, 400, { values, next, errors: form.errors });

    const user = await new Promise<Express.User | false>((resolve, reject) => {
      passport.authenticate('local', { session: false }, (err: unknown, found: Express.User | false) =>
        err ? reject(err) : resolve(found),
      )(req, res, reject);
    });
    if (!user) return renderLoginPage(res, 401, { values, next, failure: 'login.failed' });
    await startSession(services, req, res, user, {
      authenticatedAt: services.clock.now(),
      next: req.body?.next,
    });
  });

  if (config.oidc) router.use(ssoRoutes(services, config, config.oidc, limiter));

  router.post('/keluar', (req, res) => endSession(services, req, res, 'keluar'));

  const renderAccount = async (
    req: Request,
    res: Response,
    status: number,
    locals: Record<string, unknown> = {},
  ) => {
    const user = req.user as SessionUser;
    const language = res.locals.language as Language;
    res.status(status).render('auth/account', {
      title: res.locals.t('account.title'),
      // The page's language, offered to be stored when it is not the one mail to them follows (NULL: Indonesian).
      languageOffered: (user.language ?? DEFAULT_LANGUAGE) === language ? null : language,
      passwordRules: passwordRuleInputs(user),
      passwordMinLength: PASSWORD_MIN_LENGTH,
      unit: user.unitId ? await services.units.findById(user.unitId) : undefined,
      errors: {},
      ...locals,
    });
  };

  router.get('/akun', requireAuth, (req, res) => renderAccount(req, res, 200));

  router.post('/akun/kata-sandi', requireAuth, async (req, res) => {
    const form = parseForm(changePasswordSchema, req.body);
    if (!form.ok) return renderAccount(req, res, 400, { errors: form.errors });
    const user = req.user as SessionUser;
    const result = await changePassword(services, {
      userId: user.id,
      currentPassword: form.data.current_password,
      newPassword: form.data.new_password,
      actor: actorOf(req),
      sessionId: req.sessionID,
    });
    if (!result.ok && result.problem === 'locked') return endSession(services, req, res, 'terkunci');
    if (!result.ok) {
      const key =
        result.field === 'current_password'
          ? 'form.password.wrong_current'
          : `form.password.${result.problem}`;
      return renderAccount(req, res, 422, { errors: { [result.field]: key } });
    }
    flash(req, 'success', 'account.password_changed');
    res.redirect(303, '/akun');
  });

  return router;
}
