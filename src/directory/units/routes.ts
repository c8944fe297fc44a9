import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { actorOf } from '../../audit/actor.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import { sharedTimeZone, type TimeZone } from '../../core/time-zone.js';
import type { Db } from '../../db/database.js';
import { renderAdminPage } from '../../web/admin-layout.js';
import { isDayInput } from '../../web/datetime-input.js';
import { flash } from '../../web/flash.js';
import {
  choiceField,
  type FieldErrors,
  keptValues,
  optionalIdField,
  parseForm,
  textField,
} from '../../web/forms.js';
import { requireRole } from '../../web/guards.js';
import { notFound } from '../../web/http-error.js';
import { parseId } from '../../web/params.js';
import { MAX_LENGTH } from '../field-limits.js';
import { HEAD_KINDS, type HeadAppointment } from '../head-kind.js';
import type { Unit } from '../types.js';
import type { UnitRepository } from '../unit-repository.js';
import { inUnitScope, type UnitScope, unitScopeOf } from '../unit-scope.js';
import { UNIT_TIME_ZONES, type UnitZoneLookup, zoneOfUnit } from '../unit-time-zone.js';
import type { UserRepository } from '../user-repository.js';
import { createUnit } from './create-unit.js';
import type { UnitInput } from './input.js';
import { UNIT_KINDS } from './kinds.js';
import { loadReferenceSet } from './load-reference-units.js';
import { moveUnit } from './move-unit.js';
import { setUnitActive } from './set-unit-active.js';
import { setUnitHead } from './set-unit-head.js';
import { updateUnit } from './update-unit.js';

declare module 'express-session' {
  interface SessionData {
    /** How many units the last reference load added, shown once on the units page (a flash with a number). */
    unitsReferenceAdded?: number;
  }
}

const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

const unitSchema = z.object({
  code: textField({ max: MAX_LENGTH.unitCode, label: 'admin.units.form.code' }).refine(
    (v) => CODE_PATTERN.test(v),
    { message: 'admin.units.form.code_format' },
  ),
  name: textField({ max: 200, label: 'admin.units.form.name' }),
  // The select's "Pilih jenis unit" sends '': wajib diisi, like a missing field.
  kind: textField({ max: 20, label: 'admin.units.form.kind' }).pipe(
    choiceField(UNIT_KINDS, 'admin.units.form.kind'),
  ),
  // The select is always sent ('' = follow the parent); which zones are allowed is the operations' rule (a 422).
  time_zone: textField({ max: 40, required: false, label: 'admin.units.form.time_zone' }),
});

const newUnitSchema = unitSchema.extend({ parent_id: optionalIdField('admin.units.form.parent').optional() });
// The select is always sent; a POST without it is refused rather than taken for "move to the top".
const moveSchema = z.object({ parent_id: optionalIdField('admin.units.form.parent') });
// The kind, day and decree fields may be missing from a POST (it then sets a definitive head, as before they existed);
// whether an acting head has a day and a decree, and the day is past, are the operation's rules (a 422).
const headSchema = z.object({
  head_user_id: optionalIdField('admin.units.head.field'),
  head_kind: z.enum(HEAD_KINDS, { error: 'admin.units.head.kind_invalid' }).optional(),
  head_since: textField({ max: 10, required: false, label: 'admin.units.head.since' })
    .refine((v) => v === '' || isDayInput(v), { message: 'admin.units.head.since_invalid' })
    .optional(),
  head_decree: textField({ max: MAX_LENGTH.headDecree, required: false, label: 'admin.units.head.decree' })
    .refine((v) => v === '' || /\d/.test(v), { message: 'admin.units.head.decree_invalid' })
    .optional(),
});

const HEAD_FIELDS = ['head_user_id', 'head_kind', 'head_since', 'head_decree'] as const;

const toAppointment = (data: z.infer<typeof headSchema>): HeadAppointment => ({
  kind: data.head_kind ?? 'definitif',
  since: data.head_since || null,
  decree: data.head_decree || null,
});

const UNIT_FIELDS = ['code', 'name', 'kind', 'time_zone', 'parent_id'] as const;

const toInput = (data: z.infer<typeof unitSchema>): UnitInput => ({
  code: data.code,
  name: data.name,
  kind: data.kind,
  timeZone: data.time_zone === '' ? null : data.time_zone,
});

/** 'WIT (Asia/Jayapura)': a zone as the unit form and page name it. */
const zoneName = (zone: TimeZone): string => `${zone.label} (${zone.id})`;

/** A refusal shown as a notice on the unit page: a catalogue key and its parameters. */
interface Notice {
  key: string;
  params?: Record<string, string | number>;
}

/**
 * /admin/unit: the tree of units. Admins see and manage every unit; an operator sees the subtree of their own unit
 * and may choose the head of any unit in it. Creating, editing, moving, (de)activating units and loading reference
 * sets are for admins only. A unit outside an operator's subtree is answered with 404, as if it did not exist.
 */
