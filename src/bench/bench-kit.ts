/**
 * What the benchmarks share: temp folders and child processes that are cleaned up however the bench ends (normal
 * end, an error, Ctrl+C, SIGTERM), the app started as production starts it on the bench's own temp database,
 * autocannon runs with the server's CPU time, and the machine and table printouts. Reports; asserts nothing.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { availableParallelism, cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join, resolve, sep } from 'node:path';
import autocannon from 'autocannon';
import { projectPath } from '../paths.js';

/** What a browser behind the TLS proxy sends (not a bot, so post views are counted). */
export const READER_HEADERS: Record<string, string> = {
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

/** Kills every child still running and removes every temp folder; synchronous, so it also runs on 'exit'. */
export function cleanUpNow(): void {
  for (const child of children) {
    stopping.add(child);
    child.kill('SIGTERM');
  }
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.once('exit', cleanUpNow);
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the children and removing the temp files`);
      cleanUpNow();
      process.exit(code);
    });
  }
}

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
 * views and whatever its requests cause, so it must never run against a real deployment's database.
 */
export function assertOwnTempDatabase(path: string): void {
  const full = existsSync(path) ? realpathSync(path) : resolve(path);
  const own = [...tempDirs].some((dir) => full.startsWith(`${dir}${sep}`));
  if (!own) throw new Error(`refusing to run against ${path}: not a temp database made by this bench`);
}

// ---------------------------------------------------------------------------------------------------------------
// Processes

export function track(child: ChildProcess): ChildProcess {
  installHooks();
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  stopping.add(child);
  child.kill('SIGTERM');
  await exited;
}

/** Stops every child still running, and waits for them. */
export async function stopAll(): Promise<void> {
  for (const child of [...children]) await stop(child);
}

/** Resolves with the first stdout line matching `pattern`; rejects if the child exits first. */
export function waitForLine(child: ChildProcess, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(match);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}`)));
  });
}

export const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

export interface StartAppOptions {
  /** Must be a file inside a tempDir() of this process. */
  databasePath: string;
  /** Random unless given (a bench that signs its own session cookies needs to know it). */
  sessionSecret?: string;
  baseUrl?: string;
  logLevel?: string;
  /** More environment for the app, e.g. raised rate limits. */
  env?: Record<string, string>;
}

export interface RunningApp {
  child: ChildProcess;
  port: number;
  /** When it printed its banner, in ms since it was spawned. */
  startMs: number;
}

/**
 * dist/main.js as production starts it: NODE_ENV=production behind a TLS proxy on loopback (requests must carry
 * X-Forwarded-Proto: https for the Secure session cookie), demo off. (Its banner shows BASE_URL, not the port,
 * hence a free port chosen here.) BENCH_PROFILE=<dir> writes a CPU profile of the app (node --cpu-prof) there;
 * BENCH_APP_NODE_OPTIONS gives the app (and only the app) node options.
 */
export async function startApp(options: StartAppOptions): Promise<RunningApp> {
  assertOwnTempDatabase(options.databasePath);
  const port = await freePort();
  const profile = process.env.BENCH_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
    : [];
  const started = performance.now();
  const child = track(
    spawn(process.execPath, [...profile, projectPath('dist', 'main.js')], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        BASE_URL: options.baseUrl ?? 'https://ikrar.bench.test',
        TRUST_PROXY: 'loopback',
        DATABASE_PATH: options.databasePath,
        PORT: String(port),
        HOST: '127.0.0.1',
        SESSION_SECRET: options.sessionSecret ?? randomBytes(32).toString('hex'),
        IKRAR_DEMO: '0',
        LOG_LEVEL: options.logLevel ?? 'silent',
        // BENCH_APP_NODE_OPTIONS: node options for the app only (e.g. --max-old-space-size=256, --heap-prof).
        ...(process.env.BENCH_APP_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_APP_NODE_OPTIONS } : {}),
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  await waitForLine(child, /Ikrar berjalan/, 'the app');
  const startMs = performance.now() - started;
  // A run against a dead app would only report connection errors: say why it stopped.
  child.once('exit', (code, signal) => {
    if (!stopping.has(child)) console.error(`the app exited during the run (code ${code}, signal ${signal})`);
  });
  return { child, port, startMs };
}

// ---------------------------------------------------------------------------------------------------------------
// Measuring

export async function fetchPage(
  port: number,
  path: string,
  headers: Record<string, string> = READER_HEADERS,
): Promise<{ bytes: Buffer; contentType: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
  return {
    bytes: Buffer.from(await res.arrayBuffer()),
    contentType: res.headers.get('content-type') ?? 'application/octet-stream',
  };
}

export interface CannonOptions {
  headers?: Record<string, string>;
  /** Called for every request (autocannon's setupRequest), e.g. to give each its own X-Forwarded-For. */
  setupRequest?: (request: autocannon.Request) => autocannon.Request;
}

export function cannon(
  url: string,
  connections: number,
  duration: number,
  options: CannonOptions = {},
): Promise<autocannon.Result> {
  const headers = options.headers ?? READER_HEADERS;
  const setupRequest = options.setupRequest;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections,
        duration,
        headers,
        ...(setupRequest ? { requests: [{ setupRequest: (request) => setupRequest(request) }] } : {}),
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}

/**
 * The CPU time a process has used so far, in ms, from /proc (Linux; USER_HZ is 100 there), or null. Unlike requests
 * per second it does not depend on what else the machine is doing, so it is the steadier figure on a busy machine.
 */
export function cpuMsOf(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
    return Number.isFinite(ticks) ? ticks * 10 : null;
  } catch {
    return null;
  }
}

export interface Measured {
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  requests: number;
  /** Connection errors (timeouts included), and answers other than 2xx. */
  errors: number;
  non2xx: number;
  /** CPU time (user + system, all threads) the server process spent per successful request; null off Linux. */
  cpuMsPerRequest: number | null;
}

/** A short unrecorded run (JIT, caches, the page cache), then the measured one, with the server's CPU time. */
export async function measure(
  url: string,
  server: ChildProcess,
  connections: number,
  duration: number,
  options: CannonOptions = {},
): Promise<Measured> {
  await cannon(url, connections, Math.max(1, Math.round(duration / 4)), options);
  const cpuBefore = cpuMsOf(server.pid);
  const result = await cannon(url, connections, duration, options);
  const cpuAfter = cpuMsOf(server.pid);
  const ok = result['2xx'];
  return {
    perSecond: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    requests: result.requests.total,
    errors: result.errors,
    non2xx: result.non2xx,
    cpuMsPerRequest: cpuBefore === null || cpuAfter === null || ok === 0 ? null : (cpuAfter - cpuBefore) / ok,
  };
}

/** The value below which `q` (0–1) of the samples fall (nearest rank). */
export function quantile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
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

export function machine(loadAverage = loadavg()[0] ?? 0): MachineInfo {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    availableParallelism: availableParallelism(),
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    os: `${platform()} ${release()}`,
    node: process.version,
    loadAverage,
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
    .map((cells) => cells.join('  '))
    .join('\n');
}

/**
 * Runs a bench's main: an error is printed and makes the exit code 1; children and temp files are cleaned up either
 * way, and the process exits when main is done. (Explicitly: the app's Markdown worker, used when the demo seed
 * writes posts, leaves a MessagePort that would keep this process alive after the bench has finished.)
 */
export function runMain(main: () => Promise<void>): void {
  main()
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    })
    .finally(async () => {
      await stopAll();
      cleanUpNow();
      process.exit();
    });
}
