/**
 * npm run bench — every scenario of issue 8 against the app as production runs it, at province and national scale,
 * in one table (and a JSON file, so that runs can be compared). Reports; asserts nothing about speed.
 *
 * For each scale: a fresh copy of the cached database (bench-data.ts) in this run's temp folder; the app
 * (dist/main.js, NODE_ENV=production, WORKERS from --workers) started on it in a child process; autocannon here.
 * The reads run first (pages, compliance, admin report, the XLSX export), then what writes (logins leave sessions,
 * signings signatures, the import 50k people), so that no read sees more than a real morning would have left.
 * Floors are measured in the same run: the page floor beside each page, the login and signing floors after them.
 * The bench refuses any database but its own temp copies, and stops its processes and removes its files however it
 * ends (see bench-kit.ts). `npm run bench -- --help` lists the options.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_WORKER_HEAP_MB } from '../../src/core/config.js';
import { openDatabase } from '../../src/db/database.js';
import { openPostgres } from '../../src/db/postgres-database.js';
import { DEMO_PASSWORD } from '../../src/seed/demo.js';
import { logIn } from '../helpers/http-login.js';
import { type DataInfo, newestPostSlug, prepareDatabase, scaleSpec } from './kit/bench-data.js';
import {
  type BenchDatabase,
  describeMachine,
  interrupted,
  machine,
  newSessionSecret,
  READER_HEADERS,
  type RunningApp,
  removeTempDir,
  runMain,
  startApp,
  stop,
  table,
  tempDir,
} from './kit/bench-kit.js';
import {
  type BenchOptions,
  type EngineName,
  parseBenchOptions,
  SCENARIO_NAMES,
  SCENARIOS,
  type ScaleName,
  type ScenarioName,
  USAGE,
  UsageError,
} from './kit/bench-options.js';
import { type PostgresRun, preparePostgres } from './kit/bench-postgres.js';
import type { ScenarioContext, ScenarioResult } from './scenarios/context.js';
import { runXlsxExport } from './scenarios/export.js';
import { runImport } from './scenarios/import.js';
import { runLetters } from './scenarios/letters.js';
import { runLogin } from './scenarios/login.js';
import { ADMIN_ADDRESS, PAGE_SCENARIOS, type PageScenario, runPages } from './scenarios/pages.js';
import { runSign } from './scenarios/sign.js';
import { runSoak, type SoakResult } from './scenarios/soak.js';

const ADMIN_EMAIL = 'admin@ikrar.test';

/** The issue's targets: reported beside the numbers, never asserted. */
const TARGETS = {
  signPerSecond: 1000,
  loginPerSecond: 120,
  pageRatio: 0.7,
  nationalRatio: 0.8,
  reportP99Ms: 250,
  workerRssMb: 200,
};
const TARGETS_TEXT =
  `targets (reported, not asserted): signing ≥ ${TARGETS.signPerSecond.toLocaleString('en')}/s; public pages ≥ ` +
  `${TARGETS.pageRatio * 100}% of their floor; national /kepatuhan and API ≥ ${TARGETS.nationalRatio} × province; ` +
  `admin report and a unit's people at national p99 ≤ ${TARGETS.reportP99Ms} ms; ` +
  `login ≥ ${TARGETS.loginPerSecond}/s; RSS ≤ ${TARGETS.workerRssMb} MB per worker`;

interface Target {
  text: string;
  met: boolean | null;
}

/** What a scale runs on: an engine and, on PostgreSQL, how many app nodes; `db` names it in the table. */
interface Setup {
  engine: EngineName;
  nodes: number;
  db: string;
}

/** SQLite (one node: WORKERS spreads it over the cores), then PostgreSQL with each node count asked for. */
const setupsOf = (options: BenchOptions): Setup[] =>
  options.engines.flatMap((engine): Setup[] =>
    engine === 'sqlite'
      ? [{ engine, nodes: 1, db: 'sqlite' }]
      : options.nodes.map((nodes) => ({ engine, nodes, db: nodes === 1 ? engine : `${engine} ×${nodes}` })),
  );

