import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import { addDays, type TimeZone } from '../core/time-zone.js';
import type { UserRepository } from '../directory/user-repository.js';
import { renderAdminPage } from '../web/admin-layout.js';
import { CSV_CONTENT_TYPE, type CsvValue, writeCsv } from '../web/csv.js';
import { isDayInput } from '../web/datetime-input.js';
import type { Formatter } from '../web/format.js';
import { type FieldErrors, keptValues, parseForm, textField } from '../web/forms.js';
import { requireRole } from '../web/guards.js';
import type { Translate } from '../web/i18n.js';
import { parseId } from '../web/params.js';
import { AUDIT_ACTIONS, type AuditAction } from './actions.js';
import { type DescribedEvent, eventDescriber, labelRequest } from './describe.js';
import type { ActorCandidate, AuditCursor, AuditEvent, AuditFilter, AuditRepository } from './repository.js';

export const PAGE_SIZE = 50;
/** A name search must point at a handful of people, not a crowd. */
export const MAX_ACTOR_CANDIDATES = 20;
const EXPORT_CHUNK = 2000;

const QUERY_FIELDS = [
  'pelaku',
  'cari_pelaku',
  'aksi',
  'sasaran_jenis',
  'sasaran_id',
  'dari',
  'sampai',
  'halaman',
  'format',
] as const;
type QueryField = (typeof QUERY_FIELDS)[number];

// A field the filter form may leave empty ('' from an empty input counts as not given).
const optional = (max: number, valid: (v: string) => boolean, message: string) =>
  textField({ max, required: false })
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || valid(v), { message });

const filterSchema = z.object({
  pelaku: optional(20, (v) => v === 'sistem' || parseId(v) !== null, 'admin.audit.filter.bad_actor'),
  cari_pelaku: optional(100, (v) => v.length >= 3, 'admin.audit.filter.search_too_short'),
  aksi: optional(
    60,
    (v) => (AUDIT_ACTIONS as readonly string[]).includes(v),
    'admin.audit.filter.bad_action',
  ),
  sasaran_jenis: optional(40, (v) => /^[a-z][a-z_]*$/.test(v), 'admin.audit.filter.bad_target_type'),
  sasaran_id: optional(20, (v) => parseId(v) !== null, 'admin.audit.filter.bad_id'),
  dari: optional(10, isDayInput, 'admin.audit.filter.bad_date'),
  sampai: optional(10, isDayInput, 'admin.audit.filter.bad_date'),
  halaman: optional(6, (v) => /^[1-9]\d{0,5}$/.test(v), 'admin.audit.filter.bad_page'),
  format: optional(10, (v) => v === 'csv', 'admin.audit.filter.bad_format'),
});
type FilterQuery = z.infer<typeof filterSchema>;

/** Rules across fields, once each field is valid on its own. */
function crossFieldErrors(query: FilterQuery): FieldErrors {
  const errors: FieldErrors = {};
  if (query.sasaran_id && !query.sasaran_jenis)
    errors.sasaran_jenis = 'admin.audit.filter.target_type_needed';
  // Both are YYYY-MM-DD, which compare as text.
  if (query.dari && query.sampai && query.dari > query.sampai)
    errors.sampai = 'admin.audit.filter.date_order';
  return errors;
}

type ActorChoice =
  | { kind: 'any' }
  | { kind: 'system' }
  | { kind: 'user'; id: number; name: string | null }
  | { kind: 'search'; candidates: ActorCandidate[] };

/** The query string of the audit page for these values (empty ones left out). */
function hrefFor(values: Partial<Record<QueryField, string | undefined>>): string {
  const query = new URLSearchParams();
  for (const field of QUERY_FIELDS) {
    const value = values[field];
    if (value) query.set(field, value);
  }
  const text = query.toString();
  return text ? `/admin/audit?${text}` : '/admin/audit';
}

/**
 * /admin/audit: the audit log, filtered, paged and exported as CSV. Admins only: it holds everyone's IP addresses.
 * Days in the filter are days of the instance's time zone, and the CSV gives each time on its clocks and in UTC.
 */
