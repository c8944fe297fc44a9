import { type Request, type RequestHandler, type Response, Router } from 'express';
import multer from 'multer';
import { actorOf } from '../audit/actor.js';
import type { UnitRepository } from '../directory/unit-repository.js';
import { checkScan, SCAN_MAX_BYTES } from '../scans/scan-file.js';
import { sendScan } from '../scans/send-scan.js';
import { renderAdminPage } from '../web/admin-layout.js';
import { flash } from '../web/flash.js';
import { type FieldErrors, keptValues, parseForm } from '../web/forms.js';
import { requireRole } from '../web/guards.js';
import { HttpError, notFound } from '../web/http-error.js';
import { parseId } from '../web/params.js';
import {
  AGREEMENT_FORM_FIELDS,
  agreementFormValues,
  agreementSchema,
  DESCRIPTION_MAX,
  RECORD_FORM_FIELDS,
  recordSchema,
  toAgreementFields,
  toRecordInput,
  withEveryField,
} from './input.js';
import { type RecordServices, recordUnitAgreement } from './record-unit-agreement.js';
import { changeAgreementStatus, createAgreement, updateAgreement } from './save-agreement.js';
import { summaryOf } from './summaries.js';
import { AGREEMENT_SCOPES, type Agreement, type AgreementUnit, takesRecords } from './types.js';

// A unit's record form is multipart (it may carry the scan): one file, and the form's few short fields.
const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: SCAN_MAX_BYTES, files: 1, fields: 10, parts: 11, fieldSize: 10_000 },
  defParamCharset: 'utf8',
}).single('scan');

/** Why an operation refused, as the page the admin sees. */
const refusal = (reason: 'not_found' | 'closed' | 'not_draft' | 'not_open' | 'no_units'): HttpError =>
  reason === 'not_found' ? notFound() : new HttpError(409, `agreements.refused.${reason}`);

/**
 * /admin/kesepakatan: unit agreements (NPHD and the like). Drafting and opening them, and recording each unit's
 * agreement with the scan of the signed document. Admins only: operators get the 403 page.
 */
