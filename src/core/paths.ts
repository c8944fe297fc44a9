import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project root: the nearest folder above this file that holds package.json. This file runs from src/core/ (the
 * test runner), dist/core/ (built) and dist-bench/src/core/ (the bench's own build), so a fixed number of levels
 * up would be right for only some of them.
 */
function findProjectRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json in ${here} or any folder above it`);
  }
}

export const projectRoot = findProjectRoot();

export const projectPath = (...segments: string[]): string => [projectRoot, ...segments].join('/');
