import cluster from 'node:cluster';
import { startPrimary, startWorker } from './cluster.js';
import { ConfigError, loadConfig } from './core/config.js';
import { createLogger } from './core/logger.js';
import { startServer } from './server.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`Ikrar tidak dijalankan.\n${err.message}`);
    process.exit(1);
  }
  const logger = createLogger(config.logLevel);
  // One process, or a primary and its workers on the same database (WORKERS, see src/cluster.ts).
  const running = cluster.isWorker
    ? await startWorker(config, logger)
    : config.workers > 1
      ? await startPrimary(config, logger)
      : await startServer(config, logger);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void running.shutdown(signal).then(() => process.exit(0));
    });
  }
}

main().catch((err: unknown) => {
  console.error('Ikrar gagal dijalankan:', err);
  process.exit(1);
});
