import { type Request, type Response, Router } from 'express';
import { actorOf } from '../audit/actor.js';
import type { AuditRepository } from '../audit/repository.js';
import type { ComplianceCache } from '../compliance/compliance-cache.js';
import type { PeopleRepository } from '../compliance/people-repository.js';
import type { UnitCompliance } from '../compliance/summary.js';
import { orderParams, sortLinks, UNIT_SORTS } from '../compliance/unit-order.js';
import type { Clock } from '../core/clock.js';
import { bytesWritten } from '../core/streams.js';
import type { TimeZone } from '../core/time-zone.js';
import { activationStatuses } from '../credentials/activation-status.js';
import type { PasswordLinkRepository } from '../credentials/password-link-repository.js';
import type { User } from '../directory/types.js';
import type { UnitRepository } from '../directory/unit-repository.js';
import { unitScopeOf } from '../directory/unit-scope.js';
import type { UserRepository } from '../directory/user-repository.js';
import type { ExemptionRepository } from '../pledges/exemptions/exemption-repository.js';
import { pactLoader } from '../pledges/pact-loader.js';
import type { PactRepository } from '../pledges/pact-repository.js';
import { type Pact, takesRecords } from '../pledges/types.js';
import type { ReminderRepository, ReminderRun } from '../reminders/reminder-repository.js';
import { deliverRun, type ReminderSender, requestReminders } from '../reminders/send-reminders.js';
import { isExtensionSlot, slotOffset } from '../reminders/slots.js';
import type { InstanceSeal } from '../seal/instance-seal.js';
import type { InstanceSettings } from '../settings/instance.js';
import { renderAdminPage } from '../web/admin-layout.js';
import { CSV_CONTENT_TYPE } from '../web/csv.js';
import { flash } from '../web/flash.js';
import { HttpError, notFound } from '../web/http-error.js';
import type { Translate } from '../web/i18n.js';
import { pageFromQuery } from '../web/pagination.js';
import { parseId } from '../web/params.js';
import type { ReportExport } from './exports/columns.js';
import { reportCsv, writeDetailCsv } from './exports/csv.js';
import { writeReportPdf, writeUnitPeoplePdf } from './exports/pdf.js';
import { writeReportXlsx } from './exports/xlsx.js';
import { recordPeopleExport } from './record-people-export.js';
import { buildReport, reportQuery } from './report.js';
import { reportRowsHtml } from './rows-html.js';
import { outstandingPeoplePage, signingsPage } from './unit-people.js';
import { unitsVisibleTo } from './visible-units.js';

