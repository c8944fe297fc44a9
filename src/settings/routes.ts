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
import { renderTypedMarkdown } from '../web/markdown.js';
import { type InstanceSettings, NUMBER_LIMITS, readInstanceSettings } from './instance.js';
import { checkLogo, LOGO_MAX_BYTES } from './logo-file.js';
import type { SettingsRepository } from './repository.js';
import { updateSettings } from './update-settings.js';

const PHONE = /^[0-9 +()\-./,]*$/;
/** The privacy notice's own section, in characters: a few paragraphs. */
const PRIVACY_EXTRA_MAX = 4000;

/**
 * A whole number within its limits (NUMBER_LIMITS), named by `admin.settings.<name>_name` and refused with
 * `…_invalid`. Optional: forms and scripts written before the field existed do not send it (the value stays).
 */
const wholeNumberField = (field: keyof typeof NUMBER_LIMITS, name: string) =>
  textField({ max: 3, label: `admin.settings.${name}_name` })
    .refine(
      (v) =>
        /^\d+$/.test(v) && Number(v) >= NUMBER_LIMITS[field].min && Number(v) <= NUMBER_LIMITS[field].max,
      { message: `admin.settings.${name}_invalid` },
    )
    .optional();

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
  activation_days: wholeNumberField('activationDays', 'activation_days'),
  retention_years: wholeNumberField('signatureRetentionYears', 'retention_years'),
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
  // The privacy notice's texts (/privasi): optional like the official, blank ones fall back to the instance's own.
  privacy_controller: textField({
    max: 200,
    required: false,
    label: 'admin.settings.privacy_controller_name',
  }).optional(),
  privacy_officer: textField({
    max: 200,
    required: false,
    label: 'admin.settings.privacy_officer_name',
  }).optional(),
  privacy_officer_email: textField({
    max: 254,
    required: false,
    label: 'admin.settings.privacy_officer_email_name',
  })
    .refine((v) => v === '' || z.email().safeParse(v).success, {
      message: 'admin.settings.privacy_officer_email_invalid',
    })
    .optional(),
  privacy_officer_address: textField({
    max: 300,
    required: false,
    label: 'admin.settings.privacy_officer_address_name',
  }).optional(),
  privacy_extra: textField({
    max: PRIVACY_EXTRA_MAX,
    required: false,
    multiline: true,
    label: 'admin.settings.privacy_extra_name',
  }).optional(),
});

// The logo comes last in the form, so that a file over the limit (multer stops reading there) keeps every field above.
const upload = multer({
  storage: multer.memoryStorage(),
  // A field of up to PRIVACY_EXTRA_MAX characters, each up to 4 bytes in UTF-8 (a longer one is refused by its field).
  limits: {
    fileSize: LOGO_MAX_BYTES,
    files: 1,
    fields: 30,
    parts: 31,
    fieldSize: 4 * PRIVACY_EXTRA_MAX + 1000,
  },
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
  'retention_years',
  'official_title',
  'official_name',
  'official_nip',
  'privacy_controller',
  'privacy_officer',
  'privacy_officer_email',
  'privacy_officer_address',
  'privacy_extra',
] as const;

const formValues = (instance: InstanceSettings): Record<(typeof FORM_FIELDS)[number], string> => ({
  name: instance.name,
  short_name: instance.shortName,
  address: instance.address,
  email: instance.email,
  phone: instance.phone,
  place: instance.place,
  activation_days: String(instance.activationDays),
  retention_years: String(instance.signatureRetentionYears),
  official_title: instance.officialTitle,
  official_name: instance.officialName,
  official_nip: instance.officialNip,
  privacy_controller: instance.privacyController,
  privacy_officer: instance.privacyOfficer,
  privacy_officer_email: instance.privacyOfficerEmail,
  privacy_officer_address: instance.privacyOfficerAddress,
  privacy_extra: instance.privacyExtra,
});

/** The fields a refused form shows again: the text fields and the "remove logo" box (a file field cannot be refilled). */
const KEPT_FIELDS = [...FORM_FIELDS, 'remove_logo'];
/** What a refused form shows again of a field: all of the longest one allowed, and a little of what was too long. */
const KEPT_LENGTH = 2 * PRIVACY_EXTRA_MAX;

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
      renderForm(res, tooLarge ? 413 : 400, keptValues(req.body, KEPT_FIELDS, KEPT_LENGTH), {
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
    // The privacy notice renders its section on every view without a time limit: one marked cannot parse in time is
    // refused here (as a pact's body is).
    const extra = form.ok ? form.data.privacy_extra : undefined;
    if (extra && !(await renderTypedMarkdown(extra))) errors.privacy_extra = 'form.markdown_too_complex';
    const fieldsWrong = Object.keys(errors).length > 0;
    if (logo && !logo.ok) errors.logo = `admin.settings.logo_${logo.problem}`;
    // Nothing is stored while another field is wrong, and the browser cannot send the file again by itself.
    else if (logo && fieldsWrong) errors.logo = 'admin.settings.logo_again';
    if (!form.ok || fieldsWrong || (logo && !logo.ok)) {
      return renderForm(res, form.ok ? 422 : 400, keptValues(req.body, KEPT_FIELDS, KEPT_LENGTH), errors);
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
        signatureRetentionYears:
          form.data.retention_years === undefined
            ? stored.signatureRetentionYears
            : Number(form.data.retention_years),
        officialTitle: form.data.official_title ?? stored.officialTitle,
        officialName: form.data.official_name ?? stored.officialName,
        officialNip: form.data.official_nip ?? stored.officialNip,
        privacyController: form.data.privacy_controller ?? stored.privacyController,
        privacyOfficer: form.data.privacy_officer ?? stored.privacyOfficer,
        privacyOfficerEmail: form.data.privacy_officer_email ?? stored.privacyOfficerEmail,
        privacyOfficerAddress: form.data.privacy_officer_address ?? stored.privacyOfficerAddress,
        privacyExtra: form.data.privacy_extra ?? stored.privacyExtra,
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
