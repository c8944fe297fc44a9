import cluster, { type Worker } from 'node:cluster';
import { ClusterMemoryStorePrimary } from '@express-rate-limit/cluster-memory-store';
import type { Logger } from 'pino';
import type { Config } from './core/config.js';
import { commitSigning } from './pledges/signing/sign-pact.js';
import { serveSignings } from './pledges/signing/signing-in-primary.js';
import { startBanner, startServer } from './server.js';
import { prepareDatabase } from './startup.js';

/** Tells a worker which one it is: the scheduler runs in worker 0 only, and a restarted worker keeps its number. */
const WORKER_INDEX = 'IKRAR_WORKER_INDEX';
/**
 * A worker that dies sooner than this after it began listening is not replaced: it would die again (a crash loop),
 * so the cluster stops with exit code 1 and the service manager (systemd's Restart=, with its back-off) decides.
 */
const MIN_UPTIME_MS = 10_000;

/**
 * The young generation's half-space of a worker, in MB. V8's default (16 MB on 64-bit) let each worker sit near
 * 191–195 MB in a soak; 8 MB kept it at 170–176 MB, at the same request rates within the noise (docs/CAPACITY.md).
 */
const WORKER_SEMI_SPACE_MB = 8;

/**
 * The node options of a worker: the primary's own, plus the heap limits (the old space at WORKER_HEAP_MB, see
 * config.ts, and the young generation's half-space) unless WORKER_HEAP_MB is 0; a limit the operator already chose
 * (in NODE_OPTIONS, or on the primary's command line, which the workers inherit) wins over ours.
 */
export function workerExecArgv(execArgv: readonly string[], nodeOptions: string, heapMb: number): string[] {
  if (heapMb === 0) return [...execArgv];
  const given = [...execArgv, ...nodeOptions.split(/\s+/)];
  const chosen = (name: string) =>
    given.some((arg) => new RegExp(`^--${name}(=|$)`).test(arg.replace(/_/g, '-')));
  return [
    ...execArgv,
    ...(chosen('max-old-space-size') ? [] : [`--max-old-space-size=${heapMb}`]),
    ...(chosen('max-semi-space-size') ? [] : [`--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`]),
  ];
}

/**
 * How glibc's malloc behaves in a worker, as its environment sets it (read once, when the process starts). Its
 * defaults give every thread that allocates (argon2 hashes 19 MiB in libuv's threads) an arena of its own and raise
 * the size below which freed blocks are kept after each large one: a worker then kept about 40 MB after a burst of
 * logins, which these return (measured: 164 → 129 MB after login, idle 125 → 118 MB; docs/CAPACITY.md).
 */
export const WORKER_MALLOC_ENV = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '65536',
  MALLOC_TRIM_THRESHOLD_: '131072',
} as const;

/**
 * The environment a worker gets on top of the primary's: the malloc settings above, each unless the operator set it,
 * and none when WORKER_HEAP_MB is 0 (the memory limits off).
 */
export function workerMallocEnv(env: NodeJS.ProcessEnv, heapMb: number): Record<string, string> {
  if (heapMb === 0) return {};
  return Object.fromEntries(Object.entries(WORKER_MALLOC_ENV).filter(([name]) => env[name] === undefined));
}

export interface Stoppable {
  shutdown: (reason: string) => Promise<void>;
}

/**
 * The primary of cluster mode (WORKERS > 1): migrates and seeds the database once, then forks one worker per
 * requested process, all serving the same port (node:cluster hands out connections) on the same SQLite file.
 * What must be shared between workers is: sessions, login lockouts, cache epochs, reminder claims and the ledger
 * live in the database; rate-limit counters live here, in the primary (see rateLimitStore), and the primary writes
 * every signing (see signing-in-primary.ts). A worker that dies after it has served for a while is replaced; one
 * that cannot start, or dies soon after starting, stops the whole cluster, which exits with code 1.
 */
export async function startPrimary(config: Config, logger: Logger, print = console.log): Promise<Stoppable> {
  const { db, services, demo } = await prepareDatabase(config, logger);
  const hasUsers = (await services.users.count()) > 0;
  new ClusterMemoryStorePrimary().init();
  serveSignings((request) => commitSigning(services, request), logger);

  let stopping = false;
  let started = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      // Ctrl+C reaches the workers too, and they may stop before the primary's own handler has run.
      stopping = true;
      // Before the cluster has started, main's handler is not installed yet: stop here, or this handler would have
      // taken the signal and the primary would keep running.
      if (!started) void shutdown(signal).then(() => process.exit(0));
    });
  }
  cluster.setupPrimary({
    execArgv: workerExecArgv(process.execArgv, process.env.NODE_OPTIONS ?? '', config.workerHeapMb),
  });
  const live = new Set<Worker>();
  const mallocEnv = workerMallocEnv(process.env, config.workerHeapMb);
  const fork = (index: number): Promise<number> => {
    const worker = cluster.fork({ ...mallocEnv, [WORKER_INDEX]: String(index) });
    live.add(worker);
    return new Promise<number>((resolve, reject) => {
      let listeningSince: number | null = null;
      worker.once('listening', (address) => {
        listeningSince = Date.now();
        resolve(address.port);
      });
      worker.once('exit', (code, signal) => {
        live.delete(worker);
        if (stopping) return;
        if (listeningSince === null)
          return reject(new Error(`worker ${index} exited (${signal ?? code}) before listening`));
        if (Date.now() - listeningSince < MIN_UPTIME_MS) {
          return giveUp(new Error(`worker ${index} exited (${signal ?? code}) soon after it started`));
        }
        logger.error({ worker: index, code, signal }, 'worker stopped unexpectedly: starting another');
        fork(index).catch(giveUp);
      });
    });
  };

  const shutdown = async (reason: string) => {
    stopping = true;
    logger.info({ reason, workers: live.size }, 'stopping the workers');
    await Promise.all(
      [...live].map((worker) => {
        const exited = new Promise((resolve) => worker.once('exit', resolve));
        worker.process.kill('SIGTERM');
        return exited;
      }),
    );
    await db.close();
  };

  const giveUp = (err: unknown) => {
    if (stopping) return;
    logger.fatal({ err }, 'a worker cannot run: stopping the cluster');
    void shutdown('a worker cannot run').then(() => process.exit(1));
  };

  try {
    const [port] = await Promise.all(Array.from({ length: config.workers }, (_, index) => fork(index)));
    // Stopped while the workers were starting: the signal's handler is finishing the shutdown.
    if (stopping) return { shutdown };
    started = true;
    print(
      startBanner(config, port ?? config.port, {
        demoJustSeeded: demo !== null,
        hasUsers,
        workers: config.workers,
      }),
    );
  } catch (err) {
    await shutdown('a worker could not start');
    throw err;
  }
  return { shutdown };
}

/** A worker of cluster mode: the app as a single process runs it, without the banner, the schedules in worker 0. */
export function startWorker(config: Config, logger: Logger): Promise<Stoppable> {
  const index = Number(process.env[WORKER_INDEX] ?? 0);
  return startServer(
    { ...config, reminders: config.reminders && index === 0, nightlyJobs: config.nightlyJobs && index === 0 },
    logger.child({ worker: index }),
    () => {},
  );
}
