import { fileURLToPath } from 'node:url';

// This file sits at src/paths.ts (tests) and dist/paths.js (built), so one level up is the project root either way.
export const projectRoot = fileURLToPath(new URL('..', import.meta.url));

export const projectPath = (...segments: string[]): string =>
  [projectRoot.replace(/\/$/, ''), ...segments].join('/');
