import { type Request, type Response, Router } from 'express';
import { actorOf } from '../audit/actor.js';
import type { AuditRepository } from '../audit/repository.js';
import type { Clock } from '../core/clock.js';
import type { Config } from '../core/config.js';
import type { Db } from '../db/database.js';
import type { UserRepository } from '../directory/user-repository.js';
import { HttpError } from '../web/http-error.js';
import { isLanguage, type Language } from '../web/i18n.js';
import { setLanguageCookie } from '../web/language.js';
import { safeNextPath } from '../web/safe-redirect.js';
import { changeLanguage } from './change-language.js';

/** The language asked for (`ke`), or a 400 that says so. */
function requestedLanguage(value: unknown): Language {
  if (!isLanguage(value)) throw new HttpError(400, 'language.unknown');
  return value;
}

/** Back to the page the switch was on (`kembali`) when it is a path of this site other than the switch; else home. */
const pageBack = (value: unknown): string => safeNextPath(value, '/', ['/bahasa']);

/**
 * The language switch in the header (decision in docs/ARCHITECTURE.md, "English beside Bahasa Indonesia"):
 * - `GET /bahasa?ke=en&kembali=/berita`, a plain link for a reader without an account: it sets the browser's `lang`
 *   cookie and sends them back. A preference kept in their own browser, not a change on the server: no token needed,
 *   and a page elsewhere that links here changes nothing but the language that browser reads in.
 * - `POST /bahasa` (`ke`, `kembali`, the CSRF token), the form a signed-in person's header shows: the cookie, and
 *   their stored language (audited), which mails to them follow.
 * Both answer 303 to the page they came from, never to another site.
 */
export function languageRoutes(
  services: { audit: AuditRepository; clock: Clock; db: Db; users: UserRepository },
  config: Config,
): Router {
  const router = Router();
  const switchTo = (res: Response, language: Language, back: unknown) => {
    setLanguageCookie(res, language, config.production);
    res.set('Cache-Control', 'no-store');
    res.redirect(303, pageBack(back));
  };

  router.get('/bahasa', (req: Request, res) => {
    switchTo(res, requestedLanguage(req.query.ke), req.query.kembali);
  });

  router.post('/bahasa', async (req: Request, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const language = requestedLanguage(body.ke);
    if (req.user) {
      await changeLanguage(services, { userId: req.user.id, language, actor: actorOf(req) });
    }
    switchTo(res, language, body.kembali);
  });

  return router;
}
