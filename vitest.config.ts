import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/helpers/global-setup.ts'],
    // One worker per core (vitest's default leaves one core idle: a single worker on two cores). Much of a test's
    // time is spent off its own thread anyway (argon2 on libuv's pool, child processes, sockets).
    maxWorkers: availableParallelism(),
    // Each worker process imports the app once and runs file after file in it, instead of importing the whole app
    // (express, exceljs, pdfkit, sharp…) again for each of the 70 files: that import was a third of the run's CPU.
    // Every test file still builds its own app and database (createTestApp), the app's modules keep no state
    // between apps but caches of constant data, and no test mocks modules or stubs globals.
    isolate: false,
    // argon2 hashing and SQLite files make some integration tests slower than the 5 s default on 2 cores.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Worker threads the app starts (the roster reader) run TypeScript source: see the file for how.
    execArgv: ['--import', new URL('./test/helpers/worker-typescript.mjs', import.meta.url).href],
    // The whole suite twice: on SQLite, and on PostgreSQL (a database of the run's own on the server at
    // IKRAR_TEST_POSTGRES_URL, default 127.0.0.1:5432; each test in a schema of its own, see template-database.ts).
    projects: [
      // Files named *.postgres.test.ts need both engines at once (the schema parity check): PostgreSQL's run only.
      {
        extends: true,
        test: { name: 'sqlite', exclude: [...configDefaults.exclude, 'test/**/*.postgres.test.ts'] },
      },
      { extends: true, test: { name: 'postgres', env: { IKRAR_TEST_DB: 'postgres' } } },
    ],
  },
});