export function agreementAdminRoutes(services: RecordServices & { units: UnitRepository }): Router {
  const router = Router();
  router.use(requireRole('admin'));

  const loadAgreement = async (req: Request): Promise<Agreement> => {
    const id = parseId(req.params.id);
    const agreement = id ? await services.agreements.findById(id) : undefined;
    if (!agreement) throw notFound();
    return agreement;
  };

  /** The agreement and the unit in the URL (a unit it counts), before any upload is read. */
  const loadUnit = async (req: Request): Promise<{ agreement: Agreement; unit: AgreementUnit }> => {
    const agreement = await loadAgreement(req);
    const unitId = parseId(req.params.unitId);
    const unit = unitId ? await services.agreements.unit(agreement, unitId) : undefined;
    if (!unit) throw notFound();
    return { agreement, unit };
  };

  const renderForm = async (
    res: Response,
    status: number,
    locals: { agreement?: Agreement; values: Record<string, string>; errors?: FieldErrors },
  ) =>
    renderAdminPage(res.status(status), 'agreements/admin/form', {
      title: res.locals.t(locals.agreement ? 'agreements.admin.edit_title' : 'agreements.admin.new_title'),
      scopes: AGREEMENT_SCOPES,
      units: await services.units.listActive(),
      errors: {},
      ...locals,
    });

  const keptAgreementForm = (req: Request) => keptValues(req.body, AGREEMENT_FORM_FIELDS, DESCRIPTION_MAX);

  router.get('/', async (_req, res) => {
    const agreements = await services.agreements.list();
    renderAdminPage(res, 'agreements/admin/list', {
      title: res.locals.t('agreements.admin.title'),
      summaries: await Promise.all(agreements.map((agreement) => summaryOf(services.agreements, agreement))),
    });
  });

  router.get('/baru', async (_req, res) => {
    await renderForm(res, 200, {
      values: { title: '', description: '', scope: 'kabkota', parent_unit_id: '', deadline_on: '' },
    });
  });

  router.post('/', async (req, res) => {
    const form = parseForm(agreementSchema, withEveryField(req.body, AGREEMENT_FORM_FIELDS));
    if (!form.ok) return renderForm(res, 400, { values: keptAgreementForm(req), errors: form.errors });
    const result = await createAgreement(services, {
      fields: toAgreementFields(form.data),
      actor: actorOf(req),
    });
    if (!result.ok) return renderForm(res, 422, { values: keptAgreementForm(req), errors: result.errors });
    flash(req, 'success', 'agreements.flash.created');
    res.redirect(303, `/admin/kesepakatan/${result.agreementId}`);
  });

  router.get('/:id', async (req, res) => {
    const agreement = await loadAgreement(req);
    const parent = agreement.parentUnitId ? await services.units.findById(agreement.parentUnitId) : undefined;
    renderAdminPage(res, 'agreements/admin/show', {
      title: agreement.title,
      summary: await summaryOf(services.agreements, agreement),
      parent,
      takesRecords: takesRecords(agreement),
      now: services.clock.now(),
    });
  });

  router.get('/:id/ubah', async (req, res) => {
    const agreement = await loadAgreement(req);
    if (agreement.status === 'closed') throw refusal('closed');
    await renderForm(res, 200, { agreement, values: agreementFormValues(agreement) });
  });

  router.post('/:id', async (req, res) => {
    const agreement = await loadAgreement(req);
    const form = parseForm(agreementSchema, withEveryField(req.body, AGREEMENT_FORM_FIELDS));
    if (!form.ok) {
      return renderForm(res, 400, { agreement, values: keptAgreementForm(req), errors: form.errors });
    }
    const result = await updateAgreement(services, {
      agreementId: agreement.id,
      fields: toAgreementFields(form.data),
      actor: actorOf(req),
    });
    if (!result.ok && 'errors' in result) {
      return renderForm(res, 422, { agreement, values: keptAgreementForm(req), errors: result.errors });
    }
    if (!result.ok) throw refusal(result.reason);
    flash(
      req,
      result.changed ? 'success' : 'info',
      result.changed ? 'agreements.flash.updated' : 'agreements.flash.unchanged',
    );
    res.redirect(303, `/admin/kesepakatan/${agreement.id}`);
  });

  // "Buka" makes a draft public, "Tutup" closes an open agreement.
  for (const [path, status, done] of [
    ['buka', 'open', 'agreements.flash.opened'],
    ['tutup', 'closed', 'agreements.flash.closed'],
  ] as const) {
    router.post(`/:id/${path}`, async (req, res) => {
      const agreement = await loadAgreement(req);
      const result = await changeAgreementStatus(services, {
        agreementId: agreement.id,
        status,
        actor: actorOf(req),
      });
      if (!result.ok) throw refusal(result.reason);
      flash(req, 'success', done);
      res.redirect(303, `/admin/kesepakatan/${agreement.id}`);
    });
  }

  // --- One unit's record ----------------------------------------------------------------------------------

  /** What the record form shows of a unit's record: its fields as they stand, or a blank form for a new one. */
  const recordValues = (unit: AgreementUnit): Record<string, string> => ({
    status: unit.record?.status ?? '',
    signed_on: unit.record?.signedOn ?? '',
    document_number: unit.record?.documentNumber ?? '',
    parties: unit.record?.parties ?? '',
    note: unit.record?.note ?? '',
  });

  const renderRecord = async (
    res: Response,
    status: number,
    agreement: Agreement,
    unit: AgreementUnit,
    locals: { values: Record<string, string>; errors?: FieldErrors },
  ) => {
    const scanId = unit.record?.status === 'signed' ? unit.record.scanId : null;
    renderAdminPage(res.status(status), 'agreements/admin/record', {
      title: res.locals.t('agreements.record.title', { unit: unit.name }),
      agreement,
      unit,
      scan: scanId === null ? undefined : await services.scans.info(scanId),
      history: await services.agreements.history(agreement.id, unit.unitId),
      takesRecords: takesRecords(agreement),
      maxScanMegabytes: SCAN_MAX_BYTES / (1024 * 1024),
      errors: {},
      ...locals,
    });
  };

  const keptRecordForm = (req: Request) => keptValues(req.body, RECORD_FORM_FIELDS, 1000);

  /** Loads the agreement and unit, and refuses a closed agreement, before the upload is read. */
  const recordable: RequestHandler = async (req, res, next) => {
    const { agreement, unit } = await loadUnit(req);
    if (!takesRecords(agreement)) throw refusal('closed');
    res.locals.agreement = agreement;
    res.locals.unit = unit;
    next();
  };

  /** multer; a scan over the limit or a broken body becomes a form error, with what was typed kept. */
  const receiveForm: RequestHandler = (req, res, next) => {
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      const tooLarge = err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE';
      req.log?.info({ err }, 'agreement record form refused');
      renderRecord(res, tooLarge ? 413 : 400, res.locals.agreement, res.locals.unit, {
        values: keptRecordForm(req),
        errors: { scan: tooLarge ? 'agreements.record.scan.too_large' : 'agreements.record.scan.bad_upload' },
      }).catch(next);
    });
  };

  router.get('/:id/unit/:unitId', async (req, res) => {
    const { agreement, unit } = await loadUnit(req);
    await renderRecord(res, 200, agreement, unit, { values: recordValues(unit) });
  });

  router.post('/:id/unit/:unitId', recordable, receiveForm, async (req, res) => {
    const agreement = res.locals.agreement as Agreement;
    const unit = res.locals.unit as AgreementUnit;
    const values = keptRecordForm(req);
    const file = req.file && req.file.size > 0 ? req.file : undefined;
    // A file cannot be shown again in a form: when anything else is refused it is not kept, and the form says so.
    const refuse = (status: number, errors: FieldErrors) =>
      renderRecord(res, status, agreement, unit, {
        values,
        errors: file && !errors.scan ? { ...errors, scan: 'agreements.record.scan.choose_again' } : errors,
      });

    const form = parseForm(recordSchema, withEveryField(req.body, RECORD_FORM_FIELDS));
    if (!form.ok) return refuse(400, form.errors);
    let scan = null;
    if (file) {
      const checked = await checkScan(file.buffer, file.originalname);
      if (!checked.ok) {
        return refuse(checked.problem === 'too_large' ? 413 : 400, {
          scan: `agreements.record.scan.${checked.problem}`,
        });
      }
      scan = checked;
    }
    const result = await recordUnitAgreement(services, {
      agreementId: agreement.id,
      unitId: unit.unitId,
      input: toRecordInput(form.data),
      scan,
      actor: actorOf(req),
    });
    if (!result.ok && 'errors' in result) return refuse(422, result.errors);
    if (!result.ok) throw refusal(result.reason);
    flash(
      req,
      result.changed ? 'success' : 'info',
      result.changed ? 'agreements.flash.recorded' : 'agreements.flash.record_unchanged',
      { unit: unit.name },
    );
    res.redirect(303, `/admin/kesepakatan/${agreement.id}#unit-${unit.unitId}`);
  });

  router.get('/:id/unit/:unitId/pindaian/:scanId', async (req, res) => {
    const { agreement, unit } = await loadUnit(req);
    const scanId = parseId(req.params.scanId);
    // Only a scan some version of this unit's record named: no other scan is reached through this address.
    if (!scanId || !(await services.agreements.namesScan(agreement.id, unit.unitId, scanId)))
      throw notFound();
    const scan = await services.scans.withBytes(scanId);
    if (!scan) throw notFound();
    sendScan(res, scan);
  });

  return router;
}
