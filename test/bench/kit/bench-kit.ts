/**
 * What the scenarios of `npm run bench` share: temp folders and child processes that are cleaned up however the
 * bench ends (normal end, an error, Ctrl+C, SIGTERM), the app started as production starts it on the bench's own
 * temp database, load runs (autocannon) with the server's CPU time and peak memory, and the printouts. Reports;
 * asserts nothing.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { freePort, launchApp, productionEnv, signalProcess } from '../../helpers/app-process.js';

/** What a browser behind the TLS proxy sends (not a bot, so post views are counted). */
export const READER_HEADERS: Readonly<Record<string, string>> = {
  'user-agent':
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
  'accept-language': 'id-ID,id;q=0.9,en-US;q=0.8,en;q=0.7',
  'x-forwarded-proto': 'https',
  'x-forwarded-for': '203.0.113.7',
};

// ---------------------------------------------------------------------------------------------------------------
// Temp folders and cleanup

const children = new Set<ChildProcess>();
/** Children this process is stopping (any other exit is unexpected). */
const stopping = new WeakSet<ChildProcess>();
const tempDirs = new Set<string>();
let hooksInstalled = false;
let interruptedBy: NodeJS.Signals | null = null;
/** How long an interrupted bench waits for its children to stop before it kills them. */
const INTERRUPT_GRACE_MS = 5000;

/**
 * Signals every child still running and removes every temp folder; synchronous, so it also runs on 'exit' (with
 * SIGKILL: a child still running then has had its chance to stop).
 */
export function cleanUpNow(signal: NodeJS.Signals = 'SIGTERM'): void {
  for (const child of children) {
    stopping.add(child);
    signalProcess(child, signal);
  }
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.once('exit', () => cleanUpNow('SIGKILL'));
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.on(signal, () => {
      // A second Ctrl+C does not wait.
      if (interruptedBy) {
        cleanUpNow('SIGKILL');
        process.exit(code);
      }
      interruptedBy = signal;
      console.error(`\n${signal}: stopping the app and the floors, removing the temp files`);
      // Politely first (the app finishes what it is doing and closes its database), then for certain.
      const stopped = Promise.all([...children].map((child) => stop(child)));
      const timer = setTimeout(() => {
        cleanUpNow('SIGKILL');
        process.exit(code);
      }, INTERRUPT_GRACE_MS);
      void stopped.then(() => {
        clearTimeout(timer);
        cleanUpNow();
        process.exit(code);
      });
    });
  }
}

/**
 * Whether a signal is stopping the bench: work that fails because its children were stopped is not a result then,
 * and the handler exits as soon as they have stopped.
 */
export const interrupted = (): boolean => interruptedBy !== null;

/** A new folder under the OS temp folder, removed when the bench ends however it ends. */
export function tempDir(prefix: string): string {
  installHooks();
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  tempDirs.add(dir);
  return dir;
}

/** Removes one of this process's temp folders now (e.g. a multi-GB database copy that is no longer needed). */
export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/**
 * Refuses any database but a file inside a temp folder this process made with tempDir(): a bench writes sessions,
 * signatures, users and whatever its requests cause, so it must never run against a real deployment's database.
 */
export function assertOwnTempDatabase(path: string): void {
  const full = existsSync(path) ? realpathSync(path) : resolve(path);
  const own = [...tempDirs].some((dir) => full.startsWith(`${dir}${sep}`));
  if (!own) throw new Error(`refusing to run against ${path}: not a temp database made by this bench`);
}

/** Where a scale runs: a temp copy of the SQLite file, or a PostgreSQL database this process made (bench-postgres). */
export type BenchDatabase =
  | { engine: 'sqlite'; path: string }
  | { engine: 'postgres'; name: string; url: string };

/** PostgreSQL databases this process made for its runs: the only ones it will run against. */
const ownPostgresDatabases = new Set<string>();

export function claimPostgresDatabase(name: string): void {
  ownPostgresDatabases.add(name);
}

export function releasePostgresDatabase(name: string): void {
  ownPostgresDatabases.delete(name);
}

/** assertOwnTempDatabase for either engine: a PostgreSQL database must be one this process made and still holds. */
export function assertOwnDatabase(database: BenchDatabase): void {
  if (database.engine === 'sqlite') assertOwnTempDatabase(database.path);
  else if (!ownPostgresDatabases.has(database.name)) {
    throw new Error(`refusing to run against ${database.name}: not a database made by this bench`);
  }
}

