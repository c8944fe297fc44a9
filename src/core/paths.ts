import { fileURLToPath } from 'node:url';

// This file sits at src/core/paths.ts (tests) and dist/core/paths.js (built), so two levels up is the project root either way.
export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

export const projectPath = (...segments: string[]): string =>
  [projectRoot.replace(/\/$/, ''), ...segments].join('/');
