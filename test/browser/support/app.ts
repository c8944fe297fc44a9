import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, launchApp, productionEnv } from '../../helpers/app-process.js';

export interface RunningApp {
  url: string;
  /** The app's database file (read it only; the app owns it). */
  databasePath: string;
  /** Everything the app has printed so far (its log lines at LOG_LEVEL, warn unless asked). */
  output: () => string;
  stop: () => Promise<void>;
  /** Kills it at once (SIGKILL), as a machine that dies would: no shutdown, no flush. */
  kill: () => Promise<void>;
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
  const app = await launchApp({
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
    keepOutput: true,
  }).catch((err: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  });
  return {
    url: app.url,
    databasePath,
    output: app.output,
    stop: async () => {
      await app.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    kill: async () => {
      if (app.child.exitCode !== null || app.child.signalCode !== null) return;
      const exited = new Promise((resolve) => app.child.once('exit', resolve));
      app.child.kill('SIGKILL');
      await exited;
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
    ...productionEnv('https://ikrar.test'),
    PORT: String(port),
    IKRAR_DEMO: 'true',
  });
  return { ...app, url: `http://127.0.0.1:${port}` };
}
