/**
 * The soak (`npm run bench -- --soak MINUTES`): every role's traffic at once for a long time, with the RSS of every
 * process of the app sampled every 5 s, to tell a leak (memory that keeps climbing) from a heap that grows to its
 * working size and stays there.
 *
 * - Readers: autocannon on half the connections, through the public pages, the compliance page and its API, and
 *   news searches, each request from an address of its own.
 * - Signers: journeys with fetch, one person after another: log in through the form, the list of their pacts, the
 *   pact, sign it, the receipt (every fourth its PDF too), log out. On a pact opened for the soak, and another when
 *   everyone has signed it.
 * - The admin and an operator: the admin pages and the reports in turn, and now and then a unit's exports (CSV,
 *   XLSX, PDF).
 */
import { sql } from 'kysely';
import { DEMO_PASSWORD } from '../../../src/seed/demo.js';
import { csrfTokenIn, logIn, submitLogin } from '../../helpers/http-login.js';
import { newestPostSlug } from '../kit/bench-data.js';
import { cannon, type LoadRequest, READER_HEADERS, rssOfTree } from '../kit/bench-kit.js';
import { soakWarmUpMinutes } from '../kit/bench-options.js';
import { type MemorySample, type ProcessMemory, summariseMemory } from '../kit/soak-stats.js';
import { readerAddress, type ScenarioContext } from './context.js';
import { ADMIN_ADDRESS, adminHeaders } from './pages.js';
import { openFreshPact } from './sign.js';

const SAMPLE_EVERY_MS = 5000;
const SIGNER_LOOPS = 4;
/** Every this many signers also download their receipt's PDF. */
const PDF_EVERY = 4;
/** Words the news search is asked for, in turn (found or not, a search is never served from the page cache). */
const SEARCH_TERMS = ['netralitas', 'pemilu', 'integritas', 'aparatur', 'kampanye', 'zzzz'];
/**
 * One reader request in this many is a search. A search of the bench's 1,000 posts costs 0.3–0.5 s of a worker's
 * CPU (each matches most of them, ranked with snippets), a hundred times a page: more would make the soak a test
 * of search alone.
 */
const SEARCH_EVERY = 100;
const OPERATOR_EMAIL = 'operator@ikrar.test';
/**
 * The admin exports a unit's report (CSV, XLSX, PDF) every this many rounds of pages. The PDF of the biggest
 * unit (969 people) takes its worker 1.2–1.6 s; every round would be far more than an office downloads.
 */
const EXPORT_EVERY = 10;

export type SoakRole = 'readers' | 'signers' | 'admin' | 'operator';

export interface Tally {
  requests: number;
  errors: number;
  statuses: Record<string, number>;
  /** Completed journeys (signers: signed; admin, operator: rounds of their pages). */
  journeys: number;
}

export interface SoakProcess extends ProcessMemory {
  label: string;
  pid: number;
  series: MemorySample[];
}

export interface SoakResult {
  minutes: number;
  warmUpMinutes: number;
  processes: SoakProcess[];
  traffic: Record<SoakRole, Tally & { perSecond: number }>;
  /** The first few failures, as they happened. */
  failures: string[];
}

const newTally = (): Tally => ({ requests: 0, errors: 0, statuses: {}, journeys: 0 });
const MAX_FAILURES_KEPT = 20;