/** The app's configuration of the database (and the floors' command-line argument: a path or a URL). */
export const databaseEnv = (database: BenchDatabase): Record<string, string> =>
  database.engine === 'sqlite' ? { DATABASE_PATH: database.path } : { DATABASE_URL: database.url };

export const databaseArgument = (database: BenchDatabase): string =>
  database.engine === 'sqlite' ? database.path : database.url;

// ---------------------------------------------------------------------------------------------------------------
// Processes

/**
 * Stops `child` with the bench. When it exits, whatever is left of its process group (workers of an app whose
 * primary died) is killed. A child spawned while a signal is stopping the bench is stopped at once.
 */
export function track(child: ChildProcess): ChildProcess {
  installHooks();
  children.add(child);
  child.once('exit', () => {
    children.delete(child);
    signalProcess(child, 'SIGKILL');
  });
  if (interruptedBy) {
    stopping.add(child);
    signalProcess(child, 'SIGTERM');
  }
  return child;
}

export async function stop(child: ChildProcess): Promise<void> {
  stopping.add(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  signalProcess(child, 'SIGTERM');
  await exited;
}

/** Stops every child still running, and waits for them. */
export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((child) => stop(child)));
}

/** Resolves with the first stdout line matching `pattern`; rejects if the child exits first. */
export function waitForLine(child: ChildProcess, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onExit = (code: number | null) => reject(new Error(`${what} exited with ${code}`));
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.off('exit', onExit);
        resolve(match);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** The files the bench runs as processes of their own: ../children/ (built: dist-bench/test/bench/children/). */
const CHILDREN = new URL('../children/', import.meta.url);

/** Makes a child stop by itself if this bench is killed outright (see children/parent-watch.ts). */
const WATCH_PARENT = ['--import', new URL('parent-watch.js', CHILDREN).href];

/** A file of children/ (e.g. 'floor-pages.js') in a child process of this bench, its stdout piped here. */
export function spawnBenchChild(file: string, args: string[]): ChildProcess {
  const script = fileURLToPath(new URL(file, CHILDREN));
  return track(
    spawn(process.execPath, [...WATCH_PARENT, script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] }),
  );
}

/** Runs a file of children/ in a child process to its end; resolves with the JSON it printed. */
export async function runBenchChild<T>(file: string, args: string[]): Promise<T> {
  const child = spawnBenchChild(file, args);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  // 'close', not 'exit': by then its stdout has been read to the end.
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) throw new Error(`${file} exited with ${code}`);
  return JSON.parse(output) as T;
}

export interface StartAppOptions {
  /** Must be the bench's own (assertOwnDatabase). */
  database: BenchDatabase;
  /** The bench writes sessions into the store and signs their cookies itself, so it chooses the secret. */
  sessionSecret: string;
  /** WORKERS: a count or 'auto'. */
  workers: number | 'auto';
  /** More environment for the app, e.g. raised rate limits. */
  env?: Record<string, string>;
}

export interface RunningApp {
  child: ChildProcess;
  port: number;
  base: string;
  /** When it printed its banner, in ms since it was spawned. */
  startMs: number;
  /** Its worker processes (0: it serves in its own process), as found under it in /proc; null off Linux. */
  workers: number | null;
}

/** What of the caller's environment the app must not see: the bench chooses where it runs and what it sends. */
const WITHHELD = [
  'DATABASE_PATH',
  'DATABASE_URL',
  'DATABASE_SCHEMA',
  'SMTP_URL',
  'WORKERS',
  'PORT',
  'HOST',
  'BASE_URL',
  'IKRAR_DEMO',
];

/**
 * dist/main.js as production starts it: NODE_ENV=production behind a TLS proxy on loopback (requests must carry
 * X-Forwarded-Proto: https for the Secure session cookie), demo off, on a free port, in a process group of its own
 * (so that stopping it stops its workers whatever happens), each of its processes watching its parent
 * (parent-watch.ts: a bench killed outright leaves no app behind). No SMTP_URL: mail the bench causes stays in the
 * outbox.
 * BENCH_PROFILE=<dir> writes CPU profiles of the app there; BENCH_APP_NODE_OPTIONS gives the app node options.
 */
