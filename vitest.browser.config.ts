import { defineConfig } from 'vitest/config';

// Browser journeys (Debian's Chromium driven by playwright-core) and multi-process tests, against the built app
// started as `npm start` starts it. One file at a time (each starts its own app; the machine has two cores).
export default defineConfig({
  test: {
    include: ['test/browser/**/*.spec.ts', 'test/processes/**/*.spec.ts'],
    environment: 'node',
    fileParallelism: false,
    globalSetup: ['test/browser/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
