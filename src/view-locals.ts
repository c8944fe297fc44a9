import type { RequestHandler } from 'express';
import type { TimeZone } from './core/time-zone.js';
import { formatNip, maskNip } from './directory/nip.js';
import { zoneOfUnit } from './directory/unit-time-zone.js';
import { formatReceiptCode } from './pledges/receipt-code.js';
import type { Services } from './services.js';
import { generateToken } from './web/csrf.js';
import { type Formatter, formatterFor } from './web/format.js';
import type { Translate } from './web/i18n.js';

/** What views get as `fmt`: dates and times in one zone, numbers, NIPs and receipt codes. */
type ViewFormatters = Formatter & {
  nip: typeof formatNip;
  maskedNip: typeof maskNip;
  receiptCode: typeof formatReceiptCode;
};

const byZone = new Map<string, ViewFormatters>();

/** The views' formatters for a zone, made once per zone (they hold Intl formatters) and shared by every request. */
function formattersIn(zone: TimeZone): ViewFormatters {
  let formatters = byZone.get(zone.id);
  if (formatters === undefined) {
    formatters = {
      ...formatterFor(zone),
      nip: formatNip,
      maskedNip: maskNip,
      receiptCode: formatReceiptCode,
    };
    byZone.set(zone.id, formatters);
  }
  return formatters;
}

/**
 * What every view can use, set before the body is parsed so that even an error page for a bad body is translated:
 * translations, formatters (dates and times in the instance's time zone, until `userLocals` knows the reader), the
 * instance and a CSRF token on demand.
 */
export function viewLocals(
  services: Pick<Services, 'instanceSettings' | 'timeZone'>,
  t: Translate,
): RequestHandler {
  const formatters = formattersIn(services.timeZone);
  return async (req, res, next) => {
    res.locals.t = t;
    res.locals.fmt = formatters;
    res.locals.currentUser = null;
    res.locals.currentPath = req.path;
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
 * Once the session is read: the logged-in user for the views, pages shown to them kept out of every cache, and `fmt`
 * in the zone of their unit (its own, or inherited), so that a person in a WIT unit reads a deadline in WIT. The
 * admin area stays in the instance's zone: its reports, exports and typed date-times all say that zone.
 */
export function userLocals(services: Pick<Services, 'unitTimeZones' | 'timeZone'>): RequestHandler {
  return async (req, res, next) => {
    const user = req.user;
    res.locals.currentUser = user ?? null;
    if (!user) return next();
    res.set('Cache-Control', 'no-store');
    if (user.unitId !== null && !inAdminArea(req.path)) {
      res.locals.fmt = formattersIn(await zoneOfUnit(services, user.unitId));
    }
    next();
  };
}
