import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { actorOf } from '../../audit/actor.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import type { TimeZone } from '../../core/time-zone.js';
import type { Db } from '../../db/database.js';
import type { User } from '../../directory/types.js';
import type { UnitRepository } from '../../directory/unit-repository.js';
import { deliverRun, type ReminderSender, requestDeadlineNotices } from '../../reminders/send-reminders.js';
import type { InstanceSettings } from '../../settings/instance.js';
import { renderAdminPage } from '../../web/admin-layout.js';
import { isDayInput, parseLocalInput, toLocalInput } from '../../web/datetime-input.js';
import { flash } from '../../web/flash.js';
import {
  choiceField,
  dateTimeField,
  keptValues,
  namingField,
  parseForm,
  textField,
} from '../../web/forms.js';
import { requireRole } from '../../web/guards.js';
import { HttpError, notFound } from '../../web/http-error.js';
import { renderMarkdown, renderTypedMarkdown } from '../../web/markdown.js';
import { pactLoader } from '../pact-loader.js';
import type { PactRepository } from '../pact-repository.js';
import type { SignatureRepository } from '../signature-repository.js';
import { type Pact, takesRecords } from '../types.js';
import { closePact } from './close-pact.js';
import { createPact } from './create-pact.js';
import { extendDeadline } from './extend-deadline.js';
import type { PactInput } from './input.js';
import { openPact } from './open-pact.js';
import { revisePact } from './revise-pact.js';
import { setCeremony } from './set-ceremony.js';
import { updatePact } from './update-pact.js';

const unitIdsField = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .refine((ids) => ids.length <= 500 && ids.every((id) => /^\d{1,9}$/.test(id)), {
    message: namingField('form.choose_named', 'admin.pacts.form.units'),
  })
  .transform((ids) => [...new Set(ids.map(Number))]);

const PACT_BODY_MAX = 50_000;

/** The day and place of the ceremony, in the draft's form and in an open pact's own. */
const ceremonyDayField = textField({
  max: 10,
  required: false,
  label: 'admin.pacts.form.ceremony_on',
}).refine((v) => v === '' || isDayInput(v), { message: 'pact.form.ceremony_on_invalid' });
const ceremonyPlaceField = textField({ max: 200, required: false, label: 'admin.pacts.form.ceremony_place' });

const extendSchema = z.object({
  deadline: dateTimeField({ label: 'admin.pacts.extend.deadline' }),
  reason: textField({ max: 500, label: 'admin.pacts.extend.reason' }),
});

const pactSchema = z.object({
  title: textField({ max: 200, label: 'admin.pacts.form.title' }),
  body: textField({ max: PACT_BODY_MAX, multiline: true, trim: false, label: 'admin.pacts.form.body_name' }),
  place: textField({ max: 100, required: false, label: 'admin.pacts.form.place' }).optional(),
  audience: choiceField(['heads', 'all'], 'admin.pacts.form.audience_name'),
  opens_at: dateTimeField({ label: 'admin.pacts.form.opens_at_name' }),
  deadline: dateTimeField({ label: 'admin.pacts.form.deadline_name' }),
  unit_ids: unitIdsField,
  archived: choiceField(['1', ''], 'admin.pacts.form.archived').optional(),
  ceremony_on: ceremonyDayField.optional(),
  ceremony_place: ceremonyPlaceField.optional(),
});

const ceremonySchema = z.object({ ceremony_on: ceremonyDayField, ceremony_place: ceremonyPlaceField });

/** Why an operation refused, as the page the admin sees. */
const refusal = (reason: 'not_found' | 'not_draft' | 'not_open' | 'deadline_passed'): HttpError =>
  reason === 'not_found' ? notFound() : new HttpError(409, `admin.pacts.${reason}`);

const FORM_FIELDS = [
  'title',
  'body',
  'place',
  'audience',
  'opens_at',
  'deadline',
  'archived',
  'ceremony_on',
  'ceremony_place',
] as const;

/** '' as none. */
const orNull = (value: string | undefined): string | null => (value ? value : null);

/** The parsed form as a pact; its times were typed on the clocks of `zone`. */
const toInput = (data: z.infer<typeof pactSchema>, zone: TimeZone): PactInput => ({
  title: data.title,
  body: data.body,
  place: data.place ?? '',
  audience: data.audience,
  opensAt: parseLocalInput(data.opens_at, zone) as Date,
  deadline: parseLocalInput(data.deadline, zone) as Date,
  unitIds: data.unit_ids,
  archived: data.archived === '1',
  ceremonyOn: orNull(data.ceremony_on),
  ceremonyPlace: orNull(data.ceremony_place),
});

const formValues = (pact: Pact, unitIds: number[], zone: TimeZone) => ({
  title: pact.title,
  body: pact.body,
  place: pact.place,
  audience: pact.audience,
  opens_at: toLocalInput(pact.opensAt, zone),
  deadline: toLocalInput(pact.deadline, zone),
  unit_ids: unitIds,
  archived: pact.archived ? '1' : '',
  ceremony_on: pact.ceremonyOn ?? '',
  ceremony_place: pact.ceremonyPlace ?? '',
});

