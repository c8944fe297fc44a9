import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CHROMIUM } from './browser.js';

/** Builds the app once (the journeys run dist/main.js, as `npm start` does) and checks that Chromium is there. */
export default function setup(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium package (.ci/run does: apt-get install -y chromium)`,
    );
  }
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
}