interface ScaleRun {
  db: string;
  nodes: number;
  info: DataInfo;
  cached: boolean;
  copySeconds: number;
  appStartMs: number;
  workers: number | null;
  /** The 1-minute load average when the scale's runs began. */
  loadAverage: number;
  results: EngineResult[];
  /** With --soak: the soak, in place of the scenarios. */
  soak: SoakResult | null;
}

// ---------------------------------------------------------------------------------------------------------------
// One scale

async function runScale(
  scale: ScaleName,
  setup: Setup,
  options: BenchOptions,
  log: (line: string) => void,
): Promise<ScaleRun> {
  const { engine } = setup;
  const dir = tempDir(`ikrar-bench-${scale}-`);
  const label = `${scale} on ${setup.db}`;
  let postgres: PostgresRun | undefined;
  try {
    const databasePath = join(dir, 'bench.sqlite');
    const prepared = await prepareDatabase(
      scaleSpec(scale, options.quick),
      engine === 'sqlite' ? databasePath : null,
      log,
    );
    const { info, cached } = prepared;
    let copySeconds = prepared.copySeconds;
    let database: BenchDatabase = { engine: 'sqlite', path: databasePath };
    if (engine === 'postgres') {
      postgres = await preparePostgres(prepared, prepared.cacheFile, log);
      copySeconds = postgres.copySeconds;
      database = { engine: 'postgres', name: postgres.name, url: postgres.url };
    }
    log(
      `${label}: ${info.activeUnits} units, ${info.activeUsers.toLocaleString('en')} people, ` +
        `${(info.validSignatures.all + info.validSignatures.heads).toLocaleString('en')} signatures, ` +
        `${(info.posts ?? 0).toLocaleString('en')} posts (${cached ? 'cached' : 'generated'}; copied in ${copySeconds.toFixed(1)} s)`,
    );
    const db =
      database.engine === 'sqlite'
        ? openDatabase(database.path)
        : openPostgres(database.url, { poolSize: 4 });
    const nodes: RunningApp[] = [];
    try {
      const sessionSecret = newSessionSecret();
      // One after another: the first migrates (nothing to do on the bench's copy) before the next starts.
      for (let n = 0; n < setup.nodes; n += 1) {
        nodes.push(
          await startApp({
            database,
            sessionSecret,
            workers: options.workers,
            // Logins come from many addresses, but the failed-login limit is lifted all the same: a run must not
            // stop on it.
            env: { LOGIN_RATE_LIMIT: '1000000' },
          }),
        );
      }
      const app = nodes[0] as RunningApp;
      // Other work on the machine moves every figure: say how busy it was when this scale's runs began.
      const loadAverage = loadavg()[0] ?? 0;
      log(
        `${label}: app started in ${(app.startMs / 1000).toFixed(1)} s` +
          (app.workers === null ? '' : app.workers > 0 ? `, ${app.workers} workers` : ', one process') +
          (nodes.length > 1 ? ` per node, ${nodes.length} nodes` : '') +
          `; load average ${loadAverage.toFixed(2)}`,
      );
      const adminCookie = await logIn(app.base, ADMIN_EMAIL, DEMO_PASSWORD, {
        ...READER_HEADERS,
        'x-forwarded-for': ADMIN_ADDRESS,
      });
      const ctx: ScenarioContext = {
        scale,
        info,
        app,
        nodes,
        database,
        db,
        sessionSecret,
        dir,
        connections: options.connections,
        duration: options.duration,
        adminCookie,
        log,
      };
      const scaleRun = {
        db: setup.db,
        nodes: setup.nodes,
        info,
        cached,
        copySeconds,
        appStartMs: app.startMs,
        workers: app.workers,
        loadAverage,
      };
      if (options.soak !== null) return { ...scaleRun, results: [], soak: await runSoak(ctx, options.soak) };
      const wanted = (name: ScenarioName) => options.only.includes(name);
      const results: EngineResult[] = [];
      /** A scenario that fails is a row with its error; the others still run. */
      const attempt = async (names: ScenarioName[], run: () => Promise<ScenarioResult[]>) => {
        try {
          results.push(...(await run()).map((result) => ({ ...result, engine, db: setup.db })));
        } catch (err) {
          // Stopped by Ctrl+C or SIGTERM: the signal handler exits once the children have stopped.
          if (interrupted()) await new Promise(() => {});
          const message = err instanceof Error ? err.message : String(err);
          log(`  ${label}: ${names.join(', ')} FAILED: ${message}`);
          for (const scenario of names) {
            results.push({ ...failed(scenario, scale, message), engine, db: setup.db });
          }
        }
      };

      const pages = PAGE_SCENARIOS.filter(wanted);
      if (pages.length > 0) {
        const slug = await newestPostSlug(db);
        if (slug === null) log(`  ${label}: no posts at this scale: /berita and /berita/:slug are not run`);
        const run = slug === null ? pages.filter((name) => name !== 'berita' && name !== 'post') : pages;
        await attempt(run, () => runPages(ctx, run as PageScenario[], slug));
      }
      if (wanted('xlsx')) await attempt(['xlsx'], async () => [await runXlsxExport(ctx)]);
      if (wanted('login')) await attempt(['login'], async () => [await runLogin(ctx)]);
      if (wanted('sign')) await attempt(['sign'], async () => [await runSign(ctx)]);
      if (wanted('letters')) await attempt(['letters'], async () => [await runLetters(ctx)]);
      if (wanted('import')) await attempt(['import'], async () => [await runImport(ctx)]);
      return { ...scaleRun, results, soak: null };
    } finally {
      // Before its database is closed and its folder removed, however this scale ended.
      await Promise.all(nodes.map((node) => stop(node.child)));
      await db.close();
    }
  } finally {
    removeTempDir(dir);
    await postgres?.drop();
  }
}

