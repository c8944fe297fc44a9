import compression from 'compression';
import express, { type Express } from 'express';
import session from 'express-session';
import type { Logger } from 'pino';
import { activationRoutes } from './activation/activation-routes.js';
import { adminRoutes } from './admin/routes.js';
import { agreementPublicRoutes } from './agreements/public-routes.js';
import { apiRoutes } from './api/routes.js';
import { languageRoutes } from './auth/language-routes.js';
import { loginMethods } from './auth/login-page.js';
import { createPassport } from './auth/passport.js';
import { passwordLinkRoutes } from './auth/password-link-routes.js';
import { authRoutes } from './auth/routes.js';
import { compliancePublicRoutes } from './compliance/public-routes.js';
import type { Config } from './core/config.js';
import { projectPath } from './core/paths.js';
import { healthRoutes, homeRoutes } from './home/routes.js';
import { createMailer, type Mailer } from './mail/mailer.js';
import { feedRoutes } from './news/feed-routes.js';
import { newsRoutes } from './news/public-routes.js';
import { receiptRoutes } from './pledges/receipts/routes.js';
import { pledgeRoutes } from './pledges/signing/routes.js';
import { verifyRoutes } from './pledges/verification/routes.js';
import { privacyRoutes } from './privacy/routes.js';
import { createReminderSender, type ReminderSender } from './reminders/send-reminders.js';
import type { Services } from './services.js';
import { resolveSessionSecret } from './sessions/session-secret.js';
import { DatabaseSessionStore, SESSION_COOKIE } from './sessions/session-store.js';
import { DEFAULT_INSTANCE } from './settings/instance.js';
import { logoRoutes } from './settings/logo-routes.js';
import { userLocals, viewLocals } from './view-locals.js';
import { loadAssets } from './web/assets.js';
import { csrfProtection } from './web/csrf.js';
import { errorHandler, notFoundHandler } from './web/errors.js';
import { flashMessages } from './web/flash.js';
import { requirePasswordChange } from './web/guards.js';
import { chooseLanguage, LANGUAGE_NAMES } from './web/language.js';
import { keptPageLogging, requestLogging } from './web/request-logging.js';
import { saveSessionBeforeRedirect } from './web/save-session-first.js';
import { securityHeaders } from './web/security.js';

export interface AppDependencies {
  services: Services;
  config: Config;
  logger: Logger;
  /** The process's mail transport and reminder sender (made here when the caller does not share its own). */
  mail?: AppMail;
}

export interface AppMail {
  mailer: Mailer;
  reminders: ReminderSender;
}

/** The mailer of this configuration and the reminder sender that uses it. */
export function createAppMail(services: Services, config: Config, logger: Logger): AppMail {
  const mailer = createMailer({
    smtpUrl: config.smtpUrl,
    from: config.mailFrom,
    outbox: services.outbox,
    clock: services.clock,
    logger,
  });
  const reminders = createReminderSender({ services, mailer, baseUrl: config.baseUrl });
  return { mailer, reminders };
}

// Enough for a drawn signature (a PNG of up to 150 KB, base64 in a form field) and nothing near a denial of service.
const BODY_LIMIT = '512kb';

export async function createApp({ services, config, logger, mail }: AppDependencies): Promise<Express> {
  const app = express();
  const { mailer, reminders } = mail ?? createAppMail(services, config, logger);
  app.set('views', projectPath('views'));
  app.set('view engine', 'ejs');
  // `include('/partials/…')` resolves from here without a file-system check, which a relative include makes on
  // every call: the includes inside a table's rows use it.
  app.set('view options', { root: projectPath('views') });
  app.set('trust proxy', config.trustProxy);
  app.set('query parser', 'simple');
  if (config.production) app.enable('view cache');

  app.disable('x-powered-by');
  // Anonymous readers of a public page kept in memory are answered here, with the headers it was first sent with.
  app.use(services.pageCache.serveKept(keptPageLogging(logger)));
  app.use(requestLogging(logger));
  app.use(compression());
  app.use(securityHeaders(config.production));
  const assets = loadAssets();
  app.locals.asset = assets.url;
  app.locals.loginMethods = loginMethods(config);
  app.locals.languageNames = LANGUAGE_NAMES;
  app.use(assets.serve);
  app.use(healthRoutes(services));
  app.use(logoRoutes(services));
  // The language of the answer (cookie, Accept-Language), which the page cache and the view locals follow.
  app.use(chooseLanguage);
  // Anonymous readers of public pages may be answered from memory here, before sessions are read.
  app.use(services.pageCache.serve);
  app.use(viewLocals(services));

  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 200 }));
  app.use(express.json({ limit: BODY_LIMIT }));

  setUpSession(app, services, config, await resolveSessionSecret(config, services));
  app.use(saveSessionBeforeRedirect());
  const passport = createPassport(services);
  app.use(passport.session());
  app.use(userLocals(services));
  app.use(flashMessages);
  app.use(csrfProtection);
  app.use(requirePasswordChange);

  app.use(homeRoutes(services));
  app.use(newsRoutes(services, config));
  app.use(feedRoutes(services, config));
  app.use(compliancePublicRoutes(services));
  app.use(agreementPublicRoutes(services));
  app.use(apiRoutes(services, config));
  app.use(authRoutes(services, passport, config));
  app.use(privacyRoutes(services, config));
  app.use(languageRoutes(services, config));
  app.use(passwordLinkRoutes(services, mailer, config, logger));
  app.use(activationRoutes(services, config));
  app.use(pledgeRoutes(services));
  app.use(receiptRoutes(services, config));
  app.use(verifyRoutes(services, config));
  app.use('/admin', adminRoutes(services, { mailer, reminders }, config));

  app.use(notFoundHandler);
  app.use(errorHandler(logger, { instance: DEFAULT_INSTANCE }));
  return app;
}

function setUpSession(app: Express, services: Services, config: Config, secret: string): void {
  app.use(
    session({
      name: SESSION_COOKIE,
      secret,
      store: new DatabaseSessionStore(services.sessions, services.sessionTouches, () =>
        services.clock.now().getTime(),
      ),
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: {
        httpOnly: true,
        sameSite: 'lax',
        secure: config.production,
        maxAge: config.sessionIdleMs,
      },
    }),
  );
}
