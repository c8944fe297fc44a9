import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/helpers/global-setup.ts'],
    // argon2 hashing and SQLite files make some integration tests slower than the 5 s default on 2 cores.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