/** /admin/pakta: drafting, previewing, opening, closing and revising pacts. Admins only. */
export function pactAdminRoutes(
  services: {
    audit: AuditRepository;
    clock: Clock;
    db: Db;
    pacts: PactRepository;
    instanceSettings: () => Promise<InstanceSettings>;
    signatures: SignatureRepository;
    timeZone: TimeZone;
    units: UnitRepository;
  },
  reminders: ReminderSender,
): Router {
  const router = Router();
  router.use(requireRole('admin'));

  const loadPact = pactLoader(services.pacts, { param: 'id', drafts: 'shown' });

  const renderForm = async (
    res: Response,
    status: number,
    locals: { pact?: Pact; values: object; errors?: object },
  ) =>
    renderAdminPage(res.status(status), 'pledges/pacts/form', {
      title: res.locals.t(locals.pact ? 'admin.pacts.form.edit_title' : 'admin.pacts.form.new_title'),
      units: await services.units.listActive(),
      errors: {},
      ...locals,
    });

  router.get('/', async (_req, res) => {
    renderAdminPage(res, 'pledges/pacts/list', {
      title: res.locals.t('admin.pacts.title'),
      pacts: await services.pacts.list(),
    });
  });

  router.get('/baru', async (_req, res) => {
    const now = services.clock.now();
    await renderForm(res, 200, {
      values: {
        place: (await services.instanceSettings()).place,
        audience: 'heads',
        opens_at: toLocalInput(now, services.timeZone),
        deadline: toLocalInput(new Date(now.getTime() + 14 * 86_400_000), services.timeZone),
        unit_ids: [],
      },
    });
  });

  const keptForm = (req: Request) => ({
    ...keptValues(req.body, FORM_FIELDS, PACT_BODY_MAX),
    unit_ids: unitIdsField.safeParse(req.body?.unit_ids).data ?? [],
  });

  /**
   * The form's problems, the body's included: a body that marked cannot parse in time is refused here, so a
   * stored pact body can be rendered on every page view without a time limit.
   */
  const parsePactForm = async (req: Request) => {
    const form = parseForm(pactSchema, req.body);
    if (form.ok && !(await renderTypedMarkdown(form.data.body))) {
      return { ok: false as const, errors: { body: 'form.markdown_too_complex' } };
    }
    return form;
  };

  router.post('/', async (req, res) => {
    const form = await parsePactForm(req);
    if (!form.ok) return renderForm(res, 400, { values: keptForm(req), errors: form.errors });
    const result = await createPact(services, {
      input: toInput(form.data, services.timeZone),
      actor: actorOf(req),
    });
    if (!result.ok) return renderForm(res, 422, { values: keptForm(req), errors: result.errors });
    flash(req, 'success', 'admin.pacts.saved');
    res.redirect(303, `/admin/pakta/${result.pactId}`);
  });

  const renderShow = async (
    res: Response,
    status: number,
    pact: Pact,
    /** `values`: what one of the page's forms sent back; the other form keeps what the pact holds. */
    { values, ...locals }: { values?: Record<string, string>; errors?: Record<string, string> } = {},
  ) => {
    const unitIds = await services.pacts.unitIds(pact.id);
    renderAdminPage(res.status(status), 'pledges/pacts/show', {
      title: pact.title,
      pact,
      takesRecords: takesRecords(pact),
      extensions: await services.pacts.deadlineExtensions(pact.id),
      values: {
        deadline: toLocalInput(pact.deadline, services.timeZone),
        reason: '',
        ceremony_on: pact.ceremonyOn ?? '',
        ceremony_place: pact.ceremonyPlace ?? '',
        ...values,
      },
      errors: {},
      units: (await Promise.all(unitIds.map((id) => services.units.findById(id)))).filter(Boolean),
      revision: await services.pacts.findRevision(pact.id),
      superseded: pact.supersedesId ? await services.pacts.findById(pact.supersedesId) : undefined,
      signedCount: await services.signatures.countValid(pact.id),
      latestSignatures: await services.signatures.latest(pact.id, 20),
      ...locals,
    });
  };

  router.get('/:id', async (req, res) => renderShow(res, 200, await loadPact(req)));

  router.post('/:id/perpanjang', async (req, res) => {
    const pact = await loadPact(req);
    const values = keptValues(req.body, ['deadline', 'reason'], 500);
    const form = parseForm(extendSchema, req.body);
    if (!form.ok) return renderShow(res, 400, pact, { values, errors: form.errors });
    const actor = { ...actorOf(req), userId: (req.user as User).id };
    const result = await extendDeadline(services, {
      pactId: pact.id,
      deadline: parseLocalInput(form.data.deadline, services.timeZone) as Date,
      reason: form.data.reason,
      actor,
    });
    if (!result.ok && result.reason === 'invalid')
      return renderShow(res, 422, pact, { values, errors: result.errors });
    if (!result.ok) throw refusal(result.reason);
    // Committed: now tell the people still required. The extension stands whatever happens to the notices; a
    // failure to claim them is said (the admin can remind from the report) rather than answered as a 500.
    try {
      const run = await requestDeadlineNotices(reminders, { pact: result.pact, actor });
      deliverRun(reminders, run.id).catch((err: unknown) =>
        req.log?.error(
          { err, run: run.id },
          'deadline notices not all sent; a later tick takes the rest over',
        ),
      );
      flash(req, 'success', 'admin.pacts.extend.done', { count: run.recipients });
    } catch (err) {
      req.log?.error({ err, pact: pact.id }, 'deadline extended, but its notices could not be claimed');
      flash(req, 'warning', 'admin.pacts.extend.notices_failed');
    }
    res.redirect(303, `/admin/pakta/${pact.id}`);
  });

  /** The ceremony of a pact already opened (a draft sets it in its form): audited, shown on receipts and sheets. */
  router.post('/:id/upacara', async (req, res) => {
    const pact = await loadPact(req);
    const values = keptValues(req.body, ['ceremony_on', 'ceremony_place'], 200);
    const form = parseForm(ceremonySchema, req.body);
    if (!form.ok)
      return renderShow(res, 400, pact, {
        values,
        errors: form.errors,
      });
    const result = await setCeremony(services, {
      pactId: pact.id,
      ceremonyOn: orNull(form.data.ceremony_on),
      ceremonyPlace: orNull(form.data.ceremony_place),
      actor: actorOf(req),
    });
    if (!result.ok && result.reason === 'invalid') {
      return renderShow(res, 422, pact, {
        values,
        errors: result.errors,
      });
    }
    if (!result.ok) throw refusal(result.reason);
    flash(req, 'success', 'admin.pacts.ceremony.saved');
    res.redirect(303, `/admin/pakta/${pact.id}#upacara`);
  });

  router.get('/:id/ubah', async (req, res) => {
    const pact = await loadPact(req);
    if (pact.status !== 'draft') throw new HttpError(409, 'admin.pacts.not_draft');
    await renderForm(res, 200, {
      pact,
      values: formValues(pact, await services.pacts.unitIds(pact.id), services.timeZone),
    });
  });

  router.post('/:id', async (req, res) => {
    const pact = await loadPact(req);
    // Refused before the form is even read: an open pact's text is frozen whatever was sent.
    if (pact.status !== 'draft') throw new HttpError(409, 'admin.pacts.not_draft');
    const form = await parsePactForm(req);
    if (!form.ok) return renderForm(res, 400, { pact, values: keptForm(req), errors: form.errors });
    const result = await updatePact(services, {
      pactId: pact.id,
      input: toInput(form.data, services.timeZone),
      actor: actorOf(req),
    });
    if (!result.ok && result.reason === 'invalid') {
      return renderForm(res, 422, { pact, values: keptForm(req), errors: result.errors });
    }
    if (!result.ok) throw refusal(result.reason);
    flash(req, 'success', 'admin.pacts.saved');
    res.redirect(303, `/admin/pakta/${pact.id}`);
  });

  router.get('/:id/pratinjau', async (req, res) => {
    const pact = await loadPact(req);
    res.render('pledges/signing/sign', {
      title: pact.title,
      pact,
      bodyHtml: renderMarkdown(pact.body),
      signer: null,
      signingDate: services.clock.now(),
      existing: undefined,
      unavailable: null,
      needsPassword: false,
      preview: true,
      values: { full_name: '', consent: '', signature: '' },
    });
  });

  router.post('/:id/buka', async (req, res) => {
    const result = await openPact(services, { pactId: (await loadPact(req)).id, actor: actorOf(req) });
    if (!result.ok) throw refusal(result.reason);
    flash(req, 'success', result.archived ? 'admin.pacts.archived' : 'admin.pacts.opened');
    res.redirect(303, `/admin/pakta/${req.params.id}`);
  });

  router.post('/:id/tutup', async (req, res) => {
    const result = await closePact(services, { pactId: (await loadPact(req)).id, actor: actorOf(req) });
    if (!result.ok) throw refusal(result.reason);
    flash(req, 'success', 'admin.pacts.closed');
    res.redirect(303, `/admin/pakta/${req.params.id}`);
  });

  router.post('/:id/revisi', async (req, res) => {
    const result = await revisePact(services, { pactId: (await loadPact(req)).id, actor: actorOf(req) });
    if (!result.ok) throw refusal(result.reason);
    flash(
      req,
      result.created ? 'success' : 'info',
      result.created ? 'admin.pacts.revised' : 'admin.pacts.revision_exists',
    );
    res.redirect(303, `/admin/pakta/${result.pactId}`);
  });

  return router;
}
