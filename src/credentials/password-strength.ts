import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { jobThread } from '../core/job-thread.js';

/**
 * How guessable a new password is, by zxcvbn-ts with its common dictionaries (leaked passwords, keyboard patterns)
 * and its Indonesian pack (common words, names, Wikipedia terms): the same estimate the password forms show as
 * they are typed (public/js/password-meter.js), checked again here.
 *
 * The dictionaries take about 30 MB once loaded, for a check that a person makes a few times in their life: they
 * live in a worker thread started on demand and ended after IDLE_MS without a check, so that a web worker does not
 * keep them (docs/CAPACITY.md: 200 MB per worker).
 */

/** zxcvbn's score: 0 (too guessable) to 4 (very unguessable). */
export type StrengthScore = 0 | 1 | 2 | 3 | 4;

/**
 * The score a new password must reach: 3, "safely unguessable" (about 10^8 guesses or more), what zxcvbn's authors
 * recommend as the bar for a password guarding something of value.
 */
export const MIN_STRENGTH_SCORE: StrengthScore = 3;

/** A thread unused this long is ended; the next check starts another (about 0.4 s). */
const IDLE_MS = 60_000;
/**
 * Far more than a check of the longest password takes (below 0.2 s), even behind a queue of a hundred others: a
 * thread that takes longer is broken, and is ended (its checks answer 'unchecked', see checkNewPassword).
 */
const CHECK_TIMEOUT_MS = 30_000;

// The thread imports the packages by file URL.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
Promise.all(workerData.urls.map((url) => import(url))).then(([core, common, id]) => {
  const zxcvbn = new core.ZxcvbnFactory({
    translations: id.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...id.dictionary },
  });
  parentPort.on('message', ({ id: job, input }) => {
    parentPort.postMessage({ id: job, result: zxcvbn.check(input.password, input.userInputs).score });
  });
});
`;

const resolve = createRequire(import.meta.url).resolve;
const packageUrls = ['@zxcvbn-ts/core', '@zxcvbn-ts/language-common', '@zxcvbn-ts/language-id'].map(
  (name) => pathToFileURL(resolve(name)).href,
);

const thread = jobThread<{ password: string; userInputs: readonly string[] }, StrengthScore>({
  source: WORKER_SOURCE,
  workerData: { urls: packageUrls },
  timeoutMs: CHECK_TIMEOUT_MS,
  idleMs: IDLE_MS,
});

/**
 * Starts the thread ahead of a check (when a password form is shown), so that the person's submit does not wait
 * for the dictionaries to load.
 */
export const warmPasswordStrength = (): void => thread.warm();

/** Whether the thread is up (it is ended after IDLE_MS without a check). */
export const passwordStrengthThreadRunning = (): boolean => thread.running();

/**
 * zxcvbn's score for `password`, counting `userInputs` (the person's name, NIP, email, the instance's name) as
 * words an attacker would try first. Rejects when the thread fails or times out (checkNewPassword: 'unchecked').
 */
export const passwordStrength = (password: string, userInputs: readonly string[]): Promise<StrengthScore> =>
  thread.run({ password, userInputs });
