// Loaded with --import into every test process (vitest.config.ts), and so into the worker threads the app starts
// there (a worker takes its parent's execArgv). Vitest runs our TypeScript source through its own transformer; a
// worker thread is plain Node, which cannot load TypeScript: in worker threads only, these hooks transform it the
// same way (oxc, by way of rolldown). The built app (dist/) needs none of this.
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

if (!isMainThread) register('./typescript-hooks.mjs', import.meta.url);
