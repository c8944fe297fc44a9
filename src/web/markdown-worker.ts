import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { jobThread } from '../core/job-thread.js';

/**
 * Markdown parsing away from the event loop, with a time limit. marked is fast on prose but not on every input:
 * some 10 kB bodies (`[a](` repeated) take tens of seconds and deep `>` nesting overflows the stack. Text that
 * people type (a post, a pact draft, a live preview) is parsed here first; what passes is stored and may be
 * rendered directly afterwards. One worker thread; on a timeout it is ended (that is the only way to stop the
 * parse) and a new one starts with the next request.
 */
const PARSE_TIMEOUT_MS = 2000;

// The thread imports marked by file URL.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.markedUrl).then(({ marked }) => {
  parentPort.on('message', ({ id, input }) => {
    let result = null;
    try {
      result = marked.parse(input, { async: false, gfm: true, breaks: false });
    } catch {}
    parentPort.postMessage({ id, result });
  });
});
`;

const markedUrl = pathToFileURL(createRequire(import.meta.url).resolve('marked')).href;

const thread = jobThread<string, string | null>({
  source: WORKER_SOURCE,
  workerData: { markedUrl },
  // A stack no deeper than the main thread's: what parses here also parses there (a stored pact is rendered on
  // the main thread), and input nested deeply enough to overflow it is refused here.
  resourceLimits: { stackSizeMb: 0.9 },
  timeoutMs: PARSE_TIMEOUT_MS,
});

/** Markdown → raw HTML (not yet sanitised), or null when it cannot be parsed within the time limit. */
export const parseMarkdownBounded = (
  markdown: string,
  timeoutMs = PARSE_TIMEOUT_MS,
): Promise<string | null> => thread.run(markdown, timeoutMs).catch(() => null);