const failed = (scenario: ScenarioName, scale: ScaleName, error: string): ScenarioResult => ({
  scenario,
  scale,
  kind: 'load',
  perSecond: null,
  p50: null,
  p99: null,
  errors: 1,
  memory: null,
  floor: null,
  ratio: null,
  detail: { error },
});

// ---------------------------------------------------------------------------------------------------------------
// Report

/** A row of the table: a scenario's result on one setup (its `db`). */
type EngineResult = ScenarioResult & { engine: EngineName; db: string };

/** National ÷ province, by setup and scenario. */
type Ratios = Map<string, { db: string; scenario: ScenarioName; ratio: number }>;
const ratioKey = (db: string, scenario: ScenarioName) => `${db}|${scenario}`;

/** National ÷ province requests per second on each setup, for the scenarios whose target is that ratio. */
function nationalRatios(results: EngineResult[]): Ratios {
  const ratios: Ratios = new Map();
  for (const db of new Set(results.map((r) => r.db))) {
    for (const scenario of ['kepatuhan', 'api'] as const) {
      const of = (scale: ScaleName) =>
        results.find((r) => r.db === db && r.scenario === scenario && r.scale === scale)?.perSecond ?? null;
      const province = of('province');
      const national = of('national');
      if (province && national !== null) {
        ratios.set(ratioKey(db, scenario), { db, scenario, ratio: national / province });
      }
    }
  }
  return ratios;
}

