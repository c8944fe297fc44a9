import { type Request, type RequestHandler, type Response, Router } from 'express';
import multer from 'multer';
import { z } from 'zod';
import { actorOf } from '../audit/actor.js';
import type { ComplianceCache } from '../compliance/compliance-cache.js';
import type { PeopleRepository } from '../compliance/people-repository.js';
import type { UnitCompliance } from '../compliance/summary.js';
import type { User } from '../directory/types.js';
import { pactLoader } from '../pledges/pact-loader.js';
import { type Pact, takesRecords } from '../pledges/types.js';
import { unitsVisibleTo } from '../reports/visible-units.js';
import { checkScan, SCAN_MAX_BYTES } from '../scans/scan-file.js';
import { sendScan } from '../scans/send-scan.js';
import type { InstanceSettings } from '../settings/instance.js';
import { renderAdminPage } from '../web/admin-layout.js';
import { flash } from '../web/flash.js';
import { dayField, type FieldErrors, parseForm, textField } from '../web/forms.js';
import { HttpError, notFound } from '../web/http-error.js';
import { parseId } from '../web/params.js';
import { type PaperServices, recordPaperSignings } from './record-paper-signings.js';
import { sendSigningSheet } from './sheet.js';

/** Units one sheet or one ticking page may cover; people one ticking page lists, and one sheet prints. */
export const MAX_SHEET_UNITS = 100;
export const MAX_TICKED_PEOPLE = 1000;
export const MAX_SHEET_PEOPLE = 5000;

// The form's own fields are short: a day, a place, a witness, ids. Read only after the pact and the units in its
// address were found and are the recorder's (see `ceremonyScope`).
const upload = multer({
  storage: multer.memoryStorage(),
  limits: {
    fileSize: SCAN_MAX_BYTES,
    files: 1,
    fields: MAX_TICKED_PEOPLE + 10,
    parts: MAX_TICKED_PEOPLE + 11,
    fieldSize: 1000,
  },
  defParamCharset: 'utf8',
}).single('scan');

const ids = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.unknown()));

const sheetSchema = z.object({
  signed_on: dayField({ label: 'paper.form.signed_on' }),
  place: textField({ max: 200, label: 'paper.form.place' }),
  witness: textField({ max: 200, label: 'paper.form.witness' }),
  orang: ids,
});

export type PaperRouteServices = PaperServices & {
  instanceSettings: () => Promise<InstanceSettings>;
  complianceCache: ComplianceCache;
  compliancePeople: PeopleRepository;
};

interface CeremonyScope {
  pact: Pact;
  units: UnitCompliance[];
}

/**
 * /admin/kepatuhan/:pactId/kertas: a ceremony on paper. Choose units, print their signing sheet, then tick on
 * screen who signed it, with one scan of the signed sheet for all of them. Also the scan behind a paper signing.
 * Admins for every unit, operators for their subtree (a unit or person out of reach is unknown).
 */
