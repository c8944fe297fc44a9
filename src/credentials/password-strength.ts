import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

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

// Plain JavaScript run by the thread (no build step under the test runner): it imports the packages by file URL.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
Promise.all(workerData.urls.map((url) => import(url))).then(([core, common, id]) => {
  const zxcvbn = new core.ZxcvbnFactory({
    translations: id.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...id.dictionary },
  });
  parentPort.on('message', ({ id: job, password, userInputs }) => {
    parentPort.postMessage({ id: job, score: zxcvbn.check(password, userInputs).score });
  });
});
`;

const resolve = createRequire(import.meta.url).resolve;
const packageUrls = ['@zxcvbn-ts/core', '@zxcvbn-ts/language-common', '@zxcvbn-ts/language-id'].map(
  (name) => pathToFileURL(resolve(name)).href,
);

interface Job {
  resolve: (score: StrengthScore) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

let worker: Worker | null = null;
let idleTimer: NodeJS.Timeout | null = null;
let nextId = 1;
const jobs = new Map<number, Job>();

/** Ends the thread; the checks still waiting on it fail with `reason`. */
function stopWorker(reason: Error): void {
  const stopping = worker;
  worker = null;
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  for (const [id, job] of jobs) {
    clearTimeout(job.timer);
    jobs.delete(id);
    job.reject(reason);
  }
  void stopping?.terminate();
}

/** Ends the thread IDLE_MS from now unless a check comes first. */
function endWhenIdle(): void {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = setTimeout(() => stopWorker(new Error('idle')), IDLE_MS).unref();
}

function startWorker(): Worker {
  const started = new Worker(WORKER_SOURCE, { eval: true, workerData: { urls: packageUrls } });
  started.on('message', ({ id, score }: { id: number; score: StrengthScore }) => {
    const job = jobs.get(id);
    if (!job) return;
    clearTimeout(job.timer);
    jobs.delete(id);
    job.resolve(score);
    if (jobs.size === 0) endWhenIdle();
  });
  started.on('error', (error) => {
    if (worker === started) stopWorker(error);
  });
  // Never keeps a process alive (a CLI, a test run); a check waiting for its answer is held by its timer.
  started.unref();
  return started;
}

/**
 * Starts the thread ahead of a check (when a password form is shown), so that the person's submit does not wait
 * for the dictionaries to load.
 */
export function warmPasswordStrength(): void {
  worker ??= startWorker();
  // A page shown and never submitted must not keep the thread.
  if (jobs.size === 0) endWhenIdle();
}

/** Whether the thread is up (it is ended after IDLE_MS without a check). */
export const passwordStrengthThreadRunning = (): boolean => worker !== null;

/**
 * zxcvbn's score for `password`, counting `userInputs` (the person's name, NIP, email, the instance's name) as
 * words an attacker would try first.
 */
export function passwordStrength(password: string, userInputs: readonly string[]): Promise<StrengthScore> {
  worker ??= startWorker();
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => stopWorker(new Error('password strength check timed out')),
      CHECK_TIMEOUT_MS,
    );
    jobs.set(id, { resolve, reject, timer });
    worker?.postMessage({ id, password, userInputs });
  });
}
