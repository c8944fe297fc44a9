/** The command line of `npm run bench`: what to run, how long and how hard. Kept apart so tests can read it. */
import { parseArgs } from 'node:util';

/** Every scenario with its label, in the order (the table's; bench.ts runs the reads first). */
export const SCENARIOS = {
  login: 'login',
  sign: 'sign (logged-in signers)',
  home: 'home /',
  berita: '/berita',
  post: '/berita/:slug',
  kepatuhan: '/kepatuhan/:pactId',
  api: '/api/v1/pacts/:id/compliance',
  report: 'admin report',
  unit: "admin report: a unit's people",
  xlsx: 'XLSX export',
  letters: 'activation letters',
  import: 'roster import',
} as const;
export type ScenarioName = keyof typeof SCENARIOS;
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

export const SCALE_NAMES = ['province', 'national'] as const;

/** --db: SQLite alone (the default), PostgreSQL beside it in the same run, or PostgreSQL alone. */
export const DB_CHOICES = {
  sqlite: ['sqlite'],
  postgres: ['sqlite', 'postgres'],
  'postgres-only': ['postgres'],
} as const;
export type EngineName = 'sqlite' | 'postgres';
export type ScaleName = (typeof SCALE_NAMES)[number];

/** App nodes a run may start (a machine running the bench has few cores to give them). */
const MAX_NODES = 4;

/** What the app's WORKERS accepts (src/config.ts). */
const MAX_WORKERS = 64;

export interface BenchOptions {
  help: boolean;
  quick: boolean;
  only: ScenarioName[];
  scales: ScaleName[];
  /** The engines each scale runs on, in this order. */
  engines: EngineName[];
  /** PostgreSQL: app nodes (separate app processes on one database), each count a run of its own. */
  nodes: number[];
  /** Seconds of each recorded load run (each after an unrecorded warm-up of a quarter of it). */
  duration: number;
  connections: number;
  /** WORKERS for the app: a count, or 'auto' (one per core). */
  workers: number | 'auto';
  /** The JSON file; null: a new file under <tmpdir>/ikrar-bench-results/. */
  out: string | null;
  /** Minutes of mixed traffic instead of the scenarios (null: the scenarios); see scenarios/soak.ts. */
  soak: number | null;
}

/**
 * The first minutes of a soak that its slope leaves out (JIT, caches, the heap growing to its working size): three,
 * or a third of a shorter soak.
 */
export const soakWarmUpMinutes = (minutes: number): number => Math.min(3, minutes / 3);

/** A command line the bench cannot run: the message is for the person who typed it (exit code 2, no stack). */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `Usage: npm run bench -- [options]

Builds, generates (or reuses) the data, starts the app as production runs it on a temporary copy, loads it with
autocannon from this process and prints one table (and writes it as JSON). Reports; asserts nothing.

  --quick               province only, 2 s runs: a smoke run in under 2 minutes
  --only a,b            these scenarios only: ${SCENARIO_NAMES.join(', ')}
  --scales a,b          ${SCALE_NAMES.join(', ')} (default: both; --quick: province)
  --db sqlite|postgres|postgres-only
                        sqlite (default); postgres: every scale on SQLite and then on PostgreSQL, one table;
                        postgres-only: PostgreSQL alone. PostgreSQL at BENCH_POSTGRES_URL (default
                        postgres://postgres@127.0.0.1:5432/postgres), which must let the bench create databases
  --nodes a,b           PostgreSQL only: run it with this many app nodes (separate app processes on one database,
                        each with --workers; load spread evenly over them), each count in turn (default 1, at
                        most ${MAX_NODES})
  --duration S          seconds per load run, after a warm-up of a quarter of it (default 10; --quick: 2)
  --connections N       concurrent connections of every load run, floors included (default 32)
  --workers N|auto      WORKERS for the app (default auto: one per core)
  --out FILE            the JSON results (default: <tmpdir>/ikrar-bench-results/bench-<time>.json)
  --soak MINUTES        instead of the scenarios: every role's traffic at once for MINUTES (province unless
                        --scales says otherwise), the RSS of every app process sampled every 5 s, and its slope
                        after a warm-up of 3 minutes (a third of a shorter soak)
  --help                this text

Environment: BENCH_CACHE_DIR (generated databases; default <tmpdir>/ikrar-bench-cache), BENCH_PROFILE (a folder
for CPU profiles of the app), BENCH_APP_NODE_OPTIONS (node options for the app only). DATABASE_PATH is ignored:
the bench only ever runs against its own temporary copies.`;

