/**
 * npm run bench:compliance — the compliance pages, API and admin report at province and national scale, and the
 * exports of a 50,000-person detail. Reports; asserts nothing.
 *
 * Data (compliance-data.ts, cached between runs): province = the Jawa Tengah demo (52 OPD + 35 kabupaten/kota)
 * with 50k people, 80% of them signing the all-ASN pact; national = the same plus 37 provinces and 479
 * kabupaten/kota (603 units), 4.3M people, ~3M signatures, one unit (DISDIKBUD) of 50k people; a control,
 * "national-units" = the national unit tree with province-scale people, tells the cost of units from the cost of
 * signatures. Each scale runs on a fresh copy of its database in this run's temp folder.
 *
 * The app runs as production runs it (dist/main.js in a child process, NODE_ENV=production, behind a TLS proxy on
 * loopback); autocannon runs here. Public page and API anonymously; the API's per-IP limit (300 a minute, fixed
 * in src/api/routes.ts, no setting) is met by giving every request its own X-Forwarded-For from the benchmarking
 * range 198.18.0.0/15, as many readers behind the proxy would come. The admin report as the demo admin logged in
 * over HTTP (CSRF token from the login form, the Secure cookie through X-Forwarded-Proto). Each export runs in a
 * fresh app process whose peak RSS is measured: VmHWM reset through /proc/<pid>/clear_refs before the download
 * and read after, and VmRSS polled every 50 ms. Exports: province = the all-ASN report as XLSX (its "Rincian" sheet
 * lists all 50k required people) and the largest unit's CSV; national = DISDIKBUD's CSV and XLSX (50k rows each),
 * and the whole all-ASN report as XLSX (4.3M rows: what an admin gets from the report's XLSX button).
 *
 *   --quick (province + a 430k-person "national", 2 s runs)  --duration S (default 10)  --connections N (default 10)
 *   --scales province,national-units,national (default: all three; --quick: province,national)  --out FILE (JSON)
 *   NATIONAL_USERS (default 4300000; 430000 with --quick)  BENCH_PROFILE (a folder for CPU profiles of the app)
 *   BENCH_APP_NODE_OPTIONS (node options for the app processes only, e.g. --max-old-space-size=200)
 *
 * Targets (issue): public page and API at national scale ≥ 80% of the province's requests per second; admin report
 * at national scale ≤ 1 s; an export of a 50k-person detail streams within 300 MB RSS.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type autocannon from 'autocannon';
import { DEMO_PASSWORD } from '../seed/demo.js';
import {
  describeMachine,
  type Measured,
  machine,
  measure,
  quantile,
  READER_HEADERS,
  type RunningApp,
  removeTempDir,
  runMain,
  startApp,
  stop,
  stopAll,
  table,
  tempDir,
} from './bench-kit.js';
import {
  CACHE_DIR,
  type DataInfo,
  prepareDatabase,
  type ScaleName,
  type ScaleSpec,
} from './compliance-data.js';

const ADMIN_EMAIL = 'admin@ikrar.test';
const TARGET_RATIO = 0.8;
const TARGET_REPORT_MS = 1000;
const TARGET_RSS_MB = 300;
const SEQUENTIAL = 20;
/** Large exports (the whole national report) are given up after this long. */
const EXPORT_TIMEOUT_MS = 20 * 60_000;

type Audience = 'heads' | 'all';

interface Row {
  scenario: string;
  scale: ScaleName;
  /** Bytes of one answer (a page, a JSON body, a file). */
  bytes: number | null;
  perSecond: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  errors: string;
  cpuMsPerRequest: number | null;
  rssMb: number | null;
  /** National ÷ province requests per second (national rows of the throughput scenarios). */
  ratio: number | null;
  /** National ÷ national-units (the same 603 units with province-scale people): the cost of signatures alone. */
  ratioToControl: number | null;
  target: string;
  met: boolean | null;
  note?: string;
}

