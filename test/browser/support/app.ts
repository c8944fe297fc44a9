import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningApp {
  url: string;
  /** The app's database file (read it only; the app owns it). */
  databasePath: string;
  /** Everything the app has printed so far (its log lines at LOG_LEVEL, warn unless asked). */
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * The built app started as `npm start` starts it (node dist/main.js, demo data seeded on first run) on a free port
 * with a fresh database in a temporary folder, its BASE_URL where it really runs (the receipts' QR codes and
 * links say so). Resolves once it prints its URL.
 */
export async function startApp(env: Record<string, string> = {}): Promise<RunningApp> {
  const dir = mkdtempSync(join(tmpdir(), 'ikrar-browser-'));
  const port = env.PORT ?? String(await freePort());
  const databasePath = join(dir, 'ikrar.sqlite');
  // The runner's environment without what Vite adds to it (BASE_URL '/', MODE…), which the app would read as its own.
  const { BASE_URL: _base, MODE: _mode, DEV: _dev, PROD: _prod, SSR: _ssr, ...inherited } = process.env;
  const child: ChildProcess = spawn(process.execPath, ['dist/main.js'], {
    env: {
      ...inherited,
      NODE_ENV: 'development',
      PORT: port,
      BASE_URL: `http://127.0.0.1:${port}`,
      HOST: '127.0.0.1',
      DATABASE_PATH: databasePath,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the app did not start:\n${output}`)), 90_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Ikrar berjalan di (https?:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the app exited (${code}):\n${output}`));
    });
  });
  return {
    url,
    databasePath,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The built app as it runs in production (view cache, page cache, secure cookies, behind a TLS proxy on the same
 * machine), demo data seeded, reached over plain HTTP on a free port as the proxy would reach it.
 */
export async function startProductionApp(): Promise<RunningApp> {
  const port = await freePort();
  const app = await startApp({
    NODE_ENV: 'production',
    PORT: String(port),
    BASE_URL: 'https://ikrar.test',
    TRUST_PROXY: 'loopback',
    IKRAR_DEMO: 'true',
    SESSION_SECRET: randomBytes(32).toString('hex'),
  });
  return { ...app, url: `http://127.0.0.1:${port}` };
}

/** A port nobody listens on now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}