export async function startApp(options: StartAppOptions): Promise<RunningApp> {
  assertOwnDatabase(options.database);
  const port = await freePort();
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !WITHHELD.includes(key)),
  );
  const started = performance.now();
  const app = await launchApp({
    env: {
      ...inherited,
      ...productionEnv('https://ikrar.bench.invalid', options.sessionSecret),
      ...databaseEnv(options.database),
      PORT: String(port),
      HOST: '127.0.0.1',
      IKRAR_DEMO: '0',
      LOG_LEVEL: 'warn',
      WORKERS: String(options.workers),
      ...(process.env.BENCH_APP_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_APP_NODE_OPTIONS } : {}),
      ...options.env,
    },
    nodeArgs: [
      // Cluster workers inherit these (execArgv): they too stop if the process that started them has gone.
      ...WATCH_PARENT,
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
    ],
    detached: true,
    onSpawn: track,
  });
  const { child } = app;
  const startMs = performance.now() - started;
  echoAppLog(child);
  // A run against a dead app would only report connection errors: say why it stopped.
  child.once('exit', (code, signal) => {
    if (!stopping.has(child)) console.error(`the app exited during the run (code ${code}, signal ${signal})`);
  });
  const workers = child.pid === undefined ? null : childrenOf(child.pid);
  return {
    child,
    port,
    base: `http://127.0.0.1:${port}`,
    startMs,
    workers: workers === null ? null : workers.length,
  };
}

/** App log lines shown per app process; more only flood the table out of sight. */
const APP_LOG_LINES = 20;

/** The app's warnings and errors (LOG_LEVEL=warn), shown on stderr: a run with errors must say so. */
function echoAppLog(child: ChildProcess): void {
  if (!child.stdout) return;
  let shown = 0;
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (!line.trim()) return;
    shown += 1;
    if (shown <= APP_LOG_LINES) console.error(`app: ${line.length > 400 ? `${line.slice(0, 400)}…` : line}`);
    else if (shown === APP_LOG_LINES + 1) console.error('app: … (more log lines, not shown)');
  });
}

// ---------------------------------------------------------------------------------------------------------------
// CPU and memory of a server (the app's primary and its workers, or a floor child), from /proc (Linux)

/** A process's children (cluster workers), from /proc/<pid>/task/<pid>/children; null where there is no such file. */
export function childrenOf(pid: number): number[] | null {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return null;
  }
}

const processTree = (pid: number): number[] => [pid, ...(childrenOf(pid) ?? [])];

/** The CPU time (user + system, all threads) a process has used so far, in ms (USER_HZ is 100 on Linux), or null. */
function cpuMsOf(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
    return Number.isFinite(ticks) ? ticks * 10 : null;
  } catch {
    return null;
  }
}

/** One app process, or each node of several (their pids): what a load run is measured on. */
export type Servers = number | readonly number[];
const pidsOf = (servers: Servers): readonly number[] => (typeof servers === 'number' ? [servers] : servers);

/** The CPU time of a server (every node's) and its children together, or null off Linux. */
export function serverCpuMs(servers: Servers): number | null {
  let total = 0;
  for (const each of pidsOf(servers).flatMap(processTree)) {
    const ms = cpuMsOf(each);
    if (ms === null) return null;
    total += ms;
  }
  return total;
}

const statusMb = (pid: number, field: 'VmRSS' | 'VmHWM'): number | null => {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
};

/** The RSS (MB) of a server and of each of its children now, by pid; empty off Linux. */
export function rssOfTree(pid: number): Map<number, number> {
  const rss = new Map<number, number>();
  for (const each of processTree(pid)) {
    const mb = statusMb(each, 'VmRSS');
    if (mb !== null) rss.set(each, mb);
  }
  return rss;
}

export interface MemoryPeaks {
  /** The largest peak RSS of one worker (of the process itself when it has no workers), in MB. */
  workerMb: number;
  /** The primary's own peak in cluster mode; null when the process serves by itself. */
  primaryMb: number | null;
  /** Each process's peak, by pid. */
  byPid: Record<string, number>;
}

/** watchMemory of every node: the largest worker and primary among them. */
export function watchMemory(servers: Servers): () => MemoryPeaks | null {
  const watches = pidsOf(servers).map(watchProcessMemory);
  return () => {
    const peaks = watches.map((stop) => stop()).filter((peak): peak is MemoryPeaks => peak !== null);
    if (peaks.length === 0) return null;
    const primaries = peaks.flatMap((peak) => (peak.primaryMb === null ? [] : [peak.primaryMb]));
    return {
      workerMb: Math.max(...peaks.map((peak) => peak.workerMb)),
      primaryMb: primaries.length > 0 ? Math.max(...primaries) : null,
      byPid: Object.assign({}, ...peaks.map((peak) => peak.byPid)),
    };
  };
}