export function paperRoutes(services: PaperRouteServices): Router {
  const router = Router();
  const loadPact = pactLoader(services.pacts, { param: 'pactId', drafts: 'hidden' });
  const viewer = (req: Request) => req.user as User;

  const loadRecordablePact = async (req: Request): Promise<Pact> => {
    const pact = await loadPact(req);
    if (!takesRecords(pact)) throw new HttpError(409, 'paper.refused.not_accepting');
    return pact;
  };

  const renderChooser = async (
    req: Request,
    res: Response,
    pact: Pact,
    status = 200,
    errors: FieldErrors = {},
  ) =>
    renderAdminPage(res.status(status), 'paper/index', {
      title: res.locals.t('paper.title'),
      pact,
      units: await unitsVisibleTo(services, viewer(req), pact),
      maxUnits: MAX_SHEET_UNITS,
      errors,
    });

  /**
   * The pact and the units named by `unit` in the query (one or many), each visible to the viewer, in
   * `res.locals.scope`; none chosen sends the chooser back with the message beside the list. Runs before any upload
   * is read.
   */
  const ceremonyScope: RequestHandler = async (req, res, next) => {
    const pact = await loadRecordablePact(req);
    const visible = new Map(
      (await unitsVisibleTo(services, viewer(req), pact)).map((unit) => [unit.unitId, unit]),
    );
    const asked = [req.query.unit].flat().filter((v) => v !== undefined);
    if (asked.length === 0) return renderChooser(req, res, pact, 400, { unit: 'paper.no_units' });
    if (asked.length > MAX_SHEET_UNITS) {
      return renderChooser(req, res, pact, 400, { unit: 'paper.too_many_units' });
    }
    const units: UnitCompliance[] = [];
    for (const value of new Set(asked)) {
      const unit = visible.get(parseId(value) ?? -1);
      if (!unit) throw notFound();
      units.push(unit);
    }
    res.locals.scope = { pact, units } satisfies CeremonyScope;
    next();
  };
  const scopeOf = (res: Response) => res.locals.scope as CeremonyScope;

  const unitQuery = (units: readonly UnitCompliance[]) =>
    units.map((unit) => `unit=${unit.unitId}`).join('&');

  /** The required people of these units (not the exempt), with their valid signing if any, up to `limit`. */
  const requiredPeople = async (pact: Pact, units: readonly UnitCompliance[], limit: number) => {
    const people = [];
    for await (const row of services.compliancePeople.detail(
      pact.id,
      units.map((unit) => unit.unitId),
    )) {
      if (row.exemption) continue;
      if (people.length === limit) return null;
      people.push(row);
    }
    return people;
  };

  router.get('/:pactId/kertas', async (req, res) => renderChooser(req, res, await loadRecordablePact(req)));

  router.get('/:pactId/kertas/lembar', ceremonyScope, async (req, res) => {
    const { pact, units } = scopeOf(res);
    const people = await requiredPeople(pact, units, MAX_SHEET_PEOPLE);
    if (!people) return renderChooser(req, res, pact, 400, { unit: 'paper.too_many_sheet_people' });
    await sendSigningSheet(services, res, { pact, units, people, printedBy: viewer(req) });
  });

  const renderTicking = async (
    req: Request,
    res: Response,
    status: number,
    locals: {
      values: { signed_on: string; place: string; witness: string; orang: string[] };
      errors?: FieldErrors;
    },
  ) => {
    const { pact, units } = scopeOf(res);
    const people = await requiredPeople(pact, units, MAX_TICKED_PEOPLE);
    if (!people) return renderChooser(req, res, pact, 400, { unit: 'paper.too_many_people' });
    // Whom this recorder may record (canManageUser's rule: an operator, the signers of her subtree); the others
    // are listed without a box, for an admin to record.
    const recorder = viewer(req);
    const manageable = new Set(
      (await services.users.findByIds(people.map((person) => person.userId)))
        .filter((person) => recorder.role === 'admin' || person.role === 'signer')
        .map((person) => person.id),
    );
    renderAdminPage(res.status(status), 'paper/record', {
      title: res.locals.t('paper.record.title'),
      pact,
      units,
      unitQuery: unitQuery(units),
      people,
      manageable,
      ticked: new Set(locals.values.orang),
      maxScanMegabytes: SCAN_MAX_BYTES / (1024 * 1024),
      errors: {},
      ...locals,
    });
  };

  router.get('/:pactId/kertas/catat', ceremonyScope, async (req, res) => {
    const { pact } = scopeOf(res);
    const today = services.timeZone.dayOf(services.clock.now());
    await renderTicking(req, res, 200, {
      values: {
        signed_on: pact.ceremonyOn && pact.ceremonyOn <= today ? pact.ceremonyOn : today,
        place: pact.ceremonyPlace ?? pact.place,
        witness: '',
        orang: [req.query.orang].flat().filter((v): v is string => typeof v === 'string'),
      },
    });
  });

  /** multer; a scan over the limit or a broken body becomes a form error, with what was typed kept. */
  const receiveScan: RequestHandler = (req, res, next) => {
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      req.log?.info({ err }, 'paper form refused');
      const tooLarge = err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE';
      res.locals.uploadError = tooLarge ? 'paper.form.scan_too_large' : 'paper.form.bad_upload';
      res.locals.uploadStatus = tooLarge ? 413 : 400;
      next();
    });
  };

  router.post('/:pactId/kertas/catat', ceremonyScope, receiveScan, async (req, res) => {
    const { pact, units } = scopeOf(res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const text = (name: string) =>
      typeof body[name] === 'string' ? (body[name] as string).slice(0, 200) : '';
    const values = {
      signed_on: text('signed_on'),
      place: text('place'),
      witness: text('witness'),
      orang: [body.orang].flat().filter((v): v is string => typeof v === 'string'),
    };
    const form = parseForm(sheetSchema, body);
    // In the order the page shows the fields, so that the summary reads down the page.
    const errors: FieldErrors = form.ok ? {} : { ...form.errors };
    const userIds = values.orang.map((v) => parseId(v));
    if (userIds.some((id) => id === null)) throw new HttpError(400, 'error.400.message');
    const scan = res.locals.uploadError
      ? null
      : await checkScan(req.file?.buffer, req.file?.originalname ?? '');
    if (res.locals.uploadError) errors.scan = res.locals.uploadError as string;
    else if (scan && !scan.ok) errors.scan = `paper.form.scan_${scan.problem}`;
    if (userIds.length === 0) errors.orang = 'paper.form.nobody_ticked';
    // A file cannot be kept in a form sent back: say so when it was fine but something else was not.
    if (scan?.ok && Object.keys(errors).length > 0) errors.scan = 'paper.form.scan_again';
    if (!form.ok || !scan?.ok || Object.keys(errors).length > 0) {
      const status = (res.locals.uploadStatus as number | undefined) ?? 400;
      return renderTicking(req, res, status, { values, errors: inPageOrder(errors) });
    }
    const result = await recordPaperSignings(services, {
      pactId: pact.id,
      userIds: userIds as number[],
      sheet: { signedOn: form.data.signed_on, place: form.data.place, witness: form.data.witness, scan },
      recorder: viewer(req),
      actor: actorOf(req),
    });
    if (!result.ok) {
      if (result.reason !== 'bad_day') {
        throw result.reason === 'not_found' ? notFound() : new HttpError(409, 'paper.refused.not_accepting');
      }
      return renderTicking(req, res, 422, {
        values,
        errors: { signed_on: `paper.form.signed_on_${result.problem}`, scan: 'paper.form.scan_again' },
      });
    }
    if (result.recorded.length > 0) {
      flash(req, 'success', 'paper.flash.recorded', { count: result.recorded.length });
    }
    if (result.alreadySigned.length > 0) {
      flash(req, 'info', 'paper.flash.already_signed', { count: result.alreadySigned.length });
    }
    if (result.notRequired.length > 0) {
      flash(req, 'warning', 'paper.flash.not_required', { count: result.notRequired.length });
    }
    res.redirect(303, `/admin/kepatuhan/${pact.id}/kertas/catat?${unitQuery(units)}`);
  });

  /** The scan behind paper signings of this pact, for whoever may see at least one of those signers' units. */
  router.get('/:pactId/kertas/pindaian/:scanId', async (req, res) => {
    const pact = await loadPact(req);
    const scanId = parseId(req.params.scanId);
    const unitIds = scanId ? await services.signatures.unitsOfScan(pact.id, scanId) : [];
    const visible = new Set((await unitsVisibleTo(services, viewer(req), pact)).map((unit) => unit.unitId));
    if (!unitIds.some((id) => id !== null && visible.has(id))) throw notFound();
    const scan = await services.scans.withBytes(scanId as number);
    if (!scan) throw notFound();
    sendScan(res, scan);
  });

  return router;
}

/** The fields of the ticking form as the page shows them, top to bottom. */
const PAGE_ORDER = ['signed_on', 'place', 'witness', 'scan', 'orang'];

const inPageOrder = (errors: FieldErrors): FieldErrors =>
  Object.fromEntries(
    Object.entries(errors).sort(([a], [b]) => PAGE_ORDER.indexOf(a) - PAGE_ORDER.indexOf(b)),
  );
