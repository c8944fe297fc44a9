import { Router } from 'express';
import type { AgreementRepository } from '../agreements/repository.js';
import { publishedSummaries } from '../agreements/summaries.js';
import type { Clock } from '../core/clock.js';
import { actingHeadTitle } from '../directory/head-kind.js';
import { pactLoader } from '../pledges/pact-loader.js';
import type { PactRepository } from '../pledges/pact-repository.js';
import { HttpError } from '../web/http-error.js';
import type { PageCache } from '../web/page-cache.js';
import type { ComplianceCache } from './compliance-cache.js';
import type { ComplianceRepository } from './compliance-repository.js';
import type { LiveBoard } from './live-board.js';
import { boardState } from './live-board.js';
import type { UnitCompliance } from './summary.js';
import { OUTSTANDING_NAMED } from './summary.js';

/** `?status=` on the public list: everyone, only those still outstanding, or only the complete. */
const STATUS_FILTERS = ['semua', 'belum', 'sudah'] as const;
type StatusFilter = (typeof STATUS_FILTERS)[number];

function statusFromQuery(value: unknown): StatusFilter {
  if (value === undefined || value === '') return 'semua';
  if (typeof value === 'string' && (STATUS_FILTERS as readonly string[]).includes(value))
    return value as StatusFilter;
  throw new HttpError(400, 'compliance.public.bad_filter');
}

const isDone = (unit: UnitCompliance) => unit.state === 'complete';

/**
 * The public compliance list (DESIGN.md, privacy under UU 27/2022): for a heads pact each head is named with
 * position ("Plt. Kepala …" before it for an acting head), masked NIP and signing date, as the province publishes it;
 * for an all-ASN pact only per-unit counts, never a staff member's name.
 */
export function compliancePublicRoutes(services: {
  agreements: AgreementRepository;
  clock: Clock;
  complianceCache: ComplianceCache;
  complianceCounts: Pick<ComplianceRepository, 'epoch'>;
  liveBoard: LiveBoard;
  pacts: PactRepository;
  pageCache: PageCache;
}): Router {
  const router = Router();

  router.get('/kepatuhan', async (_req, res) => {
    await services.pageCache.render(res, 'compliance/index', {
      title: res.locals.t('compliance.public.title'),
      open: await services.complianceCache.openPacts(),
      closed: await services.pacts.listByStatus('closed'),
      // Unit agreements (NPHD and the like) beside the pacts: open and closed, each with its count.
      agreements: await publishedSummaries(services.agreements),
      now: services.clock.now(),
      outstandingNamed: OUTSTANDING_NAMED,
    });
  });

  const loadPact = pactLoader(services.pacts, { param: 'pactId', drafts: 'hidden' });

  // The live ceremony board: a full-screen page for a projector, and its event stream.
  router.get('/kepatuhan/:pactId/layar', async (req, res) => {
    const pact = await loadPact(req);
    await services.pageCache.render(res, 'compliance/board', {
      title: pact.title,
      pact,
      board: boardState(await services.complianceCache.forPact(pact)),
    });
  });

  router.get('/kepatuhan/:pactId/events', async (req, res) => {
    const pact = await loadPact(req);
    // The epoch first: a signing committed while the state is read moves it, and the board then sends it.
    const epoch = await services.complianceCounts.epoch();
    const state = boardState(await services.complianceCache.forPact(pact));
    if (!services.liveBoard.open(res, pact, state, req.ip ?? '', epoch))
      throw new HttpError(429, 'compliance.board.too_many');
  });

  router.get('/kepatuhan/:pactId', async (req, res) => {
    const pact = await loadPact(req);
    const status = statusFromQuery(req.query.status);
    const summary = await services.complianceCache.forPact(pact);
    // Units with nobody to sign (no head, no members) say nothing about compliance: left out of the public table.
    const counted = summary.units.filter((unit) => unit.state !== 'not_required');
    const units = [...counted.filter((u) => !isDone(u)), ...counted.filter(isDone)].filter(
      (unit) => status === 'semua' || (status === 'sudah') === isDone(unit),
    );
    await services.pageCache.render(res, 'compliance/pact', {
      title: pact.title,
      pact,
      summary,
      units: units.map((unit) => ({
        ...unit,
        headActingAs: actingHeadTitle(res.locals.t, unit.headKind, unit.name),
      })),
      status,
      statusFilters: STATUS_FILTERS,
      counts: {
        semua: counted.length,
        belum: counted.filter((u) => !isDone(u)).length,
        sudah: counted.filter(isDone).length,
      },
      now: services.clock.now(),
    });
  });

  return router;
}
