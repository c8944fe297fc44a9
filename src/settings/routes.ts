import { type Response, Router } from 'express';
import { z } from 'zod';
import { actorOf } from '../audit/actor.js';
import type { AuditRepository } from '../audit/repository.js';
import type { Clock } from '../core/clock.js';
import type { Db } from '../db/database.js';
import { renderAdminPage } from '../web/admin-layout.js';
import { flash } from '../web/flash.js';
import { type FieldErrors, keptValues, parseForm, textField } from '../web/forms.js';
import { requireRole } from '../web/guards.js';
import { type InstanceSettings, readInstanceSettings } from './instance.js';
import type { SettingsRepository } from './repository.js';
import { updateSettings } from './update-settings.js';

const PHONE = /^[0-9 +()\-./,]*$/;

const settingsSchema = z.object({
  name: textField({ max: 150 }),
  short_name: textField({ max: 50 }),
  address: textField({ max: 300, required: false }),
  email: textField({ max: 254, required: false }).refine((v) => v === '' || z.email().safeParse(v).success, {
    message: 'admin.settings.email_invalid',
  }),
  phone: textField({ max: 50, required: false }).refine((v) => v === '' || (PHONE.test(v) && /\d/.test(v)), {
    message: 'admin.settings.phone_invalid',
  }),
  place: textField({ max: 100, required: false }),
  // Optional: forms and scripts written before the field existed do not send it (the value stays).
  activation_days: textField({ max: 3 })
    .refine((v) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 90, {
      message: 'admin.settings.activation_days_invalid',
    })
    .optional(),
  // Optional like activation_days: an older form keeps the stored official.
  official_title: textField({ max: 200, required: false }).optional(),
  official_name: textField({ max: 150, required: false }).optional(),
  official_nip: textField({ max: 21, required: false })
    .transform((v) => v.replace(/\s+/g, ''))
    .refine((v) => v === '' || /^\d{18}$/.test(v), { message: 'admin.settings.official_nip_invalid' })
    .optional(),
});

const FORM_FIELDS = [
  'name',
  'short_name',
  'address',
  'email',
  'phone',
  'place',
  'activation_days',
  'official_title',
  'official_name',
  'official_nip',
] as const;

const formValues = (instance: InstanceSettings): Record<(typeof FORM_FIELDS)[number], string> => ({
  name: instance.name,
  short_name: instance.shortName,
  address: instance.address,
  email: instance.email,
  phone: instance.phone,
  place: instance.place,
  activation_days: String(instance.activationDays),
  official_title: instance.officialTitle,
  official_name: instance.officialName,
  official_nip: instance.officialNip,
});

/** /admin/pengaturan: the instance's name, address, contact and the place written on pacts. Admins only. */
export function settingsAdminRoutes(services: {
  audit: AuditRepository;
  clock: Clock;
  db: Db;
  settings: SettingsRepository;
}): Router {
  const router = Router();
  router.use(requireRole('admin'));

  const renderForm = (
    res: Response,
    status: number,
    values: Record<string, string>,
    errors: FieldErrors = {},
  ) =>
    renderAdminPage(res.status(status), 'settings/form', {
      title: res.locals.t('admin.settings.title'),
      values,
      errors,
    });

  router.get('/', async (_req, res) => {
    renderForm(res, 200, formValues(await readInstanceSettings(services.settings)));
  });

  router.post('/', async (req, res) => {
    const form = parseForm(settingsSchema, req.body);
    if (!form.ok) return renderForm(res, 400, keptValues(req.body, FORM_FIELDS), form.errors);
    const stored = await readInstanceSettings(services.settings);
    const activationDays =
      form.data.activation_days === undefined ? stored.activationDays : Number(form.data.activation_days);
    const { changed } = await updateSettings(services, {
      values: {
        name: form.data.name,
        shortName: form.data.short_name,
        address: form.data.address,
        email: form.data.email,
        phone: form.data.phone,
        place: form.data.place,
        activationDays,
        officialTitle: form.data.official_title ?? stored.officialTitle,
        officialName: form.data.official_name ?? stored.officialName,
        officialNip: form.data.official_nip ?? stored.officialNip,
      },
      actor: actorOf(req),
    });
    flash(
      req,
      changed.length > 0 ? 'success' : 'info',
      changed.length > 0 ? 'admin.settings.saved' : 'admin.settings.unchanged',
    );
    res.redirect(303, '/admin/pengaturan');
  });

  return router;
}
