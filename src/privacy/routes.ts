import { type Request, type Response, Router } from 'express';
import { actorOf } from '../audit/actor.js';
import { recordEvent } from '../audit/record-event.js';
import type { Config } from '../core/config.js';
import type { TimeZone } from '../core/time-zone.js';
import { type UnitZoneLookup, zoneOfUnit } from '../directory/unit-time-zone.js';
import type { InstanceSeal } from '../seal/instance-seal.js';
import { type InstanceSettings, letterheadOf } from '../settings/instance.js';
import { requireAuth } from '../web/guards.js';
import { notFound } from '../web/http-error.js';
import type { PageCache } from '../web/page-cache.js';
import { privacyNotice } from './notice.js';
import {
  type PersonalData,
  type PersonalDataServices,
  personalDataJson,
  readPersonalData,
} from './personal-data.js';
import { personalDataPdf } from './personal-data-pdf.js';
import { personalDataView } from './personal-data-view.js';

/**
 * `/privasi`, the privacy notice (public, kept like the other public pages; its texts are settings, so a change shows
 * at once through the settings epoch), and the signed-in person's own data: `/akun/data` (the page) and its downloads
 * `/akun/data.json` and `/akun/data.pdf`. Only ever the person signed in: there is no id in these addresses.
 */
export function privacyRoutes(
  services: PersonalDataServices & {
    pageCache: PageCache;
    seal: Pick<InstanceSeal, 'sealPdf'>;
    timeZone: TimeZone;
    unitTimeZones: UnitZoneLookup;
  },
  config: Pick<Config, 'baseUrl' | 'oidc'>,
): Router {
  const router = Router();
  const singleSignOn = config.oidc !== undefined;

  router.get('/privasi', async (_req, res) => {
    const notice = privacyNotice(res.locals.instance as InstanceSettings, res.locals.t);
    await services.pageCache.render(res, 'privacy/notice', { title: res.locals.t('privacy.title'), notice });
  });

  const ownData = async (req: Request): Promise<PersonalData> => {
    const data = await readPersonalData(services, (req.user as Express.User).id);
    // The account was removed while its session lived on.
    if (!data) throw notFound();
    return data;
  };

  const viewOf = (res: Response, data: PersonalData) =>
    personalDataView(data, { t: res.locals.t, fmt: res.locals.fmt, baseUrl: config.baseUrl, singleSignOn });

  /** The drawn signatures still kept, by signature id. */
  const keptImages = async (data: PersonalData): Promise<Map<number, Buffer>> => {
    const images = new Map<number, Buffer>();
    for (const { signature, imageKept } of data.signings) {
      const png = imageKept ? await services.signatures.image(signature.id) : null;
      if (png) images.set(signature.id, png);
    }
    return images;
  };

  /** Records the download, then sends it as a dated attachment that no cache keeps. */
  const download = async (
    req: Request,
    res: Response,
    data: PersonalData,
    file: { format: 'json' | 'pdf'; type: string; body: Buffer | string },
  ) => {
    await recordEvent(services.audit, {
      actor: actorOf(req),
      action: 'account.data_exported',
      target: { type: 'user', id: data.user.id },
      details: { format: file.format },
      at: services.clock.now(),
    });
    const day = (await zoneOfUnit(services, data.user.unitId)).dayOf(data.generatedAt);
    res.set({
      'Content-Type': file.type,
      'Content-Disposition': `attachment; filename="data-pribadi-ikrar-${day}.${file.format}"`,
      'Cache-Control': 'no-store',
    });
    res.send(file.body);
  };

  router.get('/akun/data', requireAuth, async (req, res) => {
    const data = await ownData(req);
    res.render('privacy/data', { title: res.locals.t('privacy.data.title'), view: viewOf(res, data) });
  });

  router.get('/akun/data.json', requireAuth, async (req, res) => {
    const data = await ownData(req);
    const instance = res.locals.instance as InstanceSettings;
    const document = personalDataJson(data, {
      instance: {
        name: instance.name,
        address: instance.address,
        email: instance.email,
        phone: instance.phone,
      },
      baseUrl: config.baseUrl,
      images: await keptImages(data),
      singleSignOn,
      describeAction: (action) => res.locals.t(`audit.${action}`),
    });
    await download(req, res, data, {
      format: 'json',
      type: 'application/json; charset=utf-8',
      body: `${JSON.stringify(document, null, 2)}\n`,
    });
  });

  router.get('/akun/data.pdf', requireAuth, async (req, res) => {
    const data = await ownData(req);
    const images = await keptImages(data);
    const pdf = await personalDataPdf(
      {
        letterhead: letterheadOf(res.locals.instance as InstanceSettings, res.locals.t),
        fullName: data.user.fullName,
        view: viewOf(res, data),
        drawings: data.signings.flatMap(({ signature, pactTitle }) => {
          const png = images.get(signature.id);
          return png ? [{ pactTitle, png }] : [];
        }),
      },
      res.locals.t,
    );
    // Sealed with the instance's certificate (PAdES), as receipts are: a changed copy shows as broken in any reader.
    const sealed = await services.seal.sealPdf(pdf, { t: res.locals.t });
    await download(req, res, data, { format: 'pdf', type: 'application/pdf', body: sealed });
  });

  return router;
}