function targetOf(result: EngineResult, ratios: Ratios): Target | null {
  const at = (value: number | null, floor: number) => (value === null ? null : value >= floor);
  switch (result.scenario) {
    case 'sign':
      return {
        text: `≥ ${TARGETS.signPerSecond.toLocaleString('en')}/s`,
        met: at(result.perSecond, TARGETS.signPerSecond),
      };
    case 'login':
      return { text: `≥ ${TARGETS.loginPerSecond}/s`, met: at(result.perSecond, TARGETS.loginPerSecond) };
    case 'home':
    case 'berita':
    case 'post':
      return { text: `≥ ${TARGETS.pageRatio * 100}% of floor`, met: at(result.ratio, TARGETS.pageRatio) };
    case 'kepatuhan':
      if (result.scale !== 'national') {
        return { text: `≥ ${TARGETS.pageRatio * 100}% of floor`, met: at(result.ratio, TARGETS.pageRatio) };
      }
      return {
        text: `≥ ${TARGETS.nationalRatio} × province`,
        met: at(ratios.get(ratioKey(result.db, result.scenario))?.ratio ?? null, TARGETS.nationalRatio),
      };
    case 'api':
      if (result.scale !== 'national') return null;
      return {
        text: `≥ ${TARGETS.nationalRatio} × province`,
        met: at(ratios.get(ratioKey(result.db, result.scenario))?.ratio ?? null, TARGETS.nationalRatio),
      };
    case 'report':
    case 'unit':
      if (result.scale !== 'national') return null;
      return {
        text: `p99 ≤ ${TARGETS.reportP99Ms} ms`,
        met: result.p99 === null ? null : result.p99 <= TARGETS.reportP99Ms,
      };
    default:
      return null;
  }
}

const DASH = '—';
const fixed = (value: number | null | undefined, digits = 0) =>
  value === null || value === undefined || !Number.isFinite(value) ? DASH : value.toFixed(digits);
const perSecond = (value: number | null | undefined) =>
  value === null || value === undefined ? DASH : Math.round(value).toLocaleString('en');

function printTable(
  results: EngineResult[],
  targets: Map<EngineResult, Target | null>,
  setups: readonly Setup[],
): void {
  // Each scenario's rows together: province then national, the setups in their order within each.
  const setupIndex = (r: EngineResult) => setups.findIndex((setup) => setup.db === r.db);
  const order = (r: EngineResult) =>
    (SCENARIO_NAMES.indexOf(r.scenario) * 2 + (r.scale === 'province' ? 0 : 1)) * setups.length +
    setupIndex(r);
  const rows = [...results]
    .sort((a, b) => order(a) - order(b))
    .map((r) => {
      const target = targets.get(r);
      return [
        SCENARIOS[r.scenario],
        r.scale,
        r.db,
        perSecond(r.perSecond),
        fixed(r.p50, r.kind === 'load' && r.p50 !== null && r.p50 < 10 ? 1 : 0),
        fixed(r.p99),
        String(r.errors),
        fixed(r.memory?.workerMb),
        perSecond(r.floor?.perSecond),
        r.ratio === null ? DASH : r.ratio.toFixed(2),
        target ? `${target.text}${target.met === null ? '' : target.met ? ': yes' : ': NO'}` : DASH,
      ];
    });
  console.log(
    table(
      [
        [
          'scenario',
          'scale',
          'db',
          'req/s',
          'p50 ms',
          'p99 ms',
          'errors',
          'peak RSS MB/worker',
          'floor req/s',
          'ratio',
          'target',
        ],
        ...rows,
      ],
      2,
    ),
  );
}

