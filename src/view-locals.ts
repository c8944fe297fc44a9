import type { RequestHandler } from 'express';
import { formatNip, maskNip } from './directory/nip.js';
import { formatReceiptCode } from './pledges/receipt-code.js';
import type { Services } from './services.js';
import { readInstanceSettings } from './settings/instance.js';
import { generateToken } from './web/csrf.js';
import { createFormatter } from './web/format.js';
import type { Translate } from './web/i18n.js';

/**
 * What every view can use, set before the body is parsed so that even an error page for a bad body is translated:
 * translations, formatters (dates and times in the instance's time zone), the instance and a CSRF token on demand.
 * The user is added once the session is read.
 */
export function viewLocals(services: Pick<Services, 'settings' | 'timeZone'>, t: Translate): RequestHandler {
  const formatters = {
    ...createFormatter(services.timeZone),
    nip: formatNip,
    maskedNip: maskNip,
    receiptCode: formatReceiptCode,
  };
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
    res.locals.instance = await readInstanceSettings(services.settings);
    next();
  };
}
