import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ParseResult } from './parse.js';
import type { WorkerInput, WorkerMessage } from './parse-worker.js';
import type { RosterHeader, RosterRow } from './types.js';

/**
 * The heap a file may take while it is read. A 100,000-row roster of long values (a 3.9 MB XLSX, a 22 MB CSV) is
 * read within 96 MB, at full speed from 128 MB (measured); a file built to take more ends its own thread, not the
 * app.
 */
const HEAP_LIMIT_MB = 256;
/**
 * How long the first read (the one that finds a file's problems) may take: longer than the XLSX reader's own 30 s
 * for a damaged zip (malformed_xlsx). The second read goes at the pace the app takes its rows.
 */
const TIME_LIMIT_MS = 45_000;

export interface ReadLimits {
  heapMb: number;
  timeMs: number;
}

// The worker's entry beside this module, in the same language: parse-worker.js in dist/, parse-worker.ts under the
// test runner (whose processes load TypeScript in worker threads: test/helpers/worker-typescript.mjs).
const ENTRY = new URL(`./parse-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

/**
 * Where the rows read in the thread go, in order: the header, then each batch of rows; the next batch waits for the
 * promise of the one before. A refused file may have sent some rows before the problem was found.
 */
export interface RowsSink {
  header(header: RosterHeader): void;
  rows(rows: RosterRow[]): void | Promise<void>;
}

// One file at a time, read and taken by the sink, so that reading takes at most one heap limit of memory however
// many arrive together.
let queue: Promise<unknown> = Promise.resolve();

/**
 * `parseRoster` in a worker thread of its own, away from the event loop (a 200,000-row CSV took the whole site
 * 2.5 to 3 s to refuse, a crafted XLSX 6 s), its rows handed to `sink` as they are read. A file that needs more
 * than the heap limit or the time limit is refused as `too_heavy`. Resolves once the sink has taken every batch;
 * rejects with what the sink threw.
 */
export function readRosterInWorker(
  data: Buffer,
  sink: RowsSink,
  limits: ReadLimits = { heapMb: HEAP_LIMIT_MB, timeMs: TIME_LIMIT_MS },
): Promise<ParseResult> {
  const result = queue.then(() => readInWorker(data, sink, limits));
  queue = result.catch(() => undefined);
  return result;
}

function readInWorker(data: Buffer, sink: RowsSink, limits: ReadLimits): Promise<ParseResult> {
  return new Promise((resolve, reject) => {
    // How many row messages the sink has taken, read by the thread so that it keeps only a few ahead.
    const rowsTaken = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    const input: WorkerInput = { file: data, taken: rowsTaken };
    const worker = new Worker(ENTRY, {
      workerData: input,
      resourceLimits: { maxOldGenerationSizeMb: limits.heapMb },
    });
    // The sink takes one message at a time, in order.
    let taken: Promise<void> = Promise.resolve();
    let answered = false;
    let settled = false;
    // Settles once the sink is done with what it was given, so that nothing it writes outlives the answer.
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      void taken.catch(() => undefined).then(outcome);
    };
    const tooHeavy = () => settle(() => resolve({ ok: false, problem: 'too_heavy' }));
    const timer = setTimeout(tooHeavy, limits.timeMs);
    const take = (work: () => void | Promise<void>) => {
      taken = taken.then(() => (settled ? undefined : work()));
      taken.catch((err: unknown) => settle(() => reject(err)));
    };
    worker.on('message', (message: WorkerMessage) => {
      if ('checked' in message) clearTimeout(timer);
      else if ('header' in message) take(() => sink.header(message.header));
      else if ('rows' in message) {
        take(async () => {
          await sink.rows(message.rows);
          Atomics.add(rowsTaken, 0, 1);
          Atomics.notify(rowsTaken, 0);
        });
      } else {
        answered = true;
        clearTimeout(timer);
        const outcome: ParseResult = 'done' in message ? message.done : { ok: false, ...message.refused };
        take(() => settle(() => resolve(outcome)));
      }
    });
    worker.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') tooHeavy();
      else settle(() => reject(err));
    });
    worker.on('exit', () => {
      if (!answered) settle(() => reject(new Error('the roster reader stopped without an answer')));
    });
  });
}