interface ExportResult {
  path: string;
  status: number;
  bytes: number;
  /** Lines after the header (CSV); null for XLSX. */
  csvRows: number | null;
  expectedRows: number;
  firstByteMs: number;
  totalMs: number;
  rssBeforeMb: number;
  peakRssMb: number;
  peakHwmMb: number | null;
  /** The app's RSS (MB) every half second of the download, to see whether it grows with the rows. */
  rssSeries: number[];
  /** Why the download failed (the app died, the time ran out), if it did. */
  error: string | null;
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP

const ADMIN_ADDRESS = '203.0.113.10';

/** A different reader (X-Forwarded-For in 198.18.0.0/15) for each call, round the first 65,536 addresses. */
let nextReader = 0;
const readerAddress = (): string => {
  const n = nextReader++ % 65_536;
  return `198.18.${n >> 8}.${n & 255}`;
};
const eachReaderOwnAddress = (request: autocannon.Request): autocannon.Request => ({
  ...request,
  headers: { ...request.headers, 'x-forwarded-for': readerAddress() },
});

/** `name=value` pairs of a response's Set-Cookie headers, as a Cookie header. */
const cookiesOf = (res: Response): string =>
  res.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');

/** Logs in over HTTP as a browser behind the TLS proxy does; returns the session cookie. */
async function logIn(port: number, username: string, password: string): Promise<string> {
  const headers = { ...READER_HEADERS, 'x-forwarded-for': ADMIN_ADDRESS };
  const form = await fetch(`http://127.0.0.1:${port}/masuk`, { headers });
  const html = await form.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const cookie = cookiesOf(form);
  if (!csrf || !cookie) throw new Error(`login form: ${form.status}, no CSRF token or cookie`);
  const res = await fetch(`http://127.0.0.1:${port}/masuk`, {
    method: 'POST',
    headers: { ...headers, cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, next: '', username, password }).toString(),
    redirect: 'manual',
  });
  const session = cookiesOf(res);
  if (res.status !== 302 && res.status !== 303) throw new Error(`login: ${res.status}`);
  if (!session) throw new Error('login: no session cookie');
  return session;
}

/** One GET, timed to the last byte; the body is counted, not kept. */
async function timedGet(port: number, path: string, headers: Record<string, string>) {
  const started = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers });
  let bytes = 0;
  for await (const chunk of res.body ?? []) bytes += (chunk as Uint8Array).length;
  return { status: res.status, bytes, ms: performance.now() - started };
}

// ---------------------------------------------------------------------------------------------------------------
// Memory of the app process

const statusField = (pid: number, field: 'VmRSS' | 'VmHWM'): number | null => {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
};

/** Resets the peak RSS the kernel keeps for the process (VmHWM) to its RSS now; false where that is not allowed. */
const resetPeak = (pid: number): boolean => {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
};

