import type { RequestHandler, Response } from 'express';
import type { TimeZone } from './core/time-zone.js';
import { formatNip, maskNip } from './directory/nip.js';
import { zoneOfUnit } from './directory/unit-time-zone.js';
import { formatReceiptCode } from './pledges/receipt-code.js';
import type { Services } from './services.js';
import { generateToken } from './web/csrf.js';
import { type Formatter, formatterFor } from './web/format.js';
import { DEFAULT_LANGUAGE, type Language, translatorFor } from './web/i18n.js';
import { answerIn, languageOf } from './web/language.js';
import { sameSiteReferer } from './web/safe-redirect.js';

/** What views get as `fmt`: dates and times in one zone, numbers, NIPs and receipt codes. */
type ViewFormatters = Formatter & {
  nip: typeof formatNip;
  maskedNip: typeof maskNip;
  receiptCode: typeof formatReceiptCode;
};

const byZone = new Map<string, ViewFormatters>();

/**
 * The views' formatters for a zone and a language, made once for each (they hold Intl formatters) and shared by every
 * request.
 */
function formattersIn(zone: TimeZone, language: Language): ViewFormatters {
  const key = `${zone.id} ${language}`;
  let formatters = byZone.get(key);
  if (formatters === undefined) {
    formatters = {
      ...formatterFor(zone, language),
      nip: formatNip,
      maskedNip: maskNip,
      receiptCode: formatReceiptCode,
    };
    byZone.set(key, formatters);
  }
  return formatters;
}

/**
 * The views' `contentLang`: the language of what admins write (a pact's title and text, news, an agreement, the privacy
 * notice's own section), the instance's, where the page is in another; else null. Views put it in a `lang` attribute
 * on what holds such text, so that a screen reader reads it in its own language (WCAG 3.1.2).
 */
const contentLangOn = (page: Language): Language | null =>
  page === DEFAULT_LANGUAGE ? null : DEFAULT_LANGUAGE;

/** The views' text in `language`: the translator and what marks admin-written text (`fmt` depends on the zone too). */
function writeIn(res: Response, language: Language): void {
  res.locals.t = translatorFor(language);
  res.locals.contentLang = contentLangOn(language);
}

/**
 * What every view can use, set before the body is parsed so that even an error page for a bad body is translated:
 * translations and formatters in the request's language (`chooseLanguage`; dates and times in the instance's time
 * zone, until `userLocals` knows the reader), the instance and a CSRF token on demand.
 */
export function viewLocals(services: Pick<Services, 'instanceSettings' | 'timeZone'>): RequestHandler {
  return async (req, res, next) => {
    const language: Language = res.locals.language ?? DEFAULT_LANGUAGE;
    writeIn(res, language);
    res.locals.fmt = formattersIn(services.timeZone, language);
    res.locals.currentUser = null;
    res.locals.currentPath = req.path;
    // Where the language switch leads back to: this page; for a form's answer (an error shown at the URL the form
    // was sent to, which may answer no GET), the page the form was on, or home.
    res.locals.languageBack =
      req.method === 'GET' || req.method === 'HEAD' ? req.originalUrl : sameSiteReferer(req, '/');
    // A function, so that pages without a form do not create a session just to hold a token.
    res.locals.csrfToken = () => generateToken(req);
    res.locals.errors = {};
    res.locals.values = {};
    res.locals.flash = [];
    // Last, so that everything above is in place for the error page if the database cannot be read.
    res.locals.instance = await services.instanceSettings();
    next();
  };
}

const inAdminArea = (path: string): boolean => path === '/admin' || path.startsWith('/admin/');

/**
 * Once the session is read: the logged-in user for the views, pages shown to them kept out of every cache, their
 * language (the one they chose, where this browser has no cookie saying otherwise), and `fmt` in the zone of their
 * unit (its own, or inherited), so that a person in a WIT unit reads a deadline in WIT. The admin area stays in the
 * instance's zone: its reports, exports and typed date-times all say that zone.
 */
export function userLocals(services: Pick<Services, 'unitTimeZones' | 'timeZone'>): RequestHandler {
  return async (req, res, next) => {
    const user = req.user;
    res.locals.currentUser = user ?? null;
    if (!user) return next();
    res.set('Cache-Control', 'no-store');
    const language = languageOf(req, user.language);
    if (language !== res.locals.language) {
      answerIn(res, language);
      writeIn(res, language);
    }
    const zone =
      user.unitId !== null && !inAdminArea(req.path)
        ? await zoneOfUnit(services, user.unitId)
        : services.timeZone;
    res.locals.fmt = formattersIn(zone, language);
    next();
  };
}
