import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

const LIGHTHOUSE = 'test/browser/lighthouse.spec.ts';

/** What both groups share. Each file starts its own app (and Chromium) in a beforeAll: give that time. */
const common = {
  environment: 'node',
  testTimeout: 60_000,
  hookTimeout: 120_000,
} as const;

// Browser journeys (Debian's Chromium driven by playwright-core) and multi-process tests, against the built app
// started as `npm start` starts it, each file with its own app, database and browser.
//
// First the journeys and the process tests, one file per core at a time: a journey spends much of its time
// waiting on its app and its browser, so two of them share two cores well. Then Lighthouse, alone: its
// performance score comes from the main-thread time it measures, which anything running beside it would add to.
export default defineConfig({
  test: {
    globalSetup: ['test/browser/support/global-setup.ts'],
    projects: [
      {
        test: {
          ...common,
          name: 'journeys',
          include: ['test/browser/**/*.spec.ts', 'test/processes/**/*.spec.ts'],
          exclude: [...configDefaults.exclude, LIGHTHOUSE],
          maxWorkers: availableParallelism(),
          // A worker imports playwright, axe and the app's helpers once for all its files, not once a file; each
          // file still starts and stops its own app and browser (useJourney, startApp).
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...common,
          name: 'lighthouse',
          include: [LIGHTHOUSE],
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
