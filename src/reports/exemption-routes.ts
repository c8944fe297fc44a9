import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { actorOf } from '../audit/actor.js';
import type { User } from '../directory/types.js';
import { canManageUser } from '../directory/users/input.js';
import { type ExemptionServices, exemptPerson } from '../pledges/exemptions/exempt-person.js';
import { liftExemption } from '../pledges/exemptions/lift-exemption.js';
import { EXEMPTION_REASONS } from '../pledges/exemptions/reasons.js';
import { pactLoader } from '../pledges/pact-loader.js';
import { type Pact, takesRecords } from '../pledges/types.js';
import { renderAdminPage } from '../web/admin-layout.js';
import { flash } from '../web/flash.js';
import { dayField, keptValues, parseForm, textField } from '../web/forms.js';
import { HttpError, notFound } from '../web/http-error.js';
import { parseId } from '../web/params.js';

const FIELDS = ['user_id', 'reason', 'note', 'starts_on', 'ends_on'] as const;

const exemptionSchema = z
  .object({
    user_id: z.string().refine((v) => parseId(v) !== null, { message: 'form.invalid' }),
    reason: z.enum(EXEMPTION_REASONS, { error: 'exemption.reason_required' }),
    note: textField({ max: 300, required: false, label: 'exemption.note' }),
    starts_on: dayField({ label: 'exemption.starts_on_name' }),
    ends_on: dayField({ label: 'exemption.ends_on_name', required: false }),
  })
  .refine((form) => form.reason !== 'lainnya' || form.note !== '', {
    path: ['note'],
    message: 'exemption.note_required',
  })
  .refine((form) => form.ends_on === '' || form.ends_on >= form.starts_on, {
    path: ['ends_on'],
    message: 'exemption.ends_before_start',
  });

const liftSchema = z.object({ lift_reason: textField({ max: 300, required: false }).optional() });

/**
 * /admin/kepatuhan/:pactId/pengecualian: excusing a person from a pact (from the unit report's list of people who
 * have not signed), and lifting it. Admins for anyone, operators for the signers of their subtree.
 */
export function exemptionRoutes(services: ExemptionServices): Router {
  const router = Router();
  const loadPact = pactLoader(services.pacts, { param: 'pactId', drafts: 'hidden' });
  const manager = (req: Request): User => req.user as User;

  /** The person named by `id`, as unknown when the manager may not manage them. */
  const loadPerson = async (req: Request, id: unknown): Promise<User> => {
    const userId = parseId(id);
    const person = userId ? await services.users.findById(userId) : undefined;
    if (!person || !(await canManageUser(services, manager(req), person))) throw notFound();
    return person;
  };

  const unitReport = (pact: Pact, person: User) =>
    `/admin/kepatuhan/${pact.id}/unit/${person.unitId ?? ''}#dikecualikan`;

  const renderForm = (
    res: Response,
    status: number,
    pact: Pact,
    person: User,
    locals: Record<string, unknown>,
  ) =>
    renderAdminPage(res.status(status), 'reports/exemption-form', {
      title: res.locals.t('exemption.title'),
      pact,
      person,
      reasons: EXEMPTION_REASONS,
      errors: {},
      ...locals,
    });

  router.get('/:pactId/pengecualian/baru', async (req, res) => {
    const pact = await loadPact(req);
    const person = await loadPerson(req, req.query.orang);
    renderForm(res, 200, pact, person, {
      values: {
        user_id: String(person.id),
        reason: '',
        note: '',
        starts_on: services.timeZone.dayOf(services.clock.now()),
        ends_on: '',
      },
    });
  });

  router.post('/:pactId/pengecualian', async (req, res) => {
    const pact = await loadPact(req);
    const person = await loadPerson(req, req.body?.user_id);
    const values = keptValues(req.body, FIELDS, 300);
    const form = parseForm(exemptionSchema, req.body);
    if (!form.ok) return renderForm(res, 400, pact, person, { values, errors: form.errors });
    const result = await exemptPerson(services, {
      pactId: pact.id,
      userId: person.id,
      reason: form.data.reason,
      note: form.data.note === '' ? null : form.data.note,
      startsOn: form.data.starts_on,
      endsOn: form.data.ends_on === '' ? null : form.data.ends_on,
      manager: manager(req),
      actor: actorOf(req),
    });
    if (!result.ok && result.reason === 'not_found') throw notFound();
    if (!result.ok && result.reason === 'already_ended') {
      return renderForm(res, 422, pact, person, { values, errors: { ends_on: 'exemption.already_ended' } });
    }
    if (!result.ok) {
      const status = result.reason === 'not_required' ? 422 : 409;
      return renderForm(res, status, pact, person, { values, refusal: `exemption.refused.${result.reason}` });
    }
    flash(req, 'success', 'exemption.saved', { name: person.fullName });
    res.redirect(303, unitReport(pact, person));
  });

  router.post('/:pactId/pengecualian/:id/cabut', async (req, res) => {
    const pact = await loadPact(req);
    // A closed pact's figures are final: what was excused stays so.
    if (!takesRecords(pact)) throw new HttpError(409, 'exemption.refused.not_open');
    const form = parseForm(liftSchema, req.body);
    if (!form.ok) throw new HttpError(400, 'error.400.message');
    const exemptionId = parseId(req.params.id);
    const exemption = exemptionId ? await services.exemptions.findById(exemptionId) : undefined;
    if (!exemption || exemption.pactId !== pact.id) throw notFound();
    const result = await liftExemption(services, {
      exemptionId: exemption.id,
      reason: form.data.lift_reason || null,
      manager: manager(req),
      actor: actorOf(req),
    });
    if (!result.ok && result.reason === 'not_found') throw notFound();
    if (!result.ok) throw new HttpError(409, 'exemption.refused.already_lifted');
    const person = (await services.users.findById(exemption.userId)) as User;
    flash(req, 'success', 'exemption.lifted', { name: person.fullName });
    res.redirect(303, unitReport(pact, person));
  });

  return router;
}
