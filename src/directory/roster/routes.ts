import { type Request, type RequestHandler, type Response, Router } from 'express';
import multer from 'multer';
import { actorOf } from '../../audit/actor.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import type { Config } from '../../core/config.js';
import type { TimeZone } from '../../core/time-zone.js';
import type { PasswordLinkRepository } from '../../credentials/password-link-repository.js';
import type { Db } from '../../db/database.js';
import type { Mailer } from '../../mail/mailer.js';
import type { SessionRepository } from '../../sessions/session-repository.js';
import type { SettingsRepository } from '../../settings/repository.js';
import { renderAdminPage } from '../../web/admin-layout.js';
import { CSV_CONTENT_TYPE } from '../../web/csv.js';
import { flash } from '../../web/flash.js';
import { requireRole } from '../../web/guards.js';
import { HttpError, notFound } from '../../web/http-error.js';
import { pageFromQuery } from '../../web/pagination.js';
import { parseId } from '../../web/params.js';
import type { User } from '../types.js';
import type { UnitRepository } from '../unit-repository.js';
import type { UserRepository } from '../user-repository.js';
import { sendAccessChangeNotices } from '../users/access-change-mail.js';
import { applyRosterImport, type StaleRow } from './apply.js';
import { rejectedRowsCsv, rosterTemplateCsv, rosterTemplateXlsx } from './files.js';
import { MAX_ROSTER_ROWS } from './grid.js';
import { sendRosterInvitations } from './invite.js';
import { MAX_UPLOAD_BYTES } from './parse.js';
import {
  importRows,
  isExpired,
  isGone,
  keptHeader,
  previewRoster,
  type Refusal,
  readRosterImport,
  storedRowsFeed,
} from './preview.js';
import type { RosterImport, RosterImportRepository } from './repository.js';
import { ROSTER_COLUMNS, type RowReason, type RowStatus } from './types.js';
import { refuseRosterUpload, uploadRoster } from './upload-roster.js';

const BASE = '/admin/pengguna/impor';
const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const REJECTED_PAGE_SIZE = 100;
const SAMPLE_SIZE = 20;
// How long confirming waits for the invitations before answering; the rest are sent after the response and
// their count shows on the import's page.
const INVITATION_WAIT_MS = 8000;

const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5, parts: 6, fieldSize: 1024 },
  defParamCharset: 'utf8',
}).single('file');

