import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse, { type Result, type RunnerResult } from 'lighthouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, startProductionApp } from './support/app.js';
import { CHROMIUM, CHROMIUM_ARGS } from './support/browser.js';
import { logInOverHttp } from './support/http-session.js';
import { inLanguage, languageCookie, PAGE_LANGUAGES } from './support/languages.js';

/** The scores every key page must reach, Lighthouse's mobile preset (a mid-range phone on a slow 4G network). */
const TARGETS = { performance: 95, accessibility: 100, 'best-practices': 95, seo: 95 } as const;
type Category = keyof typeof TARGETS;
const CATEGORIES = Object.keys(TARGETS) as Category[];

/** What the home page may weigh on the wire, everything it loads included. */
const HOME_MAX_BYTES = 150 * 1024;
/** What the one stylesheet may weigh on the wire. */
const STYLESHEET_MAX_BYTES = 20 * 1024;
/**
 * Runs of each page. Lighthouse's own advice on variability: one run's performance score moves by several
 * points on a busy machine (on the two-core CI runner the home page once scored 93 with 270 ms of blocking time,
 * once 78 with a layout shift of 0.62, on commits that score 99-100 here), so the page is judged on the run with
 * the median performance score, as Lighthouse CI's "median" aggregation asserts.
 */
const RUNS_PER_PAGE = 3;
/** Where the HTML reports and the table go for people to read (git-ignored). */
const REPORTS = join('reports', 'lighthouse');
// Behind the TLS proxy production runs behind: the session cookie is set only on requests that came over TLS.
const VIA_TLS = { 'X-Forwarded-Proto': 'https' };

interface Measured {
  name: string;
  path: string;
  scores: Record<Category, number>;
  bytes: number;
  /** Bytes transferred for each stylesheet the page loads (the only render-blocking requests a page may make). */
  stylesheets: number[];
  /** The failing audits that count towards a score, for the message when a page misses a target. */
  misses: string[];
  /** The performance score of each run, the median of which is in `scores`. */
  performanceRuns?: number[];
}

// Run by `npm run lighthouse` and by `npm test` (CI): the app as production runs it, audited in Debian's Chromium.
describe('Lighthouse on the key pages, mobile', () => {
  let app: RunningApp;
  let chrome: chromeLauncher.LaunchedChrome;
  beforeAll(async () => {
    [app, chrome] = await Promise.all([
      startProductionApp(),
      chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: CHROMIUM_ARGS }),
    ]);
  });
  afterAll(async () => {
    chrome?.kill();
    await app?.stop();
  });

  // About 10 s a run on two cores, so about 2½ minutes for the five pages in each language.
  it('scores at least the targets on home, news, a post, compliance and the signing page, in both languages', {
    timeout: 600_000,
  }, async () => {
    const cookie = await sessionCookie(app.url, 'kepala@ikrar.test');
    const signingPage = await firstLink(app.url, '/pakta', /href="(\/pakta\/\d+)"/, cookie);
    const post = await firstLink(app.url, '/berita', /href="(\/berita\/[a-z0-9-]+)"/);
    // Each page as a browser that chose the language with the switch asks for it (Chromium's own Accept-Language
    // would otherwise choose).
    const pages = PAGE_LANGUAGES.flatMap((language) => [
      { name: inLanguage('beranda', language), path: '/', headers: { Cookie: languageCookie(language) } },
      {
        name: inLanguage('berita', language),
        path: '/berita',
        headers: { Cookie: languageCookie(language) },
      },
      {
        name: inLanguage('berita-satu', language),
        path: post,
        headers: { Cookie: languageCookie(language) },
      },
      {
        name: inLanguage('kepatuhan', language),
        path: '/kepatuhan',
        headers: { Cookie: languageCookie(language) },
      },
      {
        name: inLanguage('tanda-tangan', language),
        path: signingPage,
        headers: { Cookie: `${cookie}; ${languageCookie(language)}`, ...VIA_TLS },
      },
    ]);
    mkdirSync(REPORTS, { recursive: true });
    const measured: Measured[] = [];
    for (const page of pages) {
      const { median, performance } = await medianAudit(`${app.url}${page.path}`, chrome.port, page.headers);
      writeFileSync(join(REPORTS, `${page.name}.html`), median.report as string);
      measured.push({ ...measure(page.name, page.path, median.lhr), performanceRuns: performance });
    }
    const table = scoreTable(measured);
    writeFileSync(join(REPORTS, 'scores.md'), `${table}\n`);
    console.log(`\nLighthouse ${measured.length} halaman (seluler; laporan di ${REPORTS}/)\n${table}\n`);

    for (const page of measured) {
      for (const category of CATEGORIES) {
        expect(
          page.scores[category],
          `${page.path} ${category} (runs: ${page.performanceRuns?.join('/')}); ${page.misses.join('; ')}`,
        ).toBeGreaterThanOrEqual(TARGETS[category]);
      }
      expect(page.stylesheets, `${page.path}: stylesheets loaded`).toHaveLength(1);
      expect(page.stylesheets[0], `${page.path}: stylesheet bytes`).toBeLessThanOrEqual(STYLESHEET_MAX_BYTES);
    }
    for (const home of measured.filter((page) => page.path === '/')) {
      expect(home.bytes, `bytes the home page (${home.name}) transfers`).toBeLessThanOrEqual(HOME_MAX_BYTES);
    }
  });
});