/** An export downloaded as a browser would, with the app's memory watched all the while. */
async function download(
  app: RunningApp,
  path: string,
  cookie: string,
  expectedRows: number,
): Promise<ExportResult> {
  const pid = app.child.pid as number;
  const rssBefore = statusField(pid, 'VmRSS') ?? 0;
  const hwmReset = resetPeak(pid);
  let peak = rssBefore;
  const rssSeries: number[] = [];
  let polls = 0;
  const poll = setInterval(() => {
    const rss = statusField(pid, 'VmRSS') ?? 0;
    peak = Math.max(peak, rss);
    if (polls++ % 10 === 0) rssSeries.push(Math.round(rss));
  }, 50);
  const controller = new AbortController();
  const timeout = setTimeout(() => controller.abort(), EXPORT_TIMEOUT_MS);
  const started = performance.now();
  let status = 0;
  let firstByteMs = Number.NaN;
  let bytes = 0;
  let newlines = 0;
  let error: string | null = null;
  try {
    const res = await fetch(`http://127.0.0.1:${app.port}${path}`, {
      headers: { ...READER_HEADERS, 'x-forwarded-for': ADMIN_ADDRESS, cookie },
      signal: controller.signal,
    });
    status = res.status;
    firstByteMs = performance.now() - started;
    for await (const chunk of res.body ?? []) {
      const data = chunk as Uint8Array;
      bytes += data.length;
      for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) newlines += 1;
    }
  } catch (err) {
    error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  } finally {
    clearInterval(poll);
    clearTimeout(timeout);
  }
  const totalMs = performance.now() - started;
  peak = Math.max(peak, statusField(pid, 'VmRSS') ?? 0);
  const hwm = hwmReset ? statusField(pid, 'VmHWM') : null;
  if (app.child.exitCode !== null || app.child.signalCode !== null) {
    error = `${error ?? 'download ended'}; the app exited (code ${app.child.exitCode}, signal ${app.child.signalCode})`;
  }
  return {
    path,
    status,
    bytes,
    csvRows: path.includes('format=csv') ? newlines - 1 : null,
    expectedRows,
    firstByteMs,
    totalMs,
    rssBeforeMb: rssBefore,
    peakRssMb: Math.max(peak, hwm ?? 0),
    peakHwmMb: hwm,
    rssSeries,
    error,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// One scale

interface ScaleResult {
  info: DataInfo;
  /** The 1-minute load average when the scale's measurements began (other work skews every figure). */
  loadAverage: number;
  cached: boolean;
  copySeconds: number;
  appStartMs: number;
  sizes: Record<string, number>;
  page: Record<Audience, Measured>;
  api: Record<Audience, Measured>;
  report: Record<
    Audience,
    { coldMs: number; sequentialMs: number[]; median: number; p95: number; max: number; load: Measured }
  >;
  exports: { name: string; result: ExportResult }[];
}

interface RunOptions {
  connections: number;
  duration: number;
  sessionSecret: string;
}

async function runScale(
  spec: ScaleSpec,
  options: RunOptions,
  log: (line: string) => void,
): Promise<ScaleResult> {
  const dir = tempDir(`ikrar-compliance-bench-${spec.name}-`);
  try {
    const databasePath = join(dir, 'bench.sqlite');
    const { info, cached, copySeconds } = await prepareDatabase(spec, databasePath, log);
    log(
      `${spec.name}: ${info.activeUnits} units, ${info.activeUsers.toLocaleString('en')} people, ` +
        `${(info.validSignatures.all + info.validSignatures.heads).toLocaleString('en')} signatures ` +
        `(${cached ? 'cached' : 'generated'}; copied in ${copySeconds.toFixed(1)} s)`,
    );
    const { connections, duration, sessionSecret } = options;
    const pactOf = (audience: Audience) => info.pacts[audience];
    const audiences: Audience[] = ['heads', 'all'];

    const loadAverage = loadavg()[0] ?? 0;
    const app = await startApp({ databasePath, sessionSecret });
    const base = `http://127.0.0.1:${app.port}`;
    const cookie = await logIn(app.port, ADMIN_EMAIL, DEMO_PASSWORD);
    const adminHeaders = { ...READER_HEADERS, 'x-forwarded-for': ADMIN_ADDRESS, cookie };
    const sizes: Record<string, number> = {};

    // The admin report first: its first request after the start computes the pact's numbers (the cache is empty).
    // Both pacts' one-at-a-time requests before any load run, so that no load run's garbage is collected in them.
    const oneAtATime = new Map<Audience, { coldMs: number; sequentialMs: number[] }>();
    for (const audience of audiences) {
      const path = `/admin/kepatuhan/${pactOf(audience)}`;
      const cold = await timedGet(app.port, path, adminHeaders);
      if (cold.status !== 200) throw new Error(`GET ${path}: ${cold.status}`);
      const sequentialMs: number[] = [];
      for (let i = 0; i < SEQUENTIAL; i += 1) {
        const { status, ms, bytes } = await timedGet(app.port, path, adminHeaders);
        if (status !== 200) throw new Error(`GET ${path}: ${status}`);
        sequentialMs.push(ms);
        sizes[`report ${audience}`] = bytes;
      }
      log(
        `  ${spec.name}: admin report ${audience}: cold ${cold.ms.toFixed(0)} ms, then ${SEQUENTIAL} sequential`,
      );
      oneAtATime.set(audience, { coldMs: cold.ms, sequentialMs });
    }
    const report = {} as ScaleResult['report'];
    for (const audience of audiences) {
      const { coldMs, sequentialMs } = oneAtATime.get(audience) as { coldMs: number; sequentialMs: number[] };
      log(`  ${spec.name}: admin report ${audience}: ${connections} admins at once`);
      report[audience] = {
        coldMs,
        sequentialMs,
        median: quantile(sequentialMs, 0.5),
        p95: quantile(sequentialMs, 0.95),
        max: Math.max(...sequentialMs),
        load: await measure(`${base}/admin/kepatuhan/${pactOf(audience)}`, app.child, connections, duration, {
          headers: adminHeaders,
        }),
      };
    }

    const page = {} as ScaleResult['page'];
    const api = {} as ScaleResult['api'];
    for (const audience of audiences) {
      const pagePath = `/kepatuhan/${pactOf(audience)}`;
      const apiPath = `/api/v1/pacts/${pactOf(audience)}/compliance`;
      for (const [name, path] of [
        [`page ${audience}`, pagePath],
        [`api ${audience}`, apiPath],
      ] as const) {
        const probe = await timedGet(app.port, path, {
          ...READER_HEADERS,
          'x-forwarded-for': readerAddress(),
        });
        if (probe.status !== 200) throw new Error(`GET ${path}: ${probe.status}`);
        sizes[name] = probe.bytes;
      }
      log(`  ${spec.name}: public page and API, ${audience}`);
      page[audience] = await measure(`${base}${pagePath}`, app.child, connections, duration);
      api[audience] = await measure(`${base}${apiPath}`, app.child, connections, duration, {
        setupRequest: eachReaderOwnAddress,
      });
    }
    await stop(app.child);

    // Exports, each in a fresh app process so that its peak memory is the export's own.
    const exportPlan: { name: string; path: string; rows: number }[] = [];
    const all = pactOf('all');
    const big = info.biggestUnit;
    if (spec.name === 'province') {
      exportPlan.push({
        name: 'export report XLSX (all)',
        path: `/admin/kepatuhan/${all}?format=xlsx`,
        rows: info.required.all,
      });
      exportPlan.push({
        name: `export unit CSV (${big.code})`,
        path: `/admin/kepatuhan/${all}/unit/${big.id}?format=csv`,
        rows: big.members,
      });
    } else if (spec.name === 'national') {
      exportPlan.push({
        name: `export unit CSV (${big.code})`,
        path: `/admin/kepatuhan/${all}/unit/${big.id}?format=csv`,
        rows: big.members,
      });
      exportPlan.push({
        name: `export unit XLSX (${big.code})`,
        path: `/admin/kepatuhan/${all}/unit/${big.id}?format=xlsx`,
        rows: big.members,
      });
      exportPlan.push({
        name: 'export report XLSX (all)',
        path: `/admin/kepatuhan/${all}?format=xlsx`,
        rows: info.required.all,
      });
    }
    const exports: ScaleResult['exports'] = [];
    for (const { name, path, rows } of exportPlan) {
      const exportApp = await startApp({ databasePath, sessionSecret });
      // A page first, so that the process is as an admin's would be before asking for a file.
      await timedGet(exportApp.port, `/admin/kepatuhan/${all}`, adminHeaders);
      log(`  ${spec.name}: ${name} (${rows.toLocaleString('en')} detail rows)`);
      const result = await download(exportApp, path, cookie, rows);
      exports.push({ name, result });
      await stop(exportApp.child);
    }

    return {
      info,
      loadAverage,
      cached,
      copySeconds,
      appStartMs: app.startMs,
      sizes,
      page,
      api,
      report,
      exports,
    };
  } finally {
    await stopAll();
    removeTempDir(dir);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Report

const fixed = (value: number | null, digits = 0) => (value === null ? '-' : value.toFixed(digits));

/** The row of a load run (autocannon's numbers), without size, ratios or target; callers add what they know. */
function loadRow(scenario: string, scale: ScaleName, m: Measured): Row {
  return {
    scenario,
    scale,
    bytes: null,
    perSecond: m.perSecond,
    p50: m.p50,
    p95: null,
    p99: m.p99,
    max: m.max,
    errors: `${m.errors}/${m.non2xx}`,
    cpuMsPerRequest: m.cpuMsPerRequest,
    rssMb: null,
    ratio: null,
    ratioToControl: null,
    target: '',
    met: null,
  };
}

function rowsOf(results: Map<ScaleName, ScaleResult>): Row[] {
  const rows: Row[] = [];
  const province = results.get('province');
  const control = results.get('national-units');
  for (const [scale, result] of results) {
    const isNational = scale === 'national';
    for (const audience of ['heads', 'all'] as const) {
      for (const kind of ['page', 'api'] as const) {
        const m = result[kind][audience];
        const ratio = isNational && province ? m.perSecond / province[kind][audience].perSecond : null;
        rows.push({
          ...loadRow(kind === 'page' ? `public page, ${audience}` : `API compliance, ${audience}`, scale, m),
          bytes: result.sizes[`${kind} ${audience}`] ?? null,
          ratio,
          ratioToControl: isNational && control ? m.perSecond / control[kind][audience].perSecond : null,
          target: isNational ? `≥ ${TARGET_RATIO * 100}% of province` : '',
          met: ratio === null ? null : ratio >= TARGET_RATIO,
        });
      }
    }
    for (const audience of ['heads', 'all'] as const) {
      const r = result.report[audience];
      rows.push({
        scenario: `admin report, ${audience}: first (cold)`,
        scale,
        bytes: result.sizes[`report ${audience}`] ?? null,
        perSecond: null,
        p50: null,
        p95: null,
        p99: null,
        max: r.coldMs,
        errors: '0/0',
        cpuMsPerRequest: null,
        rssMb: null,
        ratio: null,
        ratioToControl: null,
        target: isNational ? `≤ ${TARGET_REPORT_MS} ms` : '',
        met: isNational ? r.coldMs <= TARGET_REPORT_MS : null,
      });
      rows.push({
        scenario: `admin report, ${audience}: ${SEQUENTIAL} sequential`,
        scale,
        bytes: result.sizes[`report ${audience}`] ?? null,
        perSecond: 1000 / (r.sequentialMs.reduce((a, b) => a + b, 0) / r.sequentialMs.length),
        p50: r.median,
        p95: r.p95,
        p99: null,
        max: r.max,
        errors: '0/0',
        cpuMsPerRequest: null,
        rssMb: null,
        ratio: null,
        ratioToControl: null,
        target: isNational ? `max ≤ ${TARGET_REPORT_MS} ms` : '',
        met: isNational ? r.max <= TARGET_REPORT_MS : null,
      });
      const m = r.load;
      // Ten admins at once: informative, no target (it is for one admin's request, the rows above).
      rows.push({
        ...loadRow(`admin report, ${audience}: load`, scale, m),
        bytes: result.sizes[`report ${audience}`] ?? null,
        ratio: isNational && province ? m.perSecond / province.report[audience].load.perSecond : null,
        ratioToControl: isNational && control ? m.perSecond / control.report[audience].load.perSecond : null,
      });
    }
    for (const { name, result: e } of result.exports) {
      const complete =
        e.error === null && e.status === 200 && (e.csvRows === null || e.csvRows === e.expectedRows);
      rows.push({
        scenario: name,
        scale,
        bytes: e.bytes,
        perSecond: null,
        p50: null,
        p95: null,
        p99: null,
        max: e.totalMs,
        errors: e.error ? '1/0' : e.status === 200 ? '0/0' : `0/${e.status}`,
        cpuMsPerRequest: null,
        rssMb: e.peakRssMb,
        ratio: null,
        ratioToControl: null,
        target: `RSS ≤ ${TARGET_RSS_MB} MB`,
        met: complete && e.peakRssMb <= TARGET_RSS_MB,
        note:
          `${e.expectedRows.toLocaleString('en')} detail rows` +
          (e.csvRows === null ? '' : ` (${e.csvRows.toLocaleString('en')} in the file)`) +
          `, first byte ${(e.firstByteMs / 1000).toFixed(2)} s, RSS before ${e.rssBeforeMb.toFixed(0)} MB` +
          (e.error ? `; FAILED: ${e.error}` : ''),
      });
    }
  }
  return rows;
}

function printTable(rows: Row[]): void {
  const kb = (bytes: number | null) =>
    bytes === null
      ? '-'
      : bytes >= 10 * 1024 ** 2
        ? `${(bytes / 1024 ** 2).toFixed(0)} MB`
        : (bytes / 1024).toFixed(1);
  console.log(
    table(
      [
        [
          'scenario',
          'scale',
          'KB',
          'req/s',
          'p50 ms',
          'p95 ms',
          'p99 ms',
          'max ms',
          'err/non2xx',
          'CPU ms/req',
          'peak RSS MB',
          'nat/prov',
          'nat/ctrl',
          'target',
          'met?',
        ],
        ...rows.map((r) => [
          r.scenario,
          r.scale,
          kb(r.bytes),
          fixed(r.perSecond),
          fixed(r.p50, r.p95 === null ? 0 : 1),
          fixed(r.p95, 1),
          fixed(r.p99),
          fixed(r.max),
          r.errors,
          fixed(r.cpuMsPerRequest, 2),
          fixed(r.rssMb),
          r.ratio === null ? '-' : `${(r.ratio * 100).toFixed(0)}%`,
          r.ratioToControl === null ? '-' : `${(r.ratioToControl * 100).toFixed(0)}%`,
          r.target || '-',
          r.met === null ? '-' : r.met ? 'yes' : 'NO',
        ]),
      ],
      2,
    ),
  );
  for (const r of rows) if (r.note) console.log(`  ${r.scenario} (${r.scale}): ${r.note}`);
}

// ---------------------------------------------------------------------------------------------------------------

function scales(quick: boolean): Record<ScaleName, ScaleSpec> {
  const nationalUsers = Number(process.env.NATIONAL_USERS ?? (quick ? 430_000 : 4_300_000));
  if (!(nationalUsers >= 100_000)) throw new Error('NATIONAL_USERS must be at least 100000');
  return {
    province: {
      name: 'province',
      users: 50_000,
      nationalUnits: false,
      allShare: 0.8,
      headsShare: 0.9,
      bigUnitMembers: 0,
    },
    'national-units': {
      name: 'national-units',
      users: 50_000,
      nationalUnits: true,
      allShare: 0.7,
      headsShare: 0.9,
      bigUnitMembers: 0,
    },
    national: {
      name: 'national',
      users: nationalUsers,
      nationalUnits: true,
      allShare: 0.7,
      headsShare: 0.9,
      bigUnitMembers: 50_000,
    },
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      duration: { type: 'string' },
      connections: { type: 'string', default: '10' },
      scales: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const quick = values.quick ?? false;
  const duration = Number(values.duration ?? (quick ? 2 : 10));
  const connections = Number(values.connections);
  if (!(duration > 0) || !(connections > 0)) throw new Error('--duration and --connections must be positive');
  const specs = scales(quick);
  const wanted = (values.scales ?? (quick ? 'province,national' : 'province,national-units,national'))
    .split(',')
    .map((name) => name.trim()) as ScaleName[];
  for (const name of wanted) if (!Object.hasOwn(specs, name)) throw new Error(`unknown scale ${name}`);

  const info = machine();
  const started = performance.now();
  const log = (line: string) => console.log(line);
  console.log(describeMachine(info));
  console.log(
    `run: ${connections} connections, ${duration} s per throughput scenario (after an unrecorded warm-up), ` +
      `${SEQUENTIAL} sequential admin requests; autocannon in this process, the app in a child; ` +
      `database cache ${CACHE_DIR}`,
  );

  const sessionSecret = randomBytes(32).toString('hex');
  const results = new Map<ScaleName, ScaleResult>();
  try {
    for (const name of wanted) {
      results.set(name, await runScale(specs[name], { connections, duration, sessionSecret }, log));
    }
  } finally {
    await stopAll();
  }

  const rows = rowsOf(results);
  console.log('');
  for (const [name, result] of results) {
    const d = result.info;
    console.log(
      `${name}: ${d.activeUnits} units, ${d.activeUsers.toLocaleString('en')} active people, signatures ` +
        `${d.validSignatures.heads.toLocaleString('en')} heads + ${d.validSignatures.all.toLocaleString('en')} all-ASN ` +
        `(required ${d.required.heads} heads, ${d.required.all.toLocaleString('en')} all-ASN), ` +
        `${d.databaseMb.toFixed(0)} MB; generated in ${d.generationSeconds.toFixed(1)} s (` +
        Object.entries(d.steps)
          .map(([step, seconds]) => `${step} ${seconds.toFixed(1)}`)
          .join(', ') +
        `)${result.cached ? ', cached' : ''}; counts vs a fresh aggregate: ${d.countCheck.members}/${d.countCheck.signed}/` +
        `${d.countCheck.daily} rows differ (members/signed/daily, checked in ${d.countCheck.seconds.toFixed(1)} s); ` +
        `app started in ${(result.appStartMs / 1000).toFixed(1)} s; load average ${result.loadAverage.toFixed(2)}`,
    );
  }
  console.log('');
  printTable(rows);
  console.log(
    '\nnat/prov = national ÷ province requests per second (the target for page and API); nat/ctrl = national ÷ ' +
      'national-units (same 603 units, province-scale people): what the number of people and signatures alone ' +
      'costs. Admin report: first (cold) = the first request after the app started (computes the numbers); ' +
      'sequential = one at a time, p50 = median; load = autocannon with the admin session. Exports: max = time to ' +
      'the last byte; peak RSS of the app process (VmHWM reset before, VmRSS polled every 50 ms).',
  );

  const out =
    values.out ??
    join(
      tmpdir(),
      'ikrar-bench-results',
      `compliance-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    );
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(
    out,
    JSON.stringify(
      {
        bench: 'compliance',
        machine: info,
        quick,
        connections,
        duration,
        seconds: (performance.now() - started) / 1000,
        scales: Object.fromEntries(results),
        rows,
      },
      null,
      2,
    ),
  );
  console.log(`\nresults: ${out}`);
}

runMain(main);