export function auditAdminRoutes(services: {
  audit: AuditRepository;
  clock: Clock;
  timeZone: TimeZone;
  users: UserRepository;
}): Router {
  const zone = services.timeZone;
  const router = Router();
  router.use(requireRole('admin'));

  const render = (
    res: Response,
    status: number,
    locals: {
      values: Record<string, string>;
      errors?: FieldErrors;
      events?: (AuditEvent & DescribedEvent)[];
      actor?: ActorChoice;
      page?: number;
      hasNext?: boolean;
    },
  ) => {
    const page = locals.page ?? 1;
    const values = locals.values;
    const filterValues = { ...values, halaman: undefined, format: undefined };
    renderAdminPage(res.status(status), 'audit/list', {
      title: res.locals.t('admin.audit.title'),
      actions: AUDIT_ACTIONS,
      errors: locals.errors ?? {},
      values,
      actor: locals.actor ?? { kind: 'any' },
      events: locals.events ?? [],
      page,
      pageSize: PAGE_SIZE,
      prevHref:
        page > 1 ? hrefFor({ ...filterValues, halaman: page > 2 ? String(page - 1) : undefined }) : null,
      nextHref: locals.hasNext ? hrefFor({ ...filterValues, halaman: String(page + 1) }) : null,
      csvHref: hrefFor({ ...filterValues, format: 'csv' }),
      // Links in the table narrow the current filter to one actor or one target.
      actorHref: (id: number | null) =>
        hrefFor({ ...filterValues, cari_pelaku: undefined, pelaku: id === null ? 'sistem' : String(id) }),
      targetHref: (type: string, id: string) =>
        hrefFor({ ...filterValues, sasaran_jenis: type, sasaran_id: parseId(id) === null ? undefined : id }),
      clearActorHref: hrefFor({ ...filterValues, pelaku: undefined, cari_pelaku: undefined }),
    });
  };

  router.get('/', async (req, res) => {
    const values = keptValues(req.query, QUERY_FIELDS);
    const parsed = parseForm(filterSchema, req.query);
    const errors = parsed.ok ? crossFieldErrors(parsed.data) : parsed.errors;
    if (!parsed.ok || Object.keys(errors).length > 0) return render(res, 400, { values, errors });
    const query = parsed.data;

    // Who: a search by name, email or NIP (it wins over a chosen actor), a chosen user, the system, or anyone.
    let actor: ActorChoice = { kind: 'any' };
    const filter: AuditFilter = {};
    if (query.cari_pelaku) {
      const candidates = (
        await services.audit.actorCandidates(query.cari_pelaku, MAX_ACTOR_CANDIDATES + 1)
      ).sort((a, b) => a.fullName.localeCompare(b.fullName, 'id') || a.id - b.id);
      actor = { kind: 'search', candidates: candidates.slice(0, MAX_ACTOR_CANDIDATES) };
      if (candidates.length > MAX_ACTOR_CANDIDATES) {
        return render(res, 400, {
          values,
          errors: { cari_pelaku: 'admin.audit.filter.search_too_broad' },
          actor,
        });
      }
      filter.actorIds = candidates.map((c) => c.id);
    } else if (query.pelaku === 'sistem') {
      actor = { kind: 'system' };
      filter.systemActor = true;
    } else if (query.pelaku) {
      const id = parseId(query.pelaku) as number;
      actor = { kind: 'user', id, name: (await services.users.findById(id))?.fullName ?? null };
      filter.actorIds = [id];
    }
    if (query.aksi) filter.action = query.aksi as AuditAction;
    if (query.sasaran_jenis) filter.targetType = query.sasaran_jenis;
    if (query.sasaran_id) filter.targetId = query.sasaran_id;
    // From the first moment of `dari` up to (not including) the first moment of the day after `sampai`.
    if (query.dari) filter.from = (zone.instantOf(query.dari) as Date).toISOString();
    if (query.sampai) filter.to = (zone.instantOf(addDays(query.sampai, 1)) as Date).toISOString();

    if (query.format === 'csv') return sendCsv(req, res, filter);

    const page = query.halaman ? Number(query.halaman) : 1;
    const found = await services.audit.search(filter, {
      limit: PAGE_SIZE + 1,
      offset: (page - 1) * PAGE_SIZE,
    });
    const shown = found.slice(0, PAGE_SIZE);
    // Names for the ids the rows mention, looked up once per kind of record for the whole page.
    const describe = eventDescriber(
      await services.audit.labelsFor(labelRequest(shown)),
      res.locals.t as Translate,
      res.locals.fmt as Formatter,
    );
    render(res, 200, {
      values,
      actor,
      events: shown.map((event) => ({ ...event, ...describe(event) })),
      page,
      hasNext: found.length > PAGE_SIZE,
    });
  });

  /**
   * Every filtered event, newest first, read in chunks after a cursor (a long export never holds the database
   * connection, and a million events never sit in memory at once) and written as the client takes them.
   */
  async function sendCsv(req: Request, res: Response, filter: AuditFilter): Promise<void> {
    const t = res.locals.t as Translate;
    const fmt = res.locals.fmt as Formatter;
    const stamp = zone.stamp(services.clock.now()).replace(/[-:]/g, '').replace(' ', '-');
    res.status(200);
    res.set('Content-Type', CSV_CONTENT_TYPE);
    res.set('Content-Disposition', `attachment; filename="log-audit-${stamp.slice(0, 13)}.csv"`);
    const header = [
      'at_local',
      'at_utc',
      'actor_id',
      'actor',
      'action',
      'action_label',
      'target_type',
      'target_id',
      'target_label',
      'ip',
      'user_agent',
      'details_text',
      'details',
    ].map((column) => t(`admin.audit.csv.${column}`, { zone: zone.label }));
    async function* rows(): AsyncGenerator<CsvValue[]> {
      let after: AuditCursor | null = null;
      for (;;) {
        const chunk = await services.audit.searchAfter(filter, after, EXPORT_CHUNK);
        const describe = eventDescriber(await services.audit.labelsFor(labelRequest(chunk)), t, fmt);
        for (const event of chunk) {
          const described = describe(event);
          yield [
            zone.stamp(event.at),
            event.at,
            event.actorUserId,
            event.actorUserId === null ? t('admin.recent.system') : event.actorName,
            event.action,
            t(`audit.${event.action}`),
            event.targetType,
            event.targetId,
            described.targetLabel?.text ?? null,
            event.ip,
            event.userAgent,
            described.detailItems.map((item) => `${item.label}: ${item.value}`).join('; '),
            described.detailsJson,
          ];
        }
        if (chunk.length < EXPORT_CHUNK) return;
        const last = chunk[chunk.length - 1] as AuditEvent;
        after = { at: last.at, id: last.id };
      }
    }
    try {
      await writeCsv(res, header, rows(), t.language);
    } catch (err) {
      // The reader went away mid-download: nothing left to answer.
      req.log?.warn({ err }, 'audit export ended early');
    }
  }

  return router;
}