/** Resolves when `work` is done or after `ms`, whichever comes first. */
async function waitAtMost(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/**
 * /admin/pengguna/impor: upload a roster (CSV or XLSX), preview what it would do, confirm. Admins import into any
 * unit, operators into their subtree only: the operations decide that per row, for the person who confirms.
 */
export function rosterImportRoutes(
  services: {
    audit: AuditRepository;
    clock: Clock;
    db: Db;
    passwordLinks: PasswordLinkRepository;
    rosterImports: RosterImportRepository;
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
  router.use(requireRole('admin', 'operator'));
  const manager = (req: Request): User => req.user as User;

  const renderUpload = (res: Response, status: number, problem: RowReason | null = null) =>
    renderAdminPage(res.status(status), 'directory/roster/upload', {
      title: res.locals.t('admin.import.title'),
      columns: ROSTER_COLUMNS,
      // Numbers in a message read as numbers do on the page ('100.000'; '100,000' in English).
      problem: problem && {
        key: problem.key,
        params: Object.fromEntries(
          Object.entries(problem.params ?? {}).map(([k, v]) => [
            k,
            typeof v === 'number' ? res.locals.fmt.formatNumber(v) : v,
          ]),
        ),
      },
      maxMegabytes: MAX_UPLOAD_BYTES / (1024 * 1024),
      maxRows: MAX_ROSTER_ROWS,
    });

  const renderRefusal = (res: Response, status: number, refusal: Refusal) =>
    renderUpload(res, status, { key: `admin.import.problem.${refusal.problem}`, params: refusal.params });

  /** An upload refused before its file could be read: audited, then the upload page with the reason. */
  const refuse = async (req: Request, res: Response, status: number, refusal: Refusal) => {
    await refuseRosterUpload(services, { actor: actorOf(req), refusal });
    renderRefusal(res, status, refusal);
  };

  /** multer, with its refusals as the upload page: too large (413), anything else wrong with the body (400). */
  const receiveFile: RequestHandler = (req, res, next) => {
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE') {
        return refuse(req, res, 413, {
          problem: 'too_large',
          params: { max: MAX_UPLOAD_BYTES / (1024 * 1024) },
        }).catch(next);
      }
      req.log?.info({ err }, 'roster upload refused');
      refuse(req, res, 400, { problem: 'bad_upload' }).catch(next);
    });
  };

  /** The import named in the URL, for its creator only (404 for anyone else). */
  const load = async (req: Request): Promise<RosterImport> => {
    const id = parseId(req.params.id);
    const found = id ? await readRosterImport(services, { importId: id, viewer: manager(req) }) : undefined;
    if (!found?.ok) throw notFound();
    return found.record;
  };

  const renderPreview = async (
    req: Request,
    res: Response,
    status: number,
    record: RosterImport,
    stale: { rows: StaleRow[]; count: number } | null = null,
  ) => {
    const now = services.clock.now();
    const header = await keptHeader(services, record, now);
    const page = pageFromQuery(req.query.halaman, header ? record.summary.rejected : 0, REJECTED_PAGE_SIZE);
    const rows = async (rowStatus: RowStatus, offset: number, limit: number) =>
      header ? await importRows(services, record.id, header, rowStatus, { offset, limit }) : [];
    const sample = (rowStatus: 'new' | 'changed') => rows(rowStatus, 0, SAMPLE_SIZE);
    renderAdminPage(res.status(header ? status : 410), 'directory/roster/preview', {
      title: res.locals.t('admin.import.preview.title'),
      record,
      header,
      summary: record.summary,
      gone: header === null,
      expired: isExpired(record, now),
      stale,
      rejectedRows: await rows('rejected', page.offset, page.size),
      page,
      newRows: await sample('new'),
      changedRows: await sample('changed'),
      sampleSize: SAMPLE_SIZE,
    });
  };

  router.get('/', (_req, res) => renderUpload(res, 200));

  router.get('/templat.csv', (_req, res) => {
    res
      .type(CSV_CONTENT_TYPE)
      .attachment('templat-impor-pengguna.csv')
      .send(rosterTemplateCsv(res.locals.t.language));
  });

  router.get('/templat.xlsx', async (_req, res) => {
    const file = await rosterTemplateXlsx(res.locals.t);
    res.type(XLSX_CONTENT_TYPE).attachment('templat-impor-pengguna.xlsx').send(file);
  });

  router.post('/', receiveFile, async (req, res) => {
    if (!req.file) return refuse(req, res, 400, { problem: 'no_file' });
    const uploaded = await uploadRoster(services, {
      file: req.file,
      manager: manager(req),
      actor: actorOf(req),
    });
    if (!uploaded.ok) return renderRefusal(res, 400, uploaded);
    res.redirect(303, `${BASE}/${uploaded.importId}`);
  });

  router.get('/:id', async (req, res) => {
    const record = await load(req);
    if (record.status === 'applied') {
      return renderAdminPage(res, 'directory/roster/result', {
        title: res.locals.t('admin.import.result.title'),
        record,
        result: record.result,
      });
    }
    await renderPreview(req, res, 200, record);
  });

  router.get('/:id/ditolak.csv', async (req, res) => {
    const record = await load(req);
    const header = await keptHeader(services, record, services.clock.now());
    if (!header) throw new HttpError(410, 'admin.import.gone');
    const rejected = await services.rosterImports.rowsWithStatus(record.id, 'rejected', {
      offset: 0,
      limit: record.summary.rejected,
    });
    res
      .type(CSV_CONTENT_TYPE)
      .attachment(`impor-${record.id}-ditolak.csv`)
      .send(rejectedRowsCsv(header, rejected, res.locals.t));
  });

  router.post('/:id/terapkan', async (req, res) => {
    const record = await load(req);
    const actor = actorOf(req);
    const applied = await applyRosterImport(services, { importId: record.id, manager: manager(req), actor });
    if (!applied.ok) {
      if (applied.reason === 'not_found') throw notFound();
      if (applied.reason === 'already_applied') {
        flash(req, 'info', 'admin.import.already_applied');
        return res.redirect(303, `${BASE}/${record.id}`);
      }
      const latest = await load(req);
      if (applied.reason !== 'stale') return renderPreview(req, res, 410, latest);
      return renderPreview(req, res, 409, latest, { rows: applied.rows, count: applied.count });
    }
    // Committed. Invitations go out now; a long list goes on after the response, counted on the import's page.
    const sending = sendRosterInvitations(services, mailer, {
      importId: record.id,
      result: applied.result,
      userIds: applied.inviteUserIds,
      actor,
      baseUrl: config.baseUrl,
      instanceName: res.locals.instance.name,
    }).catch((err: unknown) => {
      req.log?.error({ err, importId: record.id }, 'roster invitations stopped');
    });
    sendAccessChangeNotices(mailer, applied.notices, { instanceName: res.locals.instance.name }).catch(
      (err: unknown) => req.log?.error({ err }, 'access change notice not recorded'),
    );
    await waitAtMost(sending, INVITATION_WAIT_MS);
    flash(req, 'success', 'admin.import.applied');
    res.redirect(303, `${BASE}/${record.id}`);
  });

  /** Decides the same rows again against the directory as it is now: a new preview with a new hour. */
  router.post('/:id/periksa-ulang', async (req, res) => {
    const record = await load(req);
    if (isGone(record, services.clock.now())) throw new HttpError(410, 'admin.import.gone');
    const previewed = await previewRoster(services, {
      feed: storedRowsFeed(services, record),
      fileName: record.fileName,
      manager: manager(req),
      actor: actorOf(req),
    });
    if (!previewed.ok && previewed.problem === 'gone') throw new HttpError(410, 'admin.import.gone');
    if (!previewed.ok) return renderRefusal(res, 400, previewed);
    res.redirect(303, `${BASE}/${previewed.importId}`);
  });

  return router;
}
