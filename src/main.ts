import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
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
  const running = await startServer(config, createLogger(config.logLevel));
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      running.shutdown(signal).then(() => process.exit(0));
    });
  }
}

main().catch((err: unknown) => {
  console.error('Ikrar gagal dijalankan:', err);
  process.exit(1);
});