const list = <T extends string>(value: string, allowed: readonly T[], what: string): T[] => {
  const items = value.split(',').map((item) => item.trim());
  const unknown = items.filter((item) => !(allowed as readonly string[]).includes(item));
  if (unknown.length > 0 || items.length === 0) {
    throw new UsageError(
      `unknown ${what} "${unknown.join(',') || value}": choose from ${allowed.join(', ')}`,
    );
  }
  return [...new Set(items)] as T[];
};

const positive = (value: string, option: string, integer: boolean): number => {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(n > 0) || (integer && !Number.isInteger(n))) {
    throw new UsageError(
      `${option} must be a positive ${integer ? 'whole number' : 'number'}, not "${value}"`,
    );
  }
  return n;
};

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (err) {
    // node:util's messages name the option ("Unknown option '--fast'"); its stack is of no use to anyone.
    throw new UsageError((err as Error).message.split('\n')[0] ?? String(err));
  }
  const quick = values.quick ?? false;
  const workers = values.workers ?? 'auto';
  if (workers !== 'auto') {
    const n = positive(workers, '--workers', true);
    if (n > MAX_WORKERS) throw new UsageError(`--workers must be at most ${MAX_WORKERS} or "auto"`);
  }
  if (values.out !== undefined && values.out.trim() === '') throw new UsageError('--out needs a file name');
  const db = values.db ?? 'sqlite';
  if (!Object.hasOwn(DB_CHOICES, db)) {
    throw new UsageError(`unknown --db "${db}": choose from ${Object.keys(DB_CHOICES).join(', ')}`);
  }
  const engines = [...DB_CHOICES[db as keyof typeof DB_CHOICES]];
  const nodes =
    values.nodes === undefined
      ? [1]
      : [...new Set(values.nodes.split(',').map((n) => positive(n, '--nodes', true)))].sort((a, b) => a - b);
  if (nodes.some((n) => n > MAX_NODES)) throw new UsageError(`--nodes must be at most ${MAX_NODES}`);
  if (!engines.includes('postgres') && nodes.some((n) => n > 1)) {
    throw new UsageError(
      '--nodes above 1 needs PostgreSQL (--db postgres): on SQLite, WORKERS spreads the load over the cores',
    );
  }
  const soak = values.soak === undefined ? null : positive(values.soak, '--soak', false);
  if (soak !== null && (values.only !== undefined || values.duration !== undefined)) {
    throw new UsageError('--soak runs its own mix of every role: leave out --only and --duration');
  }
  return {
    help: values.help ?? false,
    quick,
    only: values.only === undefined ? SCENARIO_NAMES : list(values.only, SCENARIO_NAMES, 'scenario'),
    scales:
      values.scales === undefined
        ? quick || soak !== null
          ? ['province']
          : [...SCALE_NAMES]
        : list(values.scales, SCALE_NAMES, 'scale'),
    engines,
    nodes,
    duration:
      values.duration === undefined ? (quick ? 2 : 10) : positive(values.duration, '--duration', false),
    connections: values.connections === undefined ? 32 : positive(values.connections, '--connections', true),
    workers: workers === 'auto' ? 'auto' : Number(workers),
    out: values.out ?? null,
    soak,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      help: { type: 'boolean', short: 'h' },
      quick: { type: 'boolean' },
      only: { type: 'string' },
      scales: { type: 'string' },
      db: { type: 'string' },
      nodes: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      workers: { type: 'string' },
      out: { type: 'string' },
      soak: { type: 'string' },
    },
  });
}