export async function runSoak(ctx: ScenarioContext, minutes: number): Promise<SoakResult> {
  const { app, info } = ctx;
  const pid = app.child.pid as number;
  const seconds = minutes * 60;
  const warmUpMinutes = soakWarmUpMinutes(minutes);
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const failures: string[] = [];
  const fail = (tally: Tally, what: string) => {
    tally.errors += 1;
    if (failures.length < MAX_FAILURES_KEPT) {
      failures.push(`${((performance.now() - started) / 1000).toFixed(0)} s: ${what}`);
    }
  };

  /** One request of a journey: counted, its body read; a status other than `expect` ends the journey. */
  const request = async (tally: Tally, path: string, init: RequestInit, expect: number[]) => {
    tally.requests += 1;
    const res = await fetch(`${app.base}${path}`, { redirect: 'manual', ...init });
    tally.statuses[res.status] = (tally.statuses[res.status] ?? 0) + 1;
    const body = await res.text();
    if (!expect.includes(res.status)) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status}`);
    return { res, body };
  };
  /** Runs `journey` over and over until the soak's end; a failed journey is counted and the next one begins. */
  const loop = async (tally: Tally, journey: (n: number) => Promise<void>) => {
    for (let n = 0; performance.now() < deadline; n += 1) {
      try {
        await journey(n);
        tally.journeys += 1;
      } catch (err) {
        fail(tally, err instanceof Error ? err.message : String(err));
      }
    }
  };

  // Readers.
  const pact = info.pacts.all;
  const slug = await newestPostSlug(ctx.db);
  const json = { ...READER_HEADERS, accept: 'application/json' };
  const readerPaths: [string, Readonly<Record<string, string>>][] = [
    ['/', READER_HEADERS],
    ['/kepatuhan', READER_HEADERS],
    [`/kepatuhan/${pact}`, READER_HEADERS],
    [`/api/v1/pacts/${pact}/compliance`, json],
    ...(slug === null
      ? []
      : ([
          ['/berita', READER_HEADERS],
          [`/berita/${slug}`, READER_HEADERS],
        ] as [string, Readonly<Record<string, string>>][])),
  ];
  let nextReader = 0;
  const readerRequest = (): LoadRequest => {
    const n = nextReader++;
    const [path, headers] =
      slug !== null && n % SEARCH_EVERY === 0
        ? [`/berita?q=${SEARCH_TERMS[(n / SEARCH_EVERY) % SEARCH_TERMS.length]}`, READER_HEADERS]
        : (readerPaths[n % readerPaths.length] as [string, Readonly<Record<string, string>>]);
    return { path, headers: { ...headers, 'x-forwarded-for': readerAddress() } };
  };
  const readers = cannon(
    { base: app.base, connections: Math.max(1, Math.floor(ctx.connections / 2)), request: readerRequest },
    seconds,
    undefined,
  );

  // Signers: one person after another, each once per pact.
  const { rows: people } = await sql<{ nip: string; full_name: string }>`
    SELECT u.nip, u.full_name FROM users u JOIN units n ON n.id = u.unit_id
    WHERE u.role = 'signer' AND u.status = 'active' AND n.active = 1 AND u.nip IS NOT NULL
      AND u.password_hash IS NOT NULL
    ORDER BY u.id`.execute(ctx.db.q);
  let soakPact = await openFreshPact(ctx.db, 'Pakta uji ketahanan');
  let nextPerson = 0;
  // When everyone has signed, one journey opens the next pact; the others wait for it rather than open their own.
  let reopening: Promise<void> | null = null;
  const nextSigner = async () => {
    while (nextPerson === people.length) {
      reopening ??= openFreshPact(ctx.db, 'Pakta uji ketahanan')
        .then((id) => {
          soakPact = id;
          nextPerson = 0;
          ctx.log(`  soak: everyone has signed; pact ${soakPact} opened`);
        })
        .finally(() => {
          reopening = null;
        });
      await reopening;
    }
    return { person: people[nextPerson++] as { nip: string; full_name: string }, pactId: soakPact };
  };
  const signers = newTally();
  const signerJourney = async (n: number) => {
    const { person, pactId } = await nextSigner();
    const headers = { ...READER_HEADERS, 'x-forwarded-for': readerAddress() };
    signers.requests += 2;
    const login = await submitLogin(app.base, person.nip, DEMO_PASSWORD, headers);
    signers.statuses[login.response.status] = (signers.statuses[login.response.status] ?? 0) + 1;
    if (login.response.status !== 302) throw new Error(`POST /masuk: ${login.response.status}`);
    const as = { headers: { ...headers, cookie: login.cookie } };
    await request(signers, '/pakta', as, [200]);
    const page = await request(signers, `/pakta/${pactId}`, as, [200]);
    const csrf = csrfTokenIn(page.body) ?? '';
    const form = (fields: Record<string, string>): RequestInit => ({
      method: 'POST',
      headers: { ...as.headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
    });
    const signed = await request(
      signers,
      `/pakta/${pactId}/tanda-tangan`,
      form({ consent: '1', full_name: person.full_name, signature: '' }),
      [303],
    );
    const receipt = signed.res.headers.get('location') ?? '';
    await request(signers, receipt, as, [200]);
    if (n % PDF_EVERY === 0) await request(signers, `${receipt}.pdf`, as, [200]);
    await request(signers, '/keluar', form({}), [302, 303]);
  };

  // The admin and an operator.
  const unit = info.biggestUnit.id;
  const report = `/admin/kepatuhan/${pact}`;
  const adminPages = [
    '/admin',
    '/admin/kepatuhan',
    report,
    `${report}/unit/${unit}`,
    '/admin/pakta',
    '/admin/pengguna',
    '/admin/unit',
    '/admin/berita',
    '/admin/audit',
  ];
  const adminExports = ['csv', 'xlsx', 'pdf'].map((format) => `${report}/unit/${unit}?format=${format}`);
  const operatorPages = ['/admin', '/admin/kepatuhan', report, `${report}?format=csv`, '/admin/pengguna'];
  const operatorHeaders = { ...READER_HEADERS, 'x-forwarded-for': ADMIN_ADDRESS };
  const operatorCookie = await logIn(app.base, OPERATOR_EMAIL, DEMO_PASSWORD, operatorHeaders);
  const admin = newTally();
  const operator = newTally();
  const round =
    (tally: Tally, pages: string[], headers: Record<string, string>, extra: string[] = []) =>
    async (n: number) => {
      for (const path of n % EXPORT_EVERY === 0 ? [...pages, ...extra] : pages) {
        await request(tally, path, { headers }, [200]);
      }
    };

  // RSS of every process, every few seconds; a worker that is replaced shows as a process of its own.
  const series = new Map<number, MemorySample[]>();
  const sample = () => {
    const atMs = performance.now() - started;
    for (const [each, mb] of rssOfTree(pid)) {
      if (!series.has(each)) series.set(each, []);
      series.get(each)?.push({ atMs, mb });
    }
  };
  let lastReport = 0;
  const sampler = setInterval(() => {
    sample();
    const minute = Math.floor((performance.now() - started) / 60_000);
    if (minute > lastReport) {
      lastReport = minute;
      const rss = [...series].map(
        ([each, s]) => `${each === pid ? 'primary' : each} ${s.at(-1)?.mb.toFixed(0)}`,
      );
      ctx.log(
        `  soak ${minute}/${minutes} min: RSS MB ${rss.join(', ')}; signed ${signers.journeys}, ` +
          `admin rounds ${admin.journeys}, errors ${signers.errors + admin.errors + operator.errors}`,
      );
    }
  }, SAMPLE_EVERY_MS);
  sample();
  ctx.log(
    `  ${ctx.scale}: soak for ${minutes} min (slope after ${warmUpMinutes.toFixed(1)} min): readers on ` +
      `${Math.max(1, Math.floor(ctx.connections / 2))} connections, ${SIGNER_LOOPS} signers at a time ` +
      `(${people.length.toLocaleString('en')} people), the admin and an operator`,
  );
  let readerRun: Awaited<typeof readers>;
  try {
    [readerRun] = await Promise.all([
      readers,
      ...Array.from({ length: SIGNER_LOOPS }, () => loop(signers, signerJourney)),
      loop(admin, round(admin, adminPages, adminHeaders(ctx.adminCookie), adminExports)),
      loop(operator, round(operator, operatorPages, { ...operatorHeaders, cookie: operatorCookie })),
    ]);
  } finally {
    clearInterval(sampler);
  }
  sample();

  const elapsed = (performance.now() - started) / 1000;
  const readerStatuses = Object.fromEntries(readerRun.statuses);
  const readerOk = readerRun.statuses.get(200) ?? 0;
  const answered = [...readerRun.statuses.values()].reduce((a, b) => a + b, 0);
  const readerTally: Tally = {
    requests: readerRun.result.requests.total,
    errors: readerRun.result.errors + answered - readerOk,
    statuses: readerStatuses,
    journeys: 0,
  };
  const rate = (tally: Tally) => ({ ...tally, perSecond: tally.requests / elapsed });
  let worker = 0;
  return {
    minutes,
    warmUpMinutes,
    processes: [...series].flatMap(([each, samples]) => {
      const memory = summariseMemory(samples, warmUpMinutes * 60_000);
      if (!memory) return [];
      const label = each === pid ? 'primary' : `worker ${++worker}`;
      return [{ label, pid: each, ...memory, series: samples }];
    }),
    traffic: {
      readers: rate(readerTally),
      signers: rate(signers),
      admin: rate(admin),
      operator: rate(operator),
    },
    failures,
  };
}