/**
 * Watches a server's memory until the returned function is called: VmRSS of it and its children every 50 ms, and
 * each one's VmHWM (the kernel's peak, reset at the start through clear_refs where allowed) at the end, so that a
 * spike between two samples is not missed. Null off Linux.
 */
function watchProcessMemory(pid: number): () => MemoryPeaks | null {
  if (statusMb(pid, 'VmRSS') === null) return () => null;
  const peaks = new Map<number, number>();
  const resetPeaks = (pids: number[]) => {
    for (const each of pids) {
      try {
        writeFileSync(`/proc/${each}/clear_refs`, '5');
      } catch {
        // Not allowed here: the samples alone then.
      }
    }
  };
  const sample = () => {
    for (const each of processTree(pid)) {
      if (!peaks.has(each)) resetPeaks([each]);
      const rss = statusMb(each, 'VmRSS');
      if (rss !== null) peaks.set(each, Math.max(peaks.get(each) ?? 0, rss));
    }
  };
  sample();
  const timer = setInterval(sample, 50);
  return () => {
    clearInterval(timer);
    sample();
    for (const each of peaks.keys()) {
      const hwm = statusMb(each, 'VmHWM');
      if (hwm !== null) peaks.set(each, Math.max(peaks.get(each) ?? 0, hwm));
    }
    const workers = [...peaks].filter(([each]) => each !== pid).map(([, mb]) => mb);
    return {
      workerMb: workers.length > 0 ? Math.max(...workers) : (peaks.get(pid) ?? 0),
      primaryMb: workers.length > 0 ? (peaks.get(pid) ?? null) : null,
      byPid: Object.fromEntries(peaks),
    };
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Load runs

export interface LoadRequest {
  method?: 'GET' | 'POST';
  path: string;
  headers: Readonly<Record<string, string>>;
  body?: string;
}

export interface LoadOptions {
  /** http://127.0.0.1:<port>, or every node's (the connections spread evenly over them). */
  base: string | readonly string[];
  connections: number;
  /** Seconds of the recorded run (after an unrecorded warm-up of a quarter of it, at least a second). */
  duration: number;
  /** Every request alike, or each made when it is sent (a session used once, an address of its own). */
  request: LoadRequest | (() => LoadRequest);
  /** The status of a success: 200 for pages, the redirect of a form that worked. Any other status is an error. */
  expect: number;
  /** At most this many requests in the warm-up and the recorded run together (a pool of one-use sessions). */
  pool?: number;
  /** The server's process (with its workers, if any), or every node's, for their CPU time and memory. */
  serverPid: Servers;
}

export interface LoadResult {
  /** Successes (the expected status) per second of the recorded run. */
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  seconds: number;
  requests: number;
  /** Connection errors and timeouts, and answers with another status than the expected one. */
  errors: number;
  statuses: Record<string, number>;
  /** The server's CPU time (all its processes) per success; null off Linux. */
  cpuMsPerRequest: number | null;
  memory: MemoryPeaks | null;
}

export interface Cannonade {
  result: autocannon.Result;
  statuses: Map<number, number>;
}

/** One autocannon run of `seconds`, or until `amount` requests have been made if that comes first. */
export function cannon(
  options: Pick<LoadOptions, 'base' | 'connections' | 'request'>,
  seconds: number,
  amount: number | undefined,
): Promise<Cannonade> {
  const { request } = options;
  // autocannon spreads its connections over several URLs (lib/url.js); @types/autocannon knows only one.
  const urls = (path: string) =>
    (typeof options.base === 'string'
      ? `${options.base}${path}`
      : options.base.map((base) => `${base}${path}`)) as string;
  const statuses = new Map<number, number>();
  const what: autocannon.Options =
    typeof request === 'function'
      ? {
          url: urls(''),
          requests: [
            {
              setupRequest: (req) => {
                const next = request();
                return { ...req, ...next, method: next.method ?? 'GET', headers: { ...next.headers } };
              },
            },
          ],
        }
      : {
          url: urls(request.path),
          method: request.method ?? 'GET',
          headers: { ...request.headers },
          ...(request.body === undefined ? {} : { body: request.body }),
        };
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        ...what,
        connections: options.connections,
        // autocannon ignores the duration when given an amount: the timer below stops it then.
        ...(amount === undefined ? { duration: seconds } : { amount }),
      },
      (err, result) => {
        clearTimeout(timer);
        if (err) reject(err);
        else resolve({ result, statuses });
      },
    );
    const timer = amount === undefined ? undefined : setTimeout(() => instance.stop(), seconds * 1000);
    instance.on('response', (_client, status: number) =>
      statuses.set(status, (statuses.get(status) ?? 0) + 1),
    );
  });
}

