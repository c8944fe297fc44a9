import { type Request, type Response, Router } from 'express';
import type { User } from '../directory/types.js';
import type { Pact } from '../pledges/types.js';
import type { Services } from '../services.js';
import { readInstanceSettings } from '../settings/instance.js';
import { CSV_CONTENT_TYPE } from '../web/csv.js';
import { HttpError, notFound } from '../web/http-error.js';
import { parseId } from '../web/params.js';
import { buildReport, reportQuery } from './report.js';
import {
  type ReportExport,
  reportCsv,
  writeDetailCsv,
  writeReportPdf,
  writeReportXlsx,
} from './report-export.js';
import type { UnitCompliance } from './summary.js';
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

/**
 * /admin/kepatuhan: the compliance report of each pact and its drill-down per unit. Admins see every unit;
 * operators the units of their own subtree, and a unit outside it is a 404 like a unit that does not exist.
 */
export function complianceAdminRoutes(services: Services): Router {
  const router = Router();

  const loadPact = (req: Request): Pact => {
    const id = parseId(req.params.pactId);
    const pact = id ? services.pacts.findById(id) : undefined;
    if (!pact || pact.status === 'draft') throw notFound();
    return pact;
  };

  const visibleUnits = (req: Request, pact: Pact) => unitsVisibleTo(services, req.user as User, pact);

  router.get('/', (req, res) => {
    const pacts = [...services.pacts.listByStatus('open'), ...services.pacts.listByStatus('closed')];
    res.render('admin/compliance/index', {
      title: res.locals.t('compliance.report.title'),
      reports: pacts.map((pact) => ({
        pact,
        totals: buildReport(pact, visibleUnits(req, pact), reportQuery({})).totals,
      })),
      now: services.clock.now(),
    });
  });

  /**
   * `?format=csv|xlsx|pdf`: the same rows as the page, as a file. CSV is the unit table (or, for one unit, its
   * people); XLSX has both sheets; PDF is the printable table. Streams are written as they are produced.
   */
  const sendExport = async (
    req: Request,
    res: Response,
    format: ExportFormat,
    report: ReportExport,
    /** The file name before its date and extension. */
    stem: string,
    detailOnly: boolean,
  ) => {
    const name = `${stem}-${report.generatedAt.toISOString().slice(0, 10)}`;
    const people = () =>
      services.compliancePeople.detail(
        report.pact.id,
        report.units.map((unit) => unit.unitId),
        report.pact.audience,
      );
    res.attachment(`${name}.${format}`).type(EXPORT_TYPES[format]).set('Cache-Control', 'no-store');
    try {
      if (format === 'csv' && !detailOnly) res.send(reportCsv(report));
      else if (format === 'csv') await writeDetailCsv(people(), res);
      else if (format === 'xlsx') await writeReportXlsx(report, people(), res);
      else await writeReportPdf(report, res);
    } catch (err) {
      // The reader went away mid-download: nothing left to answer.
      req.log?.warn({ err }, 'compliance export ended early');
    }
  };

  const exportOf = (pact: Pact, totals: ReportExport['summary'], units: UnitCompliance[]): ReportExport => ({
    instance: readInstanceSettings(services.settings),
    pact,
    summary: totals,
    units,
    generatedAt: services.clock.now(),
  });

  router.get('/:pactId', async (req, res) => {
    const pact = loadPact(req);
    const query = reportQuery(req.query);
    const format = exportFormat(req.query.format);
    const report = buildReport(pact, visibleUnits(req, pact), query);
    if (format) {
      const stem = `kepatuhan-${pact.id}-v${pact.version}`;
      return sendExport(req, res, format, exportOf(pact, report.totals, report.rows), stem, false);
    }
    res.render('admin/compliance/report', {
      title: pact.title,
      pact,
      report,
      query,
      queryString: req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '',
      now: services.clock.now(),
    });
  });

  router.get('/:pactId/unit/:unitId', async (req, res) => {
    const pact = loadPact(req);
    const unitId = parseId(req.params.unitId);
    const unit = visibleUnits(req, pact).find((u) => u.unitId === unitId);
    if (!unit) throw notFound();
    const format = exportFormat(req.query.format);
    if (format) {
      return sendExport(
        req,
        res,
        format,
        exportOf(pact, unit, [unit]),
        `kepatuhan-${pact.id}-${unit.code}`,
        true,
      );
    }
    res.render('admin/compliance/unit', {
      title: unit.name,
      pact,
      unit,
      outstanding: services.compliancePeople.outstanding(pact.id, unit.unitId, pact.audience),
      signings: services.compliancePeople.signings(pact.id, unit.unitId, pact.audience),
    });
  });

  return router;
}