/**
 * RUNS_PER_PAGE runs of a page, and the one with the median performance score (the other categories do not vary
 * between runs). Lighthouse's own computeMedianRun picks by first paint and time to interactive only, so it kept a
 * run whose one outlier was its layout shift.
 */
async function medianAudit(
  url: string,
  port: number,
  headers?: Record<string, string>,
): Promise<{ median: RunnerResult; performance: number[] }> {
  const runs: RunnerResult[] = [];
  for (let run = 0; run < RUNS_PER_PAGE; run++) runs.push(await audit(url, port, headers));
  const score = (run: RunnerResult) => run.lhr.categories.performance?.score ?? 0;
  const sorted = [...runs].sort((a, b) => score(a) - score(b));
  return {
    median: sorted[Math.floor(sorted.length / 2)] as RunnerResult,
    performance: runs.map((run) => Math.round(score(run) * 100)),
  };
}

/** One Lighthouse run of a page; a run it could not record (NO_NAVSTART under load, say) is no score: run again. */
async function audit(url: string, port: number, headers?: Record<string, string>): Promise<RunnerResult> {
  for (let attempt = 1; ; attempt++) {
    const result = await lighthouse(url, {
      port,
      output: 'html',
      logLevel: 'error',
      onlyCategories: CATEGORIES,
      ...(headers && { extraHeaders: headers }),
    });
    if (result && !result.lhr.runtimeError) return result;
    if (attempt === 3)
      throw new Error(`Lighthouse could not record ${url}: ${result?.lhr.runtimeError?.message}`);
  }
}

function measure(name: string, path: string, lhr: Result): Measured {
  const scores = Object.fromEntries(
    CATEGORIES.map((c) => [c, Math.round((lhr.categories[c]?.score ?? 0) * 100)]),
  ) as Record<Category, number>;
  const misses = CATEGORIES.flatMap((c) =>
    (lhr.categories[c]?.auditRefs ?? [])
      .map((ref) => ({ ref, audit: lhr.audits[ref.id] }))
      .filter(({ ref, audit }) => ref.weight > 0 && audit && audit.score !== null && audit.score < 1)
      .map(({ audit }) => `${audit?.id} ${audit?.displayValue ?? audit?.score}`),
  );
  type NetworkRequest = { resourceType?: string; transferSize?: number };
  const requests =
    (lhr.audits['network-requests']?.details as { items?: NetworkRequest[] } | undefined)?.items ?? [];
  return {
    name,
    path,
    scores,
    bytes: lhr.audits['total-byte-weight']?.numericValue ?? Number.POSITIVE_INFINITY,
    stylesheets: requests.filter((r) => r.resourceType === 'Stylesheet').map((r) => r.transferSize ?? 0),
    misses,
  };
}

function scoreTable(measured: Measured[]): string {
  const rows = [
    ['halaman', ...CATEGORIES, 'KB terkirim'],
    ['target', ...CATEGORIES.map((c) => `≥ ${TARGETS[c]}`), `≤ ${HOME_MAX_BYTES / 1024} (beranda)`],
    ...measured.map((m) => [
      `${m.name} (${m.path})`,
      ...CATEGORIES.map((c) =>
        c === 'performance' && m.performanceRuns
          ? `${m.scores[c]} (${m.performanceRuns.join('/')})`
          : String(m.scores[c]),
      ),
      (m.bytes / 1024).toFixed(1),
    ]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0))) ?? [];
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(rows[0] as string[]), line(widths.map((w) => '-'.repeat(w))), ...rows.slice(1).map(line)].join(
    '\n',
  );
}

/** Logs in through the login form as a browser behind the TLS proxy would, and returns the session cookie. */
async function sessionCookie(base: string, email: string): Promise<string> {
  const { cookie, response } = await logInOverHttp(base, email, { headers: VIA_TLS });
  if (response.status !== 302) throw new Error(`login as ${email} answered ${response.status}`);
  return cookie;
}

/** The first address on a page that matches `link` (a post from the news list, the signer's pact from theirs). */
async function firstLink(base: string, path: string, link: RegExp, cookie?: string): Promise<string> {
  const res = await fetch(`${base}${path}`, { headers: cookie ? { Cookie: cookie, ...VIA_TLS } : {} });
  const found = link.exec(await res.text())?.[1];
  if (!found) throw new Error(`no link like ${link} on ${path}`);
  return found;
}
