import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { actorOf } from '../../audit/actor.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import type { Config } from '../../core/config.js';
import type { TimeZone } from '../../core/time-zone.js';
import { hasTakenOverAccount, mayChangeAccess, mayIssueLink } from '../../credentials/account-access.js';
import {
  ACTIVATION_FILTERS,
  type ActivationFilter,
  activationStatuses,
} from '../../credentials/activation-status.js';
import { passwordLinkMail } from '../../credentials/password-link-mail.js';
import type { PasswordLinkRepository } from '../../credentials/password-link-repository.js';
import { issuePasswordLink } from '../../credentials/password-links.js';
import type { Db } from '../../db/database.js';
import type { Mailer } from '../../mail/mailer.js';
import type { SessionRepository } from '../../sessions/session-repository.js';
import type { SettingsRepository } from '../../settings/repository.js';
import { renderAdminPage } from '../../web/admin-layout.js';
import { flash } from '../../web/flash.js';
import { choiceField, keptValues, optionalIdField, parseForm, textField } from '../../web/forms.js';
import { HttpError, notFound } from '../../web/http-error.js';
import { pageFromQuery } from '../../web/pagination.js';
import { parseId } from '../../web/params.js';
import { MAX_LENGTH } from '../field-limits.js';
import { EMPLOYEE_TYPES, formatNip } from '../nip.js';
import { ROLES, type Role, type User, type UserStatus } from '../types.js';
import type { UnitRepository } from '../unit-repository.js';
import type { UserFilter, UserRepository } from '../user-repository.js';
import { sendAccessChangeNotices } from './access-change-mail.js';
import { canManageUser, type UserInput } from './input.js';
import { createUser, updateUser } from './save-user.js';
import { setUserStatus } from './set-user-status.js';

const PAGE_SIZE = 50;
const USER_FIELDS = [
  'nip',
  'employee_type',
  'email',
  'full_name',
  'position',
  'pangkat',
  'unit_id',
  'role',
] as const;

// Only the shape of each field here: what a record needs (a NIP, a name, a unit) is checkUserInput's, so that an
// empty form is answered with every missing field at once.
const userSchema = z.object({
  nip: textField({ max: MAX_LENGTH.nip, required: false, label: 'admin.users.form.nip' }),
  employee_type: choiceField(EMPLOYEE_TYPES as ['PNS', 'PPPK'], 'admin.users.form.employee_type'),
  email: textField({ max: MAX_LENGTH.email, required: false, label: 'admin.users.form.email' }),
  full_name: textField({ max: MAX_LENGTH.fullName, required: false, label: 'admin.users.form.full_name' }),
  position: textField({ max: MAX_LENGTH.position, required: false, label: 'admin.users.form.position' }),
  // Optional: forms and scripts written before the field existed do not send it.
  pangkat: textField({
    max: MAX_LENGTH.pangkat,
    required: false,
    label: 'admin.users.form.pangkat',
  }).optional(),
  unit_id: optionalIdField('admin.users.unit'),
  role: choiceField(ROLES, 'admin.users.role'),
});

const filterSchema = z.object({
  q: textField({ max: 100, required: false }).optional(),
  unit: optionalIdField().optional(),
  role: z.enum(['', ...ROLES], { error: 'form.invalid' }).optional(),
  status: z.enum(['', 'active', 'disabled'], { error: 'form.invalid' }).optional(),
  kepala: z.enum(['', '1'], { error: 'form.invalid' }).optional(),
  aktivasi: z
    .enum(['', ...(Object.keys(ACTIVATION_FILTERS) as ActivationFilter[])], { error: 'form.invalid' })
    .optional(),
  halaman: z.string().optional(),
});

const toInput = (data: z.infer<typeof userSchema>): UserInput => ({
  nip: data.nip === '' ? null : data.nip,
  employeeType: data.employee_type,
  email: data.email === '' ? null : data.email,
  fullName: data.full_name,
  position: data.position,
  pangkat: data.pangkat || null,
  unitId: data.unit_id,
  role: data.role,
});

const formValues = (user: User) => ({
  nip: user.nip ? formatNip(user.nip) : '',
  employee_type: user.employeeType,
  email: user.email ?? '',
  full_name: user.fullName,
  position: user.position,
  pangkat: user.pangkat ?? '',
  unit_id: user.unitId === null ? '' : String(user.unitId),
  role: user.role,
});

