import { Router } from 'express';
import type { AgreementRepository } from '../agreements/repository.js';
import { publishedSummaries } from '../agreements/summaries.js';
import type { Clock } from '../core/clock.js';
import type { TimeZone } from '../core/time-zone.js';
import { actingHeadTitle } from '../directory/head-kind.js';
import { pactLoader } from '../pledges/pact-loader.js';
import type { PactRepository } from '../pledges/pact-repository.js';
import { CSV_CONTENT_TYPE } from '../web/csv.js';
import { HttpError } from '../web/http-error.js';
import type { PageCache } from '../web/page-cache.js';
import { pageFromQuery } from '../web/pagination.js';
import type { ComplianceCache } from './compliance-cache.js';
import type { ComplianceRepository } from './compliance-repository.js';
import type { LiveBoard } from './live-board.js';
import { boardState } from './live-board.js';
import {
  countedUnits,
  isDone,
  PUBLIC_SORTS,
  publicCsv,
  publicRows,
  STATUS_FILTERS,
  type StatusFilter,
} from './public-table.js';
import { rankingChart } from './ranking-chart.js';
import { shareLegend, shareMap } from './share-map.js';
import { OUTSTANDING_NAMED } from './summary.js';
import { orderParams, queryHref, sortLinks, unitOrderQuery } from './unit-order.js';

function statusFromQuery(value: unknown): StatusFilter {
  if (value === undefined || value === '') return 'semua';
  if (typeof value === 'string' && (STATUS_FILTERS as readonly string[]).includes(value))
    return value as StatusFilter;
  throw new HttpError(400, 'compliance.public.bad_filter');
}

/** `?format=csv`: the table as a file; absent for the page itself. */
function formatFromQuery(value: unknown): 'csv' | null {
  if (value === undefined || value === '') return null;
  if (value === 'csv') return value;
  throw new HttpError(400, 'compliance.public.bad_format');
}

/**
 * Units on one page of a pact's public table: a province (87) fits on one; the nation's 603 are seven, so a reader
 * on a phone is not sent 300 kB. The CSV has every row of the filter and order.
 */
const PUBLIC_PAGE_SIZE = 100;

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
  timeZone: TimeZone;
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

  /**
   * One pact's list: the totals, the time they are from, a ranking chart and (where the pact asks kabupaten/kota) a
   * tile map, all from the cached summary; then the table, filtered (`?status=`) and sorted (`?urut=`, `?arah=`,
   * the columns shown), and the same table as CSV (`?format=csv`).
   */
  router.get('/kepatuhan/:pactId', async (req, res) => {
    const pact = await loadPact(req);
    const status = statusFromQuery(req.query.status);
    const columns = PUBLIC_SORTS[pact.audience];
    const order = unitOrderQuery(req.query, { sorts: columns, refusal: 'compliance.public.bad_sort' });
    const format = formatFromQuery(req.query.format);
    const summary = await services.complianceCache.forPact(pact);
    const units = publicRows(summary.units, status, order);
    // "Plt. Kepala …" beside an acting head, for the rows that are written out.
    const titled = (rows: typeof units) =>
      rows.map((unit) => ({
        ...unit,
        headActingAs: actingHeadTitle(res.locals.t, unit.headKind, unit.name),
      }));
    const now = services.clock.now();
    if (format === 'csv') {
      res.attachment(`kepatuhan-${pact.id}-v${pact.version}-${services.timeZone.dayOf(now)}.csv`);
      res.type(CSV_CONTENT_TYPE).send(publicCsv(pact.audience, titled(units), res.locals.t, res.locals.fmt));
      return;
    }
    const counted = countedUnits(summary.units);
    const map = shareMap(counted, res.locals.fmt);
    const sorted = orderParams(order);
    const filtered: Record<string, string> = status === 'semua' ? {} : { status };
    const page = pageFromQuery(req.query.halaman, units.length, PUBLIC_PAGE_SIZE);
    await services.pageCache.render(res, 'compliance/pact', {
      title: pact.title,
      pact,
      summary,
      units,
      status,
      order,
      statusLinks: STATUS_FILTERS.map((filter) => ({
        filter,
        href: queryHref({ status: filter, ...sorted }),
      })),
      sortLinks: sortLinks(order, columns, filtered),
      page,
      rows: titled(units.slice(page.offset, page.offset + page.size)),
      pageQuery: { ...filtered, ...sorted },
      csvHref: queryHref({ ...filtered, ...sorted, format: 'csv' }),
      counts: {
        semua: counted.length,
        belum: counted.filter((u) => !isDone(u)).length,
        sudah: counted.filter(isDone).length,
      },
      chart: rankingChart(pact.audience, counted),
      map: map && { ...map, legend: shareLegend(map, res.locals.t) },
      now,
    });
  });

  return router;
}
