import { type Request, Router } from 'express';
import type { Clock } from '../core/clock.js';
import type { TimeZone } from '../core/time-zone.js';
import type { InstanceSettings } from '../settings/instance.js';
import { CSV_CONTENT_TYPE } from '../web/csv.js';
import { HttpError, notFound } from '../web/http-error.js';
import type { Translate } from '../web/i18n.js';
import type { PageCache } from '../web/page-cache.js';
import { parseId } from '../web/params.js';
import { agreementMap } from './agreement-map.js';
import { agreementCsv, agreementXlsx, XLSX_CONTENT_TYPE } from './exports.js';
import type { AgreementRepository } from './repository.js';
import { summaryOf } from './summaries.js';
import { isPublished, type PublishedAgreement } from './types.js';

/** `?format=`: absent for the page itself; an unknown format is a 400. */
function exportFormat(value: unknown): 'csv' | 'xlsx' | null {
  if (value === undefined || value === '') return null;
  if (value === 'csv' || value === 'xlsx') return value;
  throw new HttpError(400, 'agreements.public.bad_format');
}

/**
 * /kepatuhan/kesepakatan/:id: one unit agreement for the public, "33 dari 35 kabupaten/kota", the outstanding named
 * first, then every unit (status, day, document number, parties), and the same table as CSV and XLSX. A unit, not a
 * person, signs: nothing here is personal, and neither the scan nor the admin's note is shown.
 */
export function agreementPublicRoutes(services: {
  agreements: AgreementRepository;
  clock: Clock;
  instanceSettings: () => Promise<InstanceSettings>;
  pageCache: PageCache;
  timeZone: TimeZone;
}): Router {
  const router = Router();

  /** A published agreement, or a 404 (a draft is refused as one that does not exist). */
  const loadAgreement = async (req: Request): Promise<PublishedAgreement> => {
    const id = parseId(req.params.id);
    const agreement = id ? await services.agreements.findById(id) : undefined;
    if (!agreement || !isPublished(agreement)) throw notFound();
    return agreement;
  };

  router.get('/kepatuhan/kesepakatan/:id', async (req, res) => {
    const agreement = await loadAgreement(req);
    const format = exportFormat(req.query.format);
    const summary = await summaryOf(services.agreements, agreement);
    const now = services.clock.now();
    if (format) {
      const t = res.locals.t as Translate;
      res.attachment(`kesepakatan-${agreement.id}-${services.timeZone.dayOf(now)}.${format}`);
      if (format === 'csv') {
        res.type(CSV_CONTENT_TYPE).send(agreementCsv(summary, t));
        return;
      }
      const xlsx = await agreementXlsx(summary, {
        instanceName: (await services.instanceSettings()).name,
        generatedAt: now,
        zone: services.timeZone,
        t,
      });
      res.type(XLSX_CONTENT_TYPE).send(xlsx);
      return;
    }
    await services.pageCache.render(res, 'agreements/agreement', {
      title: agreement.title,
      summary,
      map: agreementMap(summary, res.locals.t),
      now,
    });
  });

  return router;
}
