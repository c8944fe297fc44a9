import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { actorOf } from '../../audit/actor.js';
import { renderAdminPage } from '../../web/admin-layout.js';
import { flash } from '../../web/flash.js';
import { type FieldErrors, keptValues, parseForm, textField } from '../../web/forms.js';
import { requireRole } from '../../web/guards.js';
import { forbidden, notFound } from '../../web/http-error.js';
import { parseId } from '../../web/params.js';
import type { User } from '../types.js';
import { anonymisePerson } from './anonymise-person.js';

const anonymiseSchema = z.object({
  reason: textField({ max: 500, multiline: true, label: 'admin.anonymise.reason' }),
});

type Services = Parameters<typeof anonymisePerson>[0];

/**
 * /admin/pengguna/:id/anonimkan: the confirmation form for anonymising a person who has left, and the action. Admins
 * only (each route says so: this router is mounted at /admin/pengguna before the directory's own routes).
 */
export function anonymiseRoutes(services: Services): Router {
  const router = Router();
  const admin = requireRole('admin');

  const loadUser = async (req: Request): Promise<User> => {
    const id = parseId(req.params.id);
    const user = id ? await services.users.findById(id) : undefined;
    if (!user) throw notFound();
    return user;
  };

  const renderForm = (
    res: Response,
    status: number,
    locals: { user: User; values: Record<string, string>; errors?: FieldErrors; refusal?: string },
  ) =>
    renderAdminPage(res.status(status), 'directory/anonymise/confirm', {
      title: res.locals.t('admin.anonymise.title'),
      errors: {},
      refusal: null,
      ...locals,
    });

  router.get('/:id/anonimkan', admin, async (req, res) => {
    const user = await loadUser(req);
    if (user.anonymisedAt !== null) return res.redirect(303, `/admin/pengguna/${user.id}`);
    // An active person is refused by the operation: the page says so at once, before a reason is typed.
    renderForm(res, 200, {
      user,
      values: { reason: '' },
      refusal: user.status === 'active' ? 'admin.anonymise.refused.active' : undefined,
    });
  });

  router.post('/:id/anonimkan', admin, async (req, res) => {
    const user = await loadUser(req);
    const values = keptValues(req.body, ['reason']);
    const form = parseForm(anonymiseSchema, req.body);
    if (!form.ok) return renderForm(res, 400, { user, values, errors: form.errors });
    const result = await anonymisePerson(services, {
      userId: user.id,
      reason: form.data.reason,
      manager: req.user as User,
      actor: actorOf(req),
    });
    if (!result.ok) {
      if (result.reason === 'not_found') throw notFound();
      if (result.reason === 'forbidden') throw forbidden();
      return renderForm(res, 409, { user, values, refusal: `admin.anonymise.refused.${result.reason}` });
    }
    flash(req, 'success', result.changed ? 'admin.anonymise.done' : 'admin.anonymise.already');
    res.redirect(303, `/admin/pengguna/${user.id}`);
  });

  return router;
}