/** /admin/pengguna: the directory of people. Operators see and change only signers in their unit's subtree. */
export function userAdminRoutes(
  services: {
    audit: AuditRepository;
    clock: Clock;
    db: Db;
    passwordLinks: PasswordLinkRepository;
    sessions: SessionRepository;
    settings: SettingsRepository;
    timeZone: TimeZone;
    units: UnitRepository;
    users: UserRepository;
  },
  mailer: Mailer,
  config: Config,
): Router {
  const router = Router();
  const manager = (req: Request): User => req.user as User;

  /** The units someone may pick or filter by: all for an admin, the subtree for an operator. */
  const unitsFor = async (user: User) =>
    user.role === 'admin'
      ? await services.units.tree(null)
      : user.unitId
        ? await services.units.tree(user.unitId)
        : [];

  /** Loads the person named in the URL, as 404 when the manager may not see them (not a hint that they exist). */
  const loadUser = async (req: Request): Promise<User> => {
    const id = parseId(req.params.id);
    const user = id ? await services.users.findById(id) : undefined;
    if (!user || !(await canManageUser(services, manager(req), user))) throw notFound();
    return user;
  };

  router.get('/', async (req, res) => {
    const me = manager(req);
    const form = parseForm(filterSchema, req.query);
    if (!form.ok) throw new HttpError(400, 'error.400.message');
    const scopeIds =
      me.role === 'admin'
        ? null
        : me.unitId
          ? [me.unitId, ...(await services.units.descendantIds(me.unitId))]
          : [];
    let unitIds = scopeIds;
    if (form.data.unit) {
      const chosen = [form.data.unit, ...(await services.units.descendantIds(form.data.unit))];
      unitIds = scopeIds === null ? chosen : chosen.filter((id) => scopeIds.includes(id));
    }
    const filter: UserFilter = {
      query: form.data.q || null,
      unitIds,
      // Operators manage signers only: the list shows them nothing else.
      role: me.role === 'admin' ? ((form.data.role || null) as Role | null) : 'signer',
      status: (form.data.status || null) as UserStatus | null,
      headsOnly: form.data.kepala === '1',
      activation: form.data.aktivasi ? ACTIVATION_FILTERS[form.data.aktivasi] : null,
    };
    const page = pageFromQuery(form.data.halaman, await services.users.countMatching(filter), PAGE_SIZE);
    const users = await services.users.search(filter, PAGE_SIZE, page.offset);
    renderAdminPage(res, 'directory/users/list', {
      title: res.locals.t('admin.users.title'),
      users,
      activation: await activationStatuses(services, users),
      page,
      units: await unitsFor(me),
      values: {
        q: form.data.q ?? '',
        unit: form.data.unit ? String(form.data.unit) : '',
        role: form.data.role ?? '',
        status: form.data.status ?? '',
        kepala: form.data.kepala ?? '',
        aktivasi: form.data.aktivasi ?? '',
      },
    });
  });

  /** What the edit page offers this manager for this person (account-access.ts): the view decides nothing. */
  const accessLocals = async (me: User, user: User) => ({
    accessLocked: !(await mayChangeAccess(services.passwordLinks, me, user)),
    linkAllowed: user.status === 'active' && mayIssueLink(me, user),
    linkPurpose: hasTakenOverAccount(user) ? 'reset' : 'invitation',
    // Anonymising (src/directory/anonymise/) is an admin's, for a person already disabled.
    anonymiseAllowed: me.role === 'admin' && user.status === 'disabled' && user.anonymisedAt === null,
  });

  const renderForm = async (
    req: Request,
    res: Response,
    status: number,
    locals: { user?: User; values: object; errors?: object },
  ) =>
    renderAdminPage(res.status(status), 'directory/users/form', {
      title: res.locals.t(locals.user ? 'admin.users.edit_title' : 'admin.users.new_title'),
      units: await unitsFor(manager(req)),
      roles: manager(req).role === 'admin' ? ROLES : (['signer'] as const),
      ...(locals.user ? await accessLocals(manager(req), locals.user) : { accessLocked: false }),
      errors: {},
      ...locals,
    });

  router.get('/baru', (req, res) =>
    renderForm(req, res, 200, {
      values: {
        employee_type: 'PNS',
        role: 'signer',
        unit_id: manager(req).role === 'admin' ? '' : String(manager(req).unitId ?? ''),
      },
    }),
  );

  router.post('/', async (req, res) => {
    const values = keptValues(req.body, USER_FIELDS);
    const form = parseForm(userSchema, req.body);
    if (!form.ok) return renderForm(req, res, 400, { values, errors: form.errors });
    const result = await createUser(services, {
      input: toInput(form.data),
      manager: manager(req),
      actor: actorOf(req),
    });
    if (!result.ok) {
      if (result.reason === 'invalid') return renderForm(req, res, 422, { values, errors: result.errors });
      throw new HttpError(403, 'error.403.message');
    }
    flash(req, 'success', 'admin.users.created');
    res.redirect(303, `/admin/pengguna/${result.userId}`);
  });

  router.get('/:id', async (req, res) => {
    const user = await loadUser(req);
    await renderForm(req, res, 200, { user, values: formValues(user) });
  });

  router.post('/:id', async (req, res) => {
    const user = await loadUser(req);
    // What was typed, but the fields this manager may not change as stored: the form can be saved once corrected.
    const typed = keptValues(req.body, USER_FIELDS);
    const stored = formValues(user);
    const values = (await mayChangeAccess(services.passwordLinks, manager(req), user))
      ? typed
      : { ...typed, nip: stored.nip, email: stored.email };
    const form = parseForm(userSchema, req.body);
    if (!form.ok) return renderForm(req, res, 400, { user, values, errors: form.errors });
    const result = await updateUser(services, {
      userId: user.id,
      input: toInput(form.data),
      manager: manager(req),
      actor: actorOf(req),
    });
    if (!result.ok) {
      if (result.reason === 'invalid')
        return renderForm(req, res, 422, { user, values, errors: result.errors });
      throw notFound();
    }
    if (result.notice) {
      // After the commit, and not awaited: a slow mail server must not hold the page (a failure is in the outbox).
      sendAccessChangeNotices(mailer, [result.notice], { instanceName: res.locals.instance.name }).catch(
        (err: unknown) => req.log?.error({ err }, 'access change notice not recorded'),
      );
    }
    flash(req, 'success', 'admin.users.saved');
    res.redirect(303, `/admin/pengguna/${user.id}`);
  });

  for (const [path, status] of [
    ['nonaktifkan', 'disabled'],
    ['aktifkan', 'active'],
  ] as const) {
    router.post(`/:id/${path}`, async (req, res) => {
      const user = await loadUser(req);
      const result = await setUserStatus(services, {
        userId: user.id,
        status,
        manager: manager(req),
        actor: actorOf(req),
      });
      if (!result.ok && result.reason !== 'unchanged')
        throw new HttpError(409, `admin.users.status_refused.${result.reason}`);
      flash(req, 'success', status === 'disabled' ? 'admin.users.disabled' : 'admin.users.enabled');
      res.redirect(303, `/admin/pengguna/${user.id}`);
    });
  }

  /**
   * Sends the person a link to set a password (an invitation if they never took the account over, else a reset).
   * Without mail (no SMTP, or no email address) the link is shown once, to the admin who asked, on a page nobody
   * caches; an operator's link must be mailable, since a link on screen is a way into someone's account.
   */
  router.post('/:id/tautan-sandi', async (req, res) => {
    const target = await loadUser(req);
    const me = manager(req);
    if (!mayIssueLink(me, target)) throw new HttpError(403, 'admin.users.link_admin_only');
    if (target.status !== 'active') throw new HttpError(409, 'admin.users.link_disabled');
    if (me.role !== 'admin' && (target.email === null || !mailer.delivers)) {
      throw new HttpError(409, 'admin.users.link_not_mailed');
    }
    // Decided again on the record as it is when the link is made: it may have changed since it was loaded.
    const issued = await issuePasswordLink(services, {
      userId: target.id,
      actor: actorOf(req),
      permits: async (user) =>
        user.status === 'active' &&
        (await canManageUser(services, me, user)) &&
        mayIssueLink(me, user) &&
        (me.role === 'admin' || user.email === target.email),
    });
    if (!issued) throw new HttpError(409, 'admin.users.link_changed');
    const { user, purpose, token, expiresAt } = issued;
    const mail = passwordLinkMail({
      user,
      purpose,
      baseUrl: config.baseUrl,
      token,
      instanceName: res.locals.instance.name,
    });
    const mailed = user.email !== null && mailer.delivers && (await mailer.send(mail));
    if (mailed) {
      flash(req, 'success', 'admin.users.link_sent');
      return res.redirect(303, `/admin/pengguna/${user.id}`);
    }
    // Without SMTP the message is kept in the outbox for the record (an SMTP failure is already recorded there).
    if (user.email !== null && !mailer.delivers) await mailer.send(mail);
    if (me.role !== 'admin') throw new HttpError(409, 'admin.users.link_not_mailed');
    res.set('Cache-Control', 'no-store');
    renderAdminPage(res, 'directory/users/link', {
      title: res.locals.t('admin.users.link_title'),
      user,
      link: mail.link,
      expiresAt,
    });
  });

  return router;
}
