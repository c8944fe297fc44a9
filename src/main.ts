import type { Server } from 'node:http';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './seed/demo.js';
import { prepareDatabase } from './startup.js';

const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Ikrar tidak dijalankan.\n${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const { db, services, demo } = await prepareDatabase(config, logger);
  const app = createApp({ services, config, logger });

  const server: Server = app.listen(config.port, config.host, () => {
    const lines = [
      '',
      `Ikrar berjalan di ${config.baseUrl}  (basis data: ${config.databasePath})`,
      ...(config.demo
        ? [
            `Akun demo${demo ? ' (baru dibuat)' : ''}, kata sandi semuanya "${DEMO_PASSWORD}":`,
            ...DEMO_ACCOUNTS.map((a) => `  ${a.email.padEnd(22)} ${a.fullName.padEnd(22)} ${a.note}`),
          ]
        : []),
      'Hentikan dengan Ctrl+C.',
      '',
    ];
    console.log(lines.join('\n'));
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    // Stop accepting connections, let requests in flight finish, then close the database cleanly.
    server.close(() => {
      db.close();
      logger.info('stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => {
      logger.warn('requests still open after the grace period: closing them');
      server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error('Ikrar gagal dijalankan:', err);
  process.exit(1);
});
