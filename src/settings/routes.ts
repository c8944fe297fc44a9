import { type RequestHandler, type Response, Router } from 'express';
import multer from 'multer';
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
import { checkLogo, LOGO_MAX_BYTES } from './logo-file.js';
import type { SettingsRepository } from './repository.js';
import { updateSettings } from './update-settings.js';

const PHONE = /^[0-9 +()\-./,]*$/;

const settingsSchema = z.object({
  name: textField({ max: 150, label: 'admin.settings.name' }),
  short_name: textField({ max: 50, label: 'admin.settings.short_name' }),
  address: textField({ max: 300, required: false, label: 'admin.settings.address' }),
  email: textField({ max: 254, required: false, label: 'admin.settings.email' }).refine(
    (v) => v === '' || z.email().safeParse(v).success,
    {
      message: 'admin.settings.email_invalid',
    },
  ),
  phone: textField({ max: 50, required: false, label: 'admin.settings.phone' }).refine(
    (v) => v === '' || (PHONE.test(v) && /\d/.test(v)),
    {
      message: 'admin.settings.phone_invalid',
    },
  ),
  place: textField({ max: 100, required: false, label: 'admin.settings.place' }),
  // Optional: forms and scripts written before the field existed do not send it (the value stays).
  activation_days: textField({ max: 3, label: 'admin.settings.activation_days_name' })
    .refine((v) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 90, {
      message: 'admin.settings.activation_days_invalid',
    })
    .optional(),
  // Optional like activation_days: an older form keeps the stored official.
  official_title: textField({
    max: 200,
    required: false,
    label: 'admin.settings.official_title_name',
  }).optional(),
  official_name: textField({
    max: 150,
    required: false,
    label: 'admin.settings.official_name_name',
  }).optional(),
  official_nip: textField({ max: 21, required: false, label: 'admin.settings.official_nip_name' })
    .transform((v) => v.replace(/\s+/g, ''))
    .refine((v) => v === '' || /^\d{18}$/.test(v), { message: 'admin.settings.official_nip_invalid' })
    .optional(),
});

// The logo comes last in the form, so that a file over the limit (multer stops reading there) keeps every field above.
const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: LOGO_MAX_BYTES, files: 1, fields: 20, parts: 21, fieldSize: 4000 },
  defParamCharset: 'utf8',
}).single('logo');

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

/** The fields a refused form shows again: the text fields and the "remove logo" box (a file field cannot be refilled). */
const KEPT_FIELDS = [...FORM_FIELDS, 'remove_logo'];

/**
 * /admin/pengaturan: the instance's name, address, contact, the place written on pacts and the logo. Admins only.
 */
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
      logo: (res.locals.instance as InstanceSettings).logo,
    });

  /** multer; a logo over the limit or a broken body becomes a form error, with what was typed kept. */
  const receiveLogo: RequestHandler = (req, res, next) => {
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      req.log?.info({ err }, 'settings form refused');
      const tooLarge = err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE';
      renderForm(res, tooLarge ? 413 : 400, keptValues(req.body, KEPT_FIELDS), {
        logo: tooLarge ? 'admin.settings.logo_too_large' : 'admin.settings.logo_bad_upload',
      });
    });
  };

  router.get('/', async (_req, res) => {
    renderForm(res, 200, formValues(await readInstanceSettings(services.settings)));
  });

  router.post('/', receiveLogo, async (req, res) => {
    const form = parseForm(settingsSchema, req.body);
    // An empty file part is a file field left empty.
    const logo = req.file && req.file.size > 0 ? await checkLogo(req.file.buffer) : undefined;
    const errors: FieldErrors = form.ok ? {} : { ...form.errors };
    if (logo && !logo.ok) errors.logo = `admin.settings.logo_${logo.problem}`;
    // Nothing is stored while another field is wrong, and the browser cannot send the file again by itself.
    else if (logo && !form.ok) errors.logo = 'admin.settings.logo_again';
    if (!form.ok || (logo && !logo.ok)) {
      return renderForm(res, form.ok ? 422 : 400, keptValues(req.body, KEPT_FIELDS), errors);
    }
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
      // "Hapus logo" goes back to the shield; a new file sent with it takes its place.
      logo: logo ?? (req.body?.remove_logo === '1' ? 'remove' : undefined),
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
