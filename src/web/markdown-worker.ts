import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Markdown parsing away from the event loop, with a time limit. marked is fast on prose but not on every input:
 * some 10 kB bodies (`[a](` repeated) take tens of seconds and deep `>` nesting overflows the stack. Text that
 * people type (a post, a pact draft, a live preview) is parsed here first; what passes is stored and may be
 * rendered directly afterwards. One worker thread; on a timeout it is ended (that is the only way to stop the
 * parse) and a new one starts with the next request.
 */
const PARSE_TIMEOUT_MS = 2000;

// The worker runs plain JavaScript (no build step needed under the test runner): it imports marked by file URL.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.markedUrl).then(({ marked }) => {
  parentPort.on('message', ({ id, markdown }) => {
    let html = null;
    try {
      html = marked.parse(markdown, { async: false, gfm: true, breaks: false });
    } catch {}
    parentPort.postMessage({ id, html });
  });
});
`;

const markedUrl = pathToFileURL(createRequire(import.meta.url).resolve('marked')).href;

interface Job {
  resolve: (html: string | null) => void;
  timer: NodeJS.Timeout;
}

let worker: Worker | null = null;
let nextId = 1;
const jobs = new Map<number, Job>();

function settle(id: number, html: string | null): void {
  const job = jobs.get(id);
  if (!job) return;
  clearTimeout(job.timer);
  jobs.delete(id);
  job.resolve(html);
}

/** Ends the worker and answers every job waiting on it with null. */
function stopWorker(): void {
  const stopping = worker;
  worker = null;
  for (const id of [...jobs.keys()]) settle(id, null);
  void stopping?.terminate();
}

function startWorker(): Worker {
  // A stack no deeper than the main thread's: what parses here also parses there (a stored pact is rendered on
  // the main thread), and input nested deeply enough to overflow it is refused here.
  const started = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { markedUrl },
    resourceLimits: { stackSizeMb: 0.9 },
  });
  started.on('message', ({ id, html }: { id: number; html: string | null }) => settle(id, html));
  started.on('error', () => {
    if (worker === started) stopWorker();
  });
  // After the listeners: adding a 'message' listener refs the worker's port again. Never keeps a process (a CLI,
  // a benchmark, a test run) alive; a job waiting for an answer is held by its timer.
  started.unref();
  return started;
}

/** Markdown → raw HTML (not yet sanitised), or null when it cannot be parsed within the time limit. */
export function parseMarkdownBounded(markdown: string, timeoutMs = PARSE_TIMEOUT_MS): Promise<string | null> {
  worker ??= startWorker();
  const id = nextId++;
  return new Promise((resolve) => {
    const timer = setTimeout(stopWorker, timeoutMs);
    jobs.set(id, { resolve, timer });
    worker?.postMessage({ id, markdown });
  });
}
