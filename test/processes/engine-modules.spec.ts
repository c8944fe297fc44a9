import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../../src/core/paths.js';
import { startApp } from '../browser/support/app.js';
import { makePostgresTestDatabase } from '../helpers/template-database.js';

/**
 * Starts the built app as `npm start` does with `env`, has it serve a page, stops it, and answers which files of
 * node-postgres (and its pool) it had loaded.
 */
async function postgresDriverFiles(env: Record<string, string>): Promise<string[]> {
  const folder = mkdtempSync(join(tmpdir(), 'ikrar-engine-'));
  const probe = join(folder, 'loaded.json');
  try {
    const app = await startApp({
      ...env,
      NODE_OPTIONS: `--require ${projectPath('test', 'processes', 'support', 'loaded-packages.cjs')}`,
      IKRAR_PROBE_PACKAGES: 'pg,pg-pool',
      IKRAR_PROBE_FILE: probe,
    });
    try {
      expect((await fetch(`${app.url}/`)).status).toBe(200);
    } finally {
      await app.stop();
    }
    return JSON.parse(readFileSync(probe, 'utf8')) as string[];
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

// A SQLite deployment (the default, one machine) must not carry the PostgreSQL driver in every worker's memory.
describe('the database driver a process loads', () => {
  it('leaves node-postgres out on SQLite, and loads it when DATABASE_URL is set', async () => {
    expect(await postgresDriverFiles({})).toEqual([]);
    const database = await makePostgresTestDatabase();
    try {
      expect(await postgresDriverFiles({ DATABASE_URL: database.url })).toContainEqual(
        expect.stringMatching(/\/node_modules\/pg\/lib\/index\.js$/),
      );
    } finally {
      await database.drop();
    }
  });
});