const EXPORT_TYPES = {
  csv: CSV_CONTENT_TYPE,
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const;
type ExportFormat = keyof typeof EXPORT_TYPES;

/** `?format=`: absent for the page itself; an unknown format is a 400. */
function exportFormat(value: unknown): ExportFormat | null {
  if (value === undefined || value === '') return null;
  if (typeof value === 'string' && Object.hasOwn(EXPORT_TYPES, value)) return value as ExportFormat;
  throw new HttpError(400, 'compliance.report.bad_format');
}

const REMINDER_RUNS_SHOWN = 20;

/**
 * Units on one page of the report. A province (87 units) fits on one; the nation (603) is seven, most behind first,
 * so the page an admin clicks back to is a tenth of the whole table (the exports have every row).
 */
const REPORT_PAGE_SIZE = 100;

/**
 * Where "Kirim pengingat" may lead back to instead of the report (the form's `kembali`): a fixed list of our own
 * pages, so that the form can never send anyone to an address it carries (an open redirect). Any other value is
 * ignored and the report is shown.
 */
const REMIND_RETURNS: Readonly<Record<string, string>> = { dasbor: '/admin' };

/** What the requester reads after pressing "Kirim pengingat": how many go, and why the others do not. */
function flashRunOutcome(req: Request, run: ReminderRun): void {
  if (run.outstanding === 0) {
    flash(req, 'info', 'reminders.flash.none_outstanding');
    return;
  }
  if (run.recipients > 0) {
    flash(req, 'success', 'reminders.flash.sending', { count: run.recipients });
  } else if (run.alreadyReminded > 0) {
    flash(req, 'warning', 'reminders.flash.all_reminded_today', { count: run.alreadyReminded });
  }
  if (run.recipients > 0 && run.alreadyReminded > 0) {
    flash(req, 'info', 'reminders.flash.some_reminded_today', { count: run.alreadyReminded });
  }
  if (run.noEmail > 0) flash(req, 'warning', 'reminders.flash.no_email', { count: run.noEmail });
}

/**
 * /admin/kepatuhan: the compliance report of each pact and its drill-down per unit. Admins see every unit;
 * operators the units of their own subtree, and a unit outside it is a 404 like a unit that does not exist.
 */
export function complianceAdminRoutes(
  services: {
    audit: AuditRepository;
    clock: Clock;
    complianceCache: ComplianceCache;
    compliancePeople: PeopleRepository;
    pacts: PactRepository;
    exemptions: ExemptionRepository;
    passwordLinks: PasswordLinkRepository;
    reminders: ReminderRepository;
    instanceSettings: () => Promise<InstanceSettings>;
    seal: InstanceSeal;
    timeZone: TimeZone;
    units: UnitRepository;
    users: UserRepository;
  },
  reminders: ReminderSender,
): Router {
  const router = Router();

  const loadPact = pactLoader(services.pacts, { param: 'pactId', drafts: 'hidden' });

  const visibleUnits = (req: Request, pact: Pact) => unitsVisibleTo(services, req.user as User, pact);

  /** Reminders go out while people can sign: the pact open, its period begun and its deadline not yet passed. */
  const canRemind = (pact: Pact) => {
    const now = services.clock.now().getTime();
    return pact.status === 'open' && Date.parse(pact.opensAt) <= now && now <= Date.parse(pact.deadline);
  };

  /** An operator's subtree root (what their "every unit" means); null for an admin, who sees every unit. */
  const scopeRootOf = (req: Request): number | null => {
    const scope = unitScopeOf(req.user as User);
    return scope.kind === 'all' ? null : scope.rootId;
  };

  /** The pact's latest reminder runs that this person may see (an operator: within their subtree, see recentRuns). */
  const remindersVisibleTo = async (req: Request, pact: Pact) => {
    const all = unitScopeOf(req.user as User).kind === 'all';
    const unitIds = all ? null : (await visibleUnits(req, pact)).map((unit) => unit.unitId);
    return (await services.reminders.recentRuns(pact.id, REMINDER_RUNS_SHOWN, unitIds)).map((run) => ({
      ...run,
      offset: slotOffset(run.slot),
      extension: isExtensionSlot(run.slot),
    }));
  };

  router.get('/', async (req, res) => {
    const pacts = [
      ...(await services.pacts.listByStatus('open')),
      ...(await services.pacts.listByStatus('closed')),
    ];
    const reports = [];
    for (const pact of pacts) {
      reports.push({
        pact,
        totals: buildReport(pact, await visibleUnits(req, pact), reportQuery({})).totals,
      });
    }
    renderAdminPage(res, 'reports/index', {
      title: res.locals.t('compliance.report.title'),
      reports,
      now: services.clock.now(),
    });
  });

  /**
   * `?format=csv|xlsx|pdf`: the same rows as the page, as a file. CSV is the unit table (or, for one unit, its
   * people); XLSX has both sheets; PDF is the printable table (for one unit, its people). Streams are written as
   * they are produced.
   */
  const sendExport = async (
    req: Request,
    res: Response,
    format: ExportFormat,
    report: ReportExport,
    /** The file name before its date (the local day it was made) and extension. */
    stem: string,
    detailOnly: boolean,
  ) => {
    const name = `${stem}-${services.timeZone.dayOf(report.generatedAt)}`;
    const people = () =>
      services.compliancePeople.detail(
        report.pact.id,
        report.units.map((unit) => unit.unitId),
      );
    const t: Translate = res.locals.t;
    await recordPeopleExport(services, req, { report, format, detailOnly });
    res.attachment(`${name}.${format}`).type(EXPORT_TYPES[format]).set('Cache-Control', 'no-store');
    if (format === 'pdf') {
      // Made whole in memory (its pages are anyway, for "Halaman N dari M"), then sealed with the instance's
      // certificate (PAdES) and sent.
      const pdf = await bytesWritten((out) =>
        detailOnly ? writeUnitPeoplePdf(report, people(), out, t) : writeReportPdf(report, out, t),
      );
      res.send(await services.seal.sealPdf(pdf, { t }));
      return;
    }
    try {
      if (format === 'csv' && !detailOnly) res.send(reportCsv(report, t));
      else if (format === 'csv') await writeDetailCsv(people(), res, report.zone, t);
      else await writeReportXlsx(report, people(), res, t);
    } catch (err) {
      // The reader went away mid-download: nothing left to answer.
      req.log?.warn({ err }, 'compliance export ended early');
    }
  };

  const exportOf = async (
    pact: Pact,
    totals: ReportExport['summary'],
    units: readonly UnitCompliance[],
  ): Promise<ReportExport> => ({
    instance: await services.instanceSettings(),
    pact,
    summary: totals,
    units,
    generatedAt: services.clock.now(),
    zone: services.timeZone,
  });

  router.get('/:pactId', async (req, res) => {
    const pact = await loadPact(req);
    const query = reportQuery(req.query);
    const format = exportFormat(req.query.format);
    const report = buildReport(pact, await visibleUnits(req, pact), query);
    if (format) {
      const stem = `kepatuhan-${pact.id}-v${pact.version}`;
      return sendExport(req, res, format, await exportOf(pact, report.totals, report.rows), stem, false);
    }
    const page = pageFromQuery(req.query.halaman, report.rows.length, REPORT_PAGE_SIZE);
    const filters = Object.fromEntries(
      Object.entries({
        status: query.status === 'semua' ? '' : query.status,
        q: query.search,
        jenis: query.kind ?? '',
      }).filter(([, value]) => value !== ''),
    );
    renderAdminPage(res, 'reports/report', {
      title: pact.title,
      printWide: true,
      pact,
      report,
      page,
      rowsHtml: await reportRowsHtml(res, report, page, {
        pact,
        rows: report.rows.slice(page.offset, page.offset + page.size),
      }),
      query,
      // The filters and the order as URL parameters, which the sort links, pages and downloads keep.
      filters,
      ordered: orderParams(query),
      sortLinks: sortLinks(query, UNIT_SORTS, filters),
      now: services.clock.now(),
      reminderRuns: await remindersVisibleTo(req, pact),
      canRemind: canRemind(pact),
      canRecordPaper: takesRecords(pact),
    });
  });

  router.get('/:pactId/unit/:unitId', async (req, res) => {
    const pact = await loadPact(req);
    const unitId = parseId(req.params.unitId);
    const unit = (await visibleUnits(req, pact)).find((u) => u.unitId === unitId);
    if (!unit) throw notFound();
    const format = exportFormat(req.query.format);
    if (format) {
      return sendExport(
        req,
        res,
        format,
        await exportOf(pact, unit, [unit]),
        `kepatuhan-${pact.id}-${unit.code}`,
        true,
      );
    }
    const onlyNotActivated = req.query.aktivasi === 'belum';
    const outstanding = await outstandingPeoplePage(services, pact.id, unit.unitId, {
      requested: req.query.halaman,
      notActivated: onlyNotActivated,
    });
    const listed = await services.users.findByIds(outstanding.items.map((person) => person.userId));
    const signings = await signingsPage(services, pact.id, unit.unitId, req.query.halaman_ttd);
    renderAdminPage(res, 'reports/unit', {
      title: unit.name,
      printWide: true,
      pact,
      unit,
      outstanding: outstanding.items,
      outstandingPage: outstanding.page,
      activation: await activationStatuses(services, listed),
      exemptions: await services.exemptions.ofUnit(pact.id, unit.unitId),
      canExempt: takesRecords(pact),
      // Whom this viewer may excuse: anyone for an admin, the signers for an operator (canManageUser's rule).
      exemptable: new Set(
        listed
          .filter((person) => (req.user as User).role === 'admin' || person.role === 'signer')
          .map((person) => person.id),
      ),
      outstandingCount: unit.unsigned,
      onlyNotActivated,
      lastReminded: await services.reminders.lastReminded(
        pact.id,
        outstanding.items.map((person) => person.userId),
      ),
      signings: signings.items,
      signingsPage: signings.page,
      canRemind: canRemind(pact),
    });
  });

  /**
   * "Kirim pengingat": mail the outstanding people of one unit (`unit`) or of every unit the requester may see.
   * The mails are claimed before the answer (so it can say how many go, and who was already reminded today) and
   * sent after it; the run on the report shows their progress. Back on the report (or the unit's page), or on the
   * page named by `kembali` when it is one of REMIND_RETURNS (the dashboard).
   */
  router.post('/:pactId/pengingat', async (req, res) => {
    const pact = await loadPact(req);
    if (!canRemind(pact)) throw new HttpError(409, 'reminders.not_open');
    const units = await visibleUnits(req, pact);
    const requested = req.body?.unit;
    let unitId: number | null = null;
    if (requested !== undefined && requested !== '') {
      unitId = parseId(requested);
      if (unitId === null || !units.some((unit) => unit.unitId === unitId)) throw notFound();
    }
    const run = await requestReminders(reminders, {
      pact,
      units: unitId === null ? units : units.filter((unit) => unit.unitId === unitId),
      unitId,
      scopeUnitId: scopeRootOf(req),
      actor: { ...actorOf(req), userId: (req.user as User).id },
    });
    flashRunOutcome(req, run);
    deliverRun(reminders, run.id).catch((err: unknown) =>
      req.log?.error({ err, run: run.id }, 'reminders not all sent; a later tick takes the rest over'),
    );
    const back = req.body?.kembali;
    res.redirect(
      303,
      typeof back === 'string' && Object.hasOwn(REMIND_RETURNS, back)
        ? (REMIND_RETURNS[back] as string)
        : `/admin/kepatuhan/${pact.id}${unitId === null ? '' : `/unit/${unitId}`}#pengingat`,
    );
  });

  return router;
}