/** A warm-up (JIT, caches, the page cache) that is not recorded, then the recorded run with the server watched. */
export async function measureLoad(options: LoadOptions): Promise<LoadResult> {
  const warmUp = Math.max(1, Math.round(options.duration / 4));
  // A pool is shared between the two runs; each connection may prepare one request more than it sends.
  let left = options.pool === undefined ? undefined : options.pool - options.connections;
  const share = (seconds: number) =>
    left === undefined
      ? undefined
      : Math.max(options.connections, Math.floor((left * seconds) / (warmUp + options.duration)));
  const warm = await cannon(options, warmUp, share(warmUp));
  if (left !== undefined) left -= warm.result.requests.total;
  const cpuBefore = serverCpuMs(options.serverPid);
  const memory = watchMemory(options.serverPid);
  const amount = left === undefined ? undefined : Math.max(options.connections, left);
  const { result, statuses } = await cannon(options, options.duration, amount);
  const peaks = memory();
  const cpuAfter = serverCpuMs(options.serverPid);
  const ok = statuses.get(options.expect) ?? 0;
  const answered = [...statuses.values()].reduce((a, b) => a + b, 0);
  return {
    perSecond: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    seconds: result.duration,
    requests: result.requests.total,
    errors: result.errors + answered - ok,
    statuses: Object.fromEntries(statuses),
    cpuMsPerRequest: cpuBefore === null || cpuAfter === null || ok === 0 ? null : (cpuAfter - cpuBefore) / ok,
    memory: peaks,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP

/** One GET whose answer must be a 200: its bytes (decoded as a browser would) and content type. */
export async function fetchPage(
  base: string,
  path: string,
  headers: Readonly<Record<string, string>>,
): Promise<{ bytes: Buffer; contentType: string }> {
  const res = await fetch(`${base}${path}`, { headers });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
  return {
    bytes: Buffer.from(await res.arrayBuffer()),
    contentType: res.headers.get('content-type') ?? 'application/octet-stream',
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Printing

export interface MachineInfo {
  cpu: string;
  cores: number;
  availableParallelism: number;
  memoryGb: number;
  os: string;
  node: string;
  /** Other work on the machine skews every figure: the 1-minute load average when the bench started. */
  loadAverage: number;
}

export function machine(): MachineInfo {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    availableParallelism: availableParallelism(),
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    os: `${platform()} ${release()}`,
    node: process.version,
    loadAverage: loadavg()[0] ?? 0,
  };
}

export function describeMachine(info: MachineInfo): string {
  return (
    `machine: ${info.cpu}, ${info.cores} cores (available parallelism ${info.availableParallelism}), ` +
    `${info.memoryGb} GB, ${info.os}, Node ${info.node}; load average ${info.loadAverage.toFixed(2)}`
  );
}

/** Rows of cells as aligned columns: the first `leftColumns` left-aligned, the rest right-aligned. */
export function table(rows: string[][], leftColumns = 1): string {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  return rows
    .map((row) =>
      row.map((cell, i) => (i < leftColumns ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))),
    )
    .map((cells) => cells.join('  ').trimEnd())
    .join('\n');
}

/** A random session secret: the bench signs the cookies of the sessions it writes into the store. */
export const newSessionSecret = (): string => randomBytes(32).toString('hex');

/**
 * Runs the bench's main: an error is printed and makes the exit code 1; children and temp files are cleaned up
 * either way, and the process exits when main is done. (Explicitly: the Markdown worker, used when the data's demo
 * posts are written, leaves a MessagePort that would keep this process alive after the bench has finished.)
 */
export function runMain(main: () => Promise<void>): void {
  void (async () => {
    try {
      await main();
    } catch (err) {
      // Stopped by a signal: what failed because of it is no news, and the handler exits.
      if (interrupted()) await new Promise(() => {});
      console.error(err);
      process.exitCode = 1;
    }
    await stopAll();
    cleanUpNow();
    process.exit();
  })();
}