function printFooter(results: EngineResult[], ratios: Ratios): void {
  const ratioLine = [...ratios.values()]
    .map(({ db, scenario, ratio }) => `${SCENARIOS[scenario]} on ${db} ${ratio.toFixed(2)}`)
    .join(', ');
  if (ratioLine) {
    console.log(`\nnational ÷ province req/s: ${ratioLine} (target ≥ ${TARGETS.nationalRatio})`);
  }
  const overRss = results.filter((r) => (r.memory?.workerMb ?? 0) > TARGETS.workerRssMb);
  console.log(
    `RSS ≤ ${TARGETS.workerRssMb} MB per worker: ` +
      (results.every((r) => r.memory === null)
        ? 'not measured (no /proc here)'
        : overRss.length === 0
          ? 'met in every scenario'
          : `over in ${overRss.map((r) => `${SCENARIOS[r.scenario]} (${r.scale}, ${r.db}, ${r.memory?.workerMb.toFixed(0)} MB)`).join(', ')}`),
  );
  for (const r of results.filter((row) => row.scenario === 'sign')) {
    const grouped = (r.floor?.detail as { grouped?: { perSecond: number } } | undefined)?.grouped;
    if (grouped) {
      console.log(
        `the database's ceiling for signings (${r.scale}, ${r.engine}): the same rows 64 to a transaction and nothing else, ` +
          `${grouped.perSecond.toFixed(0)}/s (the primary's own work per signing comes on top; see docs/CAPACITY.md)`,
      );
    }
  }
  for (const r of results) {
    const error =
      r.detail.error ??
      (r.errors > 0 && r.detail.statuses ? `statuses ${JSON.stringify(r.detail.statuses)}` : null);
    if (error) console.log(`errors in ${SCENARIOS[r.scenario]} (${r.scale}, ${r.db}): ${String(error)}`);
  }
  console.log(
    [
      '',
      'req/s = successes per second (200 for pages, the redirect for login 302 and sign 303); errors = connection',
      'errors, timeouts and any other status. One-shot rows (XLSX export, roster import: once each) show their',
      'duration in p50 and rows per second in req/s. Peak RSS = the largest single worker of the app during the',
      "scenario (VmRSS every 50 ms, and VmHWM); the primary's is in the JSON. Floors, measured in this run: pages,",
      'compliance API and admin report = bare Express sending the same bytes (child process); sign = the same',
      "rows written by the repositories on the row's database, no HTTP, one durable transaction each; login =",
      "argon2 verify with the app's parameters at the same concurrency (child process). ratio = req/s ÷ floor.",
      'db = the engine: sqlite (the temp copy of the file) or postgres (a copy of the same data, BENCH_POSTGRES_URL,',
      'as the server is configured: the bench does not tune it).',
      'XLSX export: province = the whole all-ASN report (its detail sheet lists all ~50k people); national = the',
      "biggest unit's (DISDIKBUD, 50k people): a report of more than 200,000 people lists none in its detail sheet",
      'and points to the per-unit exports. Roster import: 50,000 new people without email (so no invitations),',
      'upload + preview + confirm over HTTP. Activation letters: the largest unit of at most 10,000 people, reset',
      'letters included (the bench people have passwords), preview then the PDF streamed to its last byte.',
      'National has no posts (as the issue defines it): /berita pages run at',
      'province only. The app runs with LOGIN_RATE_LIMIT raised (it counts failed logins only; a run has none).',
      TARGETS_TEXT,
    ].join('\n'),
  );
}

function printSoak(label: string, soak: SoakResult): void {
  const mb = (value: number | null) => fixed(value);
  console.log(
    `soak, ${label}: ${soak.minutes} min; RSS sampled every 5 s; slope = least squares after the first ` +
      `${soak.warmUpMinutes.toFixed(1)} min\n`,
  );
  console.log(
    table([
      ['process', 'pid', 'start MB', 'warm MB', 'peak MB', 'end MB', 'slope MB/min'],
      ...soak.processes.map((p) => [
        p.label,
        String(p.pid),
        mb(p.startMb),
        mb(p.warmMb),
        mb(p.peakMb),
        mb(p.endMb),
        fixed(p.slopeMbPerMinute, 2),
      ]),
    ]),
  );
  console.log('');
  console.log(
    table([
      ['traffic', 'requests', 'req/s', 'errors', 'journeys'],
      ...Object.entries(soak.traffic).map(([role, t]) => [
        role,
        t.requests.toLocaleString('en'),
        perSecond(t.perSecond),
        String(t.errors),
        t.journeys ? t.journeys.toLocaleString('en') : DASH,
      ]),
    ]),
  );
  for (const failure of soak.failures) console.log(`failed: ${failure}`);
  const over = soak.processes.filter((p) => p.label !== 'primary' && p.peakMb > TARGETS.workerRssMb);
  console.log(
    `RSS ≤ ${TARGETS.workerRssMb} MB per worker: ` +
      (over.length === 0
        ? 'met'
        : `over in ${over.map((p) => `${p.label} (${p.peakMb.toFixed(0)} MB)`).join(', ')}`),
  );
}

