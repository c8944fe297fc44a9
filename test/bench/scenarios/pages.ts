/**
 * The GET scenarios: the public pages (/, /berita, /berita/:slug), the public compliance page and its API, and the
 * admin report with its drill-down into a unit. Each against its floor: a bare Express app in a child process sending the bytes the app sent for
 * the same path, with the same content type. The API's per-IP limit (300 a minute) is met as many readers behind
 * the proxy would meet it: every request from an address of its own.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FloorPage } from '../children/floor-pages.js';
import {
  fetchPage,
  type LoadRequest,
  measureLoad,
  READER_HEADERS,
  spawnBenchChild,
  stop,
  waitForLine,
} from '../kit/bench-kit.js';
import type { ScenarioName } from '../kit/bench-options.js';
import {
  loadResult,
  loadTargets,
  readerAddress,
  type ScenarioContext,
  type ScenarioResult,
} from './context.js';

export type PageScenario = Extract<
  ScenarioName,
  'home' | 'berita' | 'post' | 'kepatuhan' | 'api' | 'report' | 'unit'
>;
export const PAGE_SCENARIOS: readonly PageScenario[] = [
  'home',
  'berita',
  'post',
  'kepatuhan',
  'api',
  'report',
  'unit',
];

/** The admin's requests come from one office address. */
export const ADMIN_ADDRESS = '203.0.113.10';
export const adminHeaders = (cookie: string): Record<string, string> => ({
  ...READER_HEADERS,
  'x-forwarded-for': ADMIN_ADDRESS,
  cookie,
});

interface Page {
  scenario: PageScenario;
  path: string;
  headers: Readonly<Record<string, string>>;
  /** Each request from an address of its own (the API's per-IP limit). */
  ownAddress: boolean;
}

/** The pages of `wanted` at this scale: news pages only where there are posts; the all-ASN pact's compliance. */
function pagesOf(ctx: ScenarioContext, wanted: readonly PageScenario[], slug: string | null): Page[] {
  const pact = ctx.info.pacts.all;
  const reader = { headers: READER_HEADERS, ownAddress: false };
  const all: (Page | null)[] = [
    { scenario: 'home', path: '/', ...reader },
    slug === null ? null : { scenario: 'berita', path: '/berita', ...reader },
    slug === null ? null : { scenario: 'post', path: `/berita/${slug}`, ...reader },
    { scenario: 'kepatuhan', path: `/kepatuhan/${pact}`, ...reader },
    {
      scenario: 'api',
      path: `/api/v1/pacts/${pact}/compliance`,
      headers: { ...READER_HEADERS, accept: 'application/json' },
      ownAddress: true,
    },
    {
      scenario: 'report',
      path: `/admin/kepatuhan/${pact}`,
      headers: adminHeaders(ctx.adminCookie),
      ownAddress: false,
    },
    {
      // The drill-down an admin clicks into from the report: the biggest unit, the hardest (50,000 people).
      scenario: 'unit',
      path: `/admin/kepatuhan/${pact}/unit/${ctx.info.biggestUnit.id}`,
      headers: adminHeaders(ctx.adminCookie),
      ownAddress: false,
    },
  ];
  return all.filter((page): page is Page => page !== null && wanted.includes(page.scenario));
}

const requestOf = (page: Page): LoadRequest | (() => LoadRequest) =>
  page.ownAddress
    ? () => ({ path: page.path, headers: { ...page.headers, 'x-forwarded-for': readerAddress() } })
    : { path: page.path, headers: page.headers };

/** Each page against the app, then against its floor, in turn (so that both see the machine as it is then). */
export async function runPages(
  ctx: ScenarioContext,
  wanted: readonly PageScenario[],
  slug: string | null,
): Promise<ScenarioResult[]> {
  const pages = pagesOf(ctx, wanted, slug);
  if (pages.length === 0) return [];
  const floorPages: FloorPage[] = [];
  const sizes = new Map<string, number>();
  for (const [i, page] of pages.entries()) {
    const headers = page.ownAddress ? { ...page.headers, 'x-forwarded-for': readerAddress() } : page.headers;
    const { bytes, contentType } = await fetchPage(ctx.app.base, page.path, headers);
    const file = join(ctx.dir, `floor-page-${i}.bin`);
    writeFileSync(file, bytes);
    floorPages.push({ path: page.path, contentType, file });
    sizes.set(page.path, bytes.length);
  }
  const manifest = join(ctx.dir, 'floor-pages.json');
  writeFileSync(manifest, JSON.stringify(floorPages));
  const floor = spawnBenchChild('floor-pages.js', [manifest]);
  const [, port] = await waitForLine(floor, /listening (\d+)/, 'the page floor');
  const floorBase = `http://127.0.0.1:${port}`;

  const results: ScenarioResult[] = [];
  try {
    for (const page of pages) {
      ctx.log(`  ${ctx.scale}: ${page.scenario} (${page.path})`);
      const common = {
        connections: ctx.connections,
        duration: ctx.duration,
        request: requestOf(page),
        expect: 200,
      };
      const app = await measureLoad({ ...common, ...loadTargets(ctx) });
      const bare = await measureLoad({ ...common, base: floorBase, serverPid: floor.pid as number });
      results.push(
        loadResult(
          page.scenario,
          ctx.scale,
          app,
          {
            what: 'bare Express, same bytes',
            perSecond: bare.perSecond,
            p50: bare.p50,
            p99: bare.p99,
            detail: { ...bare },
          },
          { path: page.path, bytes: sizes.get(page.path) },
        ),
      );
    }
  } finally {
    await stop(floor);
  }
  return results;
}