export function unitAdminRoutes(services: {
  audit: AuditRepository;
  clock: Clock;
  db: Db;
  timeZone: TimeZone;
  units: UnitRepository;
  unitTimeZones: UnitZoneLookup;
  users: UserRepository;
}): Router {
  const router = Router();
  const adminOnly = requireRole('admin');

  const scopeOf = (req: Request): UnitScope => unitScopeOf(req.user as Express.User);

  const loadUnit = async (req: Request): Promise<Unit> => {
    const id = parseId(req.params.id);
    const unit = id ? await services.units.findById(id) : undefined;
    if (!unit || !(await inUnitScope(services, scopeOf(req), unit.id))) throw notFound();
    return unit;
  };

  /** Back to the unit's page after a change, saying what changed or that nothing needed to. */
  const backToUnit = (req: Request, res: Response, unit: Unit, changed: boolean, changedKey: string) => {
    flash(req, changed ? 'success' : 'info', changed ? changedKey : 'admin.units.unchanged');
    res.redirect(303, `/admin/unit/${unit.id}`);
  };

  /** The kind's label, or the stored kind itself for one outside the list (data loaded before the list existed). */
  const kindLabel =
    (res: Response) =>
    (kind: string): string =>
      (UNIT_KINDS as readonly string[]).includes(kind) ? res.locals.t(`unit.kind.${kind}`) : kind;

  const renderForm = async (
    res: Response,
    status: number,
    locals: { unit?: Unit; values: Record<string, string>; errors?: FieldErrors },
  ) =>
    renderAdminPage(res.status(status), 'directory/units/form', {
      title: res.locals.t(locals.unit ? 'admin.units.form.edit_title' : 'admin.units.form.new_title'),
      kinds: UNIT_KINDS,
      kindLabel: kindLabel(res),
      timeZones: UNIT_TIME_ZONES.map((id) => ({ id, name: zoneName(sharedTimeZone(id)) })),
      instanceZone: services.timeZone.label,
      parents: locals.unit ? [] : await services.units.listActive(),
      errors: {},
      ...locals,
    });

  const renderUnit = async (
    req: Request,
    res: Response,
    status: number,
    unit: Unit,
    locals: { errors?: FieldErrors; values?: Record<string, string>; notices?: Notice[] } = {},
  ) => {
    const scope = scopeOf(req);
    const isAdmin = scope.kind === 'all';
    const ancestors: { unit: Unit; reachable: boolean }[] = [];
    for (const id of (await services.units.ancestorIds(unit.id)).reverse()) {
      const u = await services.units.findById(id);
      if (u !== undefined) ancestors.push({ unit: u, reachable: await inUnitScope(services, scope, u.id) });
    }
    const head = unit.headUserId === null ? undefined : await services.users.findById(unit.headUserId);
    const excluded = new Set([unit.id, ...(await services.units.descendantIds(unit.id))]);
    renderAdminPage(res.status(status), 'directory/units/show', {
      title: unit.name,
      unit,
      isAdmin,
      kindLabel: kindLabel(res),
      headKinds: HEAD_KINDS,
      // The unit's own zone, or the one it follows (its nearest ancestor's, or the instance's).
      zone: { name: zoneName(await zoneOfUnit(services, unit.id)), own: unit.timeZone !== null },
      ancestors,
      head: head && {
        fullName: head.fullName,
        stale: (await services.units.headFor(unit.id)) !== head.id,
      },
      // Operators manage signers only: they may choose the head among them, and see no one else here.
      members: (await services.units.activeMembers(unit.id)).filter(
        (member) => isAdmin || member.role === 'signer',
      ),
      activeUsers: await services.units.countActiveMembers(unit.id),
      activeChildren: await services.units.countActiveChildren(unit.id),
      children: (await services.units.tree(unit.id)).filter((entry) => entry.depth === 1),
      // Where it may move: not under itself or its subtree; an active unit only under an active one.
      parents: isAdmin
        ? (unit.active ? await services.units.listActive() : await services.units.listAll()).filter(
            (u) => !excluded.has(u.id),
          )
        : [],
      notices: [],
      errors: {},
      ...locals,
      values: {
        parent_id: unit.parentId === null ? '' : String(unit.parentId),
        head_user_id: unit.headUserId === null ? '' : String(unit.headUserId),
        head_kind: unit.headKind,
        head_since: unit.headSince ?? '',
        head_decree: unit.headDecree ?? '',
        ...locals.values,
      },
    });
  };

  router.get('/', async (req, res) => {
    const scope = scopeOf(req);
    const added = req.session.unitsReferenceAdded;
    if (added !== undefined) delete req.session.unitsReferenceAdded;
    const units =
      scope.kind === 'all'
        ? await services.units.tree(null)
        : scope.rootId
          ? await services.units.tree(scope.rootId)
          : [];
    renderAdminPage(res, 'directory/units/list', {
      title: res.locals.t('admin.units.title'),
      units,
      isAdmin: scope.kind === 'all',
      noScope: scope.kind === 'subtree' && scope.rootId === null,
      kindLabel: kindLabel(res),
      referenceAdded: added,
    });
  });

  router.get('/baru', adminOnly, async (_req, res) => {
    await renderForm(res, 200, { values: { code: '', name: '', kind: '', time_zone: '', parent_id: '' } });
  });

  router.post('/', adminOnly, async (req, res) => {
    const values = keptValues(req.body, UNIT_FIELDS);
    const form = parseForm(newUnitSchema, req.body);
    if (!form.ok) return renderForm(res, 400, { values, errors: form.errors });
    const result = await createUnit(services, {
      input: toInput(form.data),
      parentId: form.data.parent_id ?? null,
      actor: actorOf(req),
    });
    if (!result.ok) return renderForm(res, 422, { values, errors: result.errors });
    flash(req, 'success', 'admin.units.created');
    res.redirect(303, `/admin/unit/${result.unitId}`);
  });

  router.post('/muat-referensi', adminOnly, async (req, res) => {
    const { added } = await loadReferenceSet(services, { set: 'jateng-kabkota', actor: actorOf(req) });
    req.session.unitsReferenceAdded = added;
    res.redirect(303, '/admin/unit');
  });

  router.get('/:id', async (req, res) => {
    await renderUnit(req, res, 200, await loadUnit(req));
  });

  router.get('/:id/ubah', adminOnly, async (req, res) => {
    const unit = await loadUnit(req);
    await renderForm(res, 200, {
      unit,
      values: { code: unit.code, name: unit.name, kind: unit.kind, time_zone: unit.timeZone ?? '' },
    });
  });

  router.post('/:id', adminOnly, async (req, res) => {
    const unit = await loadUnit(req);
    const values = keptValues(req.body, UNIT_FIELDS);
    const form = parseForm(unitSchema, req.body);
    if (!form.ok) return renderForm(res, 400, { unit, values, errors: form.errors });
    const result = await updateUnit(services, {
      unitId: unit.id,
      input: toInput(form.data),
      actor: actorOf(req),
    });
    if (!result.ok && result.reason === 'invalid') {
      return renderForm(res, 422, { unit, values, errors: result.errors });
    }
    if (!result.ok) throw notFound();
    backToUnit(req, res, unit, result.changed, 'admin.units.saved');
  });

  router.post('/:id/pindah', adminOnly, async (req, res) => {
    const unit = await loadUnit(req);
    const values = keptValues(req.body, ['parent_id']);
    const form = parseForm(moveSchema, req.body);
    if (!form.ok) return renderUnit(req, res, 400, unit, { values, errors: form.errors });
    const result = await moveUnit(services, {
      unitId: unit.id,
      parentId: form.data.parent_id,
      actor: actorOf(req),
    });
    if (!result.ok && result.reason === 'invalid') {
      return renderUnit(req, res, 422, unit, { values, errors: result.errors });
    }
    if (!result.ok) throw notFound();
    backToUnit(req, res, unit, result.changed, 'admin.units.moved');
  });

  router.post('/:id/nonaktifkan', adminOnly, async (req, res) => {
    const unit = await loadUnit(req);
    const result = await setUnitActive(services, { unitId: unit.id, active: false, actor: actorOf(req) });
    if (!result.ok && result.reason === 'in_use') {
      const notices: Notice[] = [];
      if (result.activeUsers > 0) {
        notices.push({ key: 'admin.units.deactivate_has_users', params: { n: result.activeUsers } });
      }
      if (result.activeChildren > 0) {
        notices.push({ key: 'admin.units.deactivate_has_children', params: { n: result.activeChildren } });
      }
      return renderUnit(req, res, 409, unit, { notices });
    }
    if (!result.ok) throw notFound();
    backToUnit(req, res, unit, result.changed, 'admin.units.deactivated');
  });

  router.post('/:id/aktifkan', adminOnly, async (req, res) => {
    const unit = await loadUnit(req);
    const result = await setUnitActive(services, { unitId: unit.id, active: true, actor: actorOf(req) });
    if (!result.ok && result.reason === 'parent_inactive') {
      return renderUnit(req, res, 409, unit, {
        notices: [{ key: 'admin.units.reactivate_parent_inactive' }],
      });
    }
    if (!result.ok) throw notFound();
    backToUnit(req, res, unit, result.changed, 'admin.units.reactivated');
  });

  router.post('/:id/kepala', async (req, res) => {
    const unit = await loadUnit(req);
    const values = keptValues(req.body, HEAD_FIELDS);
    const form = parseForm(headSchema, req.body);
    if (!form.ok) return renderUnit(req, res, 400, unit, { values, errors: form.errors });
    const userId = form.data.head_user_id;
    const result = await setUnitHead(services, {
      unitId: unit.id,
      userId,
      appointment: toAppointment(form.data),
      scope: scopeOf(req),
      actor: actorOf(req),
    });
    if (!result.ok && result.reason === 'invalid') {
      return renderUnit(req, res, 422, unit, { values, errors: result.errors });
    }
    if (!result.ok) throw notFound();
    const saved = userId === null ? 'admin.units.head_cleared' : 'admin.units.head_saved';
    backToUnit(req, res, unit, result.changed, saved);
  });

  return router;
}