/** The workers' heap limit the app runs with (see workerExecArgv in src/cluster.ts): the table's RSS depends on it. */
function heapSetting(): string {
  const nodeOptions = process.env.BENCH_APP_NODE_OPTIONS;
  const heapMb = process.env.WORKER_HEAP_MB?.trim() || String(DEFAULT_WORKER_HEAP_MB);
  return (
    (heapMb === '0'
      ? 'WORKER_HEAP_MB=0: no heap limit'
      : `each worker's heap limited to ${heapMb} MB (WORKER_HEAP_MB)`) +
    (nodeOptions ? `; BENCH_APP_NODE_OPTIONS=${nodeOptions} (a heap limit there wins)` : '')
  );
}

// ---------------------------------------------------------------------------------------------------------------

function readOptions(): BenchOptions {
  try {
    return parseBenchOptions(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`npm run bench: ${err.message}\n(npm run bench -- --help lists the options)`);
    process.exit(err.exitCode);
  }
}

async function main() {
  const options = readOptions();
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const started = performance.now();
  const startedAt = new Date();
  const info = machine();
  const log = (line: string) => console.log(line);
  const warmUp = Math.max(1, Math.round(options.duration / 4));
  const workers =
    options.workers === 'auto'
      ? `WORKERS=auto: ${availableParallelism()} worker processes (one per core) and their primary`
      : options.workers === 1
        ? 'WORKERS=1: one process'
        : `WORKERS=${options.workers}: ${options.workers} worker processes and their primary`;
  console.log(describeMachine(info));
  console.log(`app's memory: ${heapSetting()}`);
  console.log(
    `run${options.quick ? ' (quick)' : ''}: scales ${options.scales.join(', ')} on ${setupsOf(options)
      .map((setup) => setup.db)
      .join(', ')}; ` +
      (options.soak !== null
        ? `a soak of ${options.soak} min, the readers on half of ${options.connections} connections; `
        : `${options.only.length === SCENARIO_NAMES.length ? 'every scenario' : `scenarios ${options.only.join(', ')}`}; ` +
          `${options.duration} s per load run after a ${warmUp} s warm-up, ${options.connections} connections; `) +
      `app: ${workers}, NODE_ENV=production on a temp copy; autocannon in this process`,
  );
  if (process.env.DATABASE_PATH) {
    console.log(
      `DATABASE_PATH=${process.env.DATABASE_PATH} is ignored: the bench runs only on its own temporary copies`,
    );
  }

  // Each scale on each setup, keyed 'province on sqlite', 'province on postgres ×2' and so on.
  const setups = setupsOf(options);
  const scales = new Map<string, ScaleRun>();
  for (const scale of options.scales) {
    for (const setup of setups)
      scales.set(`${scale} on ${setup.db}`, await runScale(scale, setup, options, log));
  }

  const results = [...scales.values()].flatMap((run) => run.results);
  const ratios = nationalRatios(results);
  const targets = new Map(results.map((r) => [r, targetOf(r, ratios)]));
  console.log('');
  if (options.soak === null) {
    printTable(results, targets, setups);
    printFooter(results, ratios);
  }
  for (const [label, run] of scales) if (run.soak) printSoak(label, run.soak);

  const out = resolve(
    options.out ??
      join(tmpdir(), 'ikrar-bench-results', `bench-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`),
  );
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    JSON.stringify(
      {
        bench: 'ikrar',
        startedAt,
        seconds: (performance.now() - started) / 1000,
        machine: info,
        options,
        appMemory: heapSetting(),
        targets: TARGETS,
        scales: Object.fromEntries([...scales].map(([name, run]) => [name, { ...run, results: undefined }])),
        nationalToProvince: Object.fromEntries(ratios),
        results: results.map((r) => ({ ...r, label: SCENARIOS[r.scenario], target: targets.get(r) ?? null })),
      },
      null,
      2,
    ),
  );
  console.log(`\nJSON: ${out}  (whole run ${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

runMain(main);
