import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { useScratchTmpdir } from '../../helpers/scratch.js';
import { CHROMIUM } from './browser.js';

/**
 * Builds the app once (the journeys run dist/main.js, as `npm start` does) and checks that Chromium is there. The
 * apps' databases and the browsers' profiles go to the run's own temporary folder (see useScratchTmpdir).
 */
export default function setup(): () => void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium package (.ci/run does: apt-get install -y chromium)`,
    );
  }
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  return useScratchTmpdir().remove;
}
