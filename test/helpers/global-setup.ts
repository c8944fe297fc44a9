import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { writeStylesheet } from '../../src/build/stylesheet.js';
import { useScratchTmpdir } from './scratch.js';
import { makePostgresTestDatabase, makeTemplateDatabase } from './template-database.js';

/**
 * Before the unit and integration tests: the stylesheet the app serves (the build writes it, see loadAssets; tests
 * run from source, so write it first), a temporary folder in memory for the run (see useScratchTmpdir), and the
 * migrated template database that createTestApp copies for each test.
 */
export default async function setup(project: TestProject): Promise<() => void | Promise<void>> {
  const scratch = useScratchTmpdir();
  await writeStylesheet();
  if (project.config.env?.IKRAR_TEST_DB === 'postgres') {
    const database = await makePostgresTestDatabase();
    project.provide('testDatabase', { engine: 'postgres', url: database.url });
    return async () => {
      await database.drop();
      scratch.remove();
    };
  }
  const template = join(scratch.dir, 'template.sqlite');
  await makeTemplateDatabase(template);
  project.provide('testDatabase', { engine: 'sqlite', template });
  return scratch.remove;
}
