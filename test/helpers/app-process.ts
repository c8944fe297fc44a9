/**
 * The built app (dist/main.js) in a child process, as `npm start` starts it: shared by the benchmark (production, on
 * its own temp database) and the browser and multi-process tests (their own temp databases, demo seeded).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { projectPath } from '../../src/core/paths.js';

export interface AppProcess {
  child: ChildProcess;
  /** What the banner says the app runs at (BASE_URL, with the port it listens on when BASE_URL names one). */
  url: string;
  /** Everything the app printed on stdout and stderr (when `keepOutput`), else ''. */
  output: () => string;
  /** SIGTERM (to its process group when `detached`), resolved once it has exited. */
  stop: () => Promise<void>;
}

export interface LaunchOptions {
  /** The whole environment of the app. */
  env: NodeJS.ProcessEnv;
  /** Node options before the script (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Keep what the app prints for output() (tests read its log lines); otherwise stderr goes to ours. */
  keepOutput?: boolean;
  /**
   * Its own process group, so that stopping it reaches the workers of cluster mode even when the primary does not
   * pass the signal on, and so that Ctrl+C in the terminal reaches the caller alone, which then stops the app.
   */
  detached?: boolean;
  /** Called as soon as the process exists, before it has started (so that a caller can stop it meanwhile). */
  onSpawn?: (child: ChildProcess) => void;
  timeoutMs?: number;
}

/** The settings every production start shares: behind a TLS proxy on this machine, with a random session secret. */
export function productionEnv(baseUrl: string, sessionSecret = randomBytes(32).toString('hex')) {
  return {
    NODE_ENV: 'production',
    BASE_URL: baseUrl,
    TRUST_PROXY: 'loopback',
    SESSION_SECRET: sessionSecret,
  };
}

/** Spawns the app and resolves once it prints its banner; rejects if it exits or stays silent first. */
export async function launchApp(options: LaunchOptions): Promise<AppProcess> {
  const keep = options.keepOutput ?? false;
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), projectPath('dist', 'main.js')], {
    env: options.env,
    stdio: ['ignore', 'pipe', keep ? 'pipe' : 'inherit'],
    detached: options.detached ?? false,
  });
  if (options.detached) groupLeaders.add(child);
  options.onSpawn?.(child);
  let output = '';
  let banner = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      signalProcess(child, 'SIGKILL');
      reject(new Error(`the app did not start:\n${output || banner}`));
    }, options.timeoutMs ?? 90_000);
    const onExit = (code: number | null, signal: string | null) => {
      clearTimeout(timer);
      reject(new Error(`the app exited (${signal ?? code}) before it started:\n${output || banner}`));
    };
    const read = (chunk: Buffer) => {
      if (keep) output += chunk.toString();
      else banner += chunk.toString();
      const match = /Ikrar berjalan di (https?:\/\/\S+)/.exec(output || banner);
      if (match?.[1]) {
        clearTimeout(timer);
        child.off('exit', onExit);
        // Kept for output(), or else flowing (drained) for whoever listens next: the bench shows the app's log.
        if (!keep) child.stdout?.off('data', read).resume();
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', onExit);
  });
  return {
    child,
    url,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      signalProcess(child, 'SIGTERM');
      await exited;
    },
  };
}

/** Children started with `detached`: each leads a process group of its own (the app and its workers). */
const groupLeaders = new WeakSet<ChildProcess>();

/** Signals a child, and every process of its group when it leads one (the workers of cluster mode). */
export function signalProcess(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (groupLeaders.has(child)) process.kill(-child.pid, signal);
    else if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  } catch {
    // The group is gone already.
  }
}

/** A port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
  });
}
