import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ParseResult } from './parse.js';
import type { WorkerMessage } from './parse-worker.js';
import type { RosterRow } from './types.js';

/**
 * The heap a file may take while it is read. A 100,000-row roster of long values (a 3.9 MB XLSX, a 22 MB CSV) is
 * read within 96 MB, at full speed from 128 MB (measured); a file built to take more ends its own thread, not the
 * app.
 */
const HEAP_LIMIT_MB = 256;
/** How long reading may take: longer than the XLSX reader's own 30 s for a damaged zip (malformed_xlsx). */
const TIME_LIMIT_MS = 45_000;

export interface ReadLimits {
  heapMb: number;
  timeMs: number;
}

// The worker's entry beside this module, in the same language: parse-worker.js in dist/, parse-worker.ts under the
// test runner (whose processes load TypeScript in worker threads: test/helpers/worker-typescript.mjs).
const ENTRY = new URL(`./parse-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

// One file at a time, so that reading takes at most one heap limit of memory however many arrive together.
let queue: Promise<unknown> = Promise.resolve();

/**
 * `parseRoster` in a worker thread of its own, away from the event loop: a 200,000-row CSV took the whole site
 * 2.5 to 3 s to refuse, a crafted XLSX 6 s. A file that needs more than the heap limit or the time limit is refused
 * as `too_heavy`.
 */
export function readRosterInWorker(
  data: Buffer,
  limits: ReadLimits = { heapMb: HEAP_LIMIT_MB, timeMs: TIME_LIMIT_MS },
): Promise<ParseResult> {
  const result = queue.then(() => readInWorker(data, limits));
  queue = result.catch(() => undefined);
  return result;
}

function readInWorker(data: Buffer, limits: ReadLimits): Promise<ParseResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(ENTRY, {
      workerData: data,
      resourceLimits: { maxOldGenerationSizeMb: limits.heapMb },
    });
    const rows: RosterRow[] = [];
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      outcome();
    };
    const tooHeavy = () => settle(() => resolve({ ok: false, problem: 'too_heavy' }));
    const timer = setTimeout(tooHeavy, limits.timeMs);
    worker.on('message', (message: WorkerMessage) => {
      if ('rows' in message) {
        for (const row of message.rows) rows.push(row);
      } else if ('done' in message) {
        const { format, ...sheet } = message.done;
        settle(() => resolve({ ok: true, format, sheet: { ...sheet, rows } }));
      } else {
        settle(() => resolve({ ok: false, ...message.refused }));
      }
    });
    worker.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') tooHeavy();
      else settle(() => reject(err));
    });
    worker.on('exit', () => settle(() => reject(new Error('the roster reader stopped without an answer'))));
  });
}
