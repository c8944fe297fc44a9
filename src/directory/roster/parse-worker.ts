// The entry of the worker thread that reads one roster file (see read-in-worker.ts): the file comes in workerData.
// It is read twice: once to the end for its problems, keeping nothing, so that a file that will be refused costs
// the app's event loop nothing; then again, the header, the rows in messages of a thousand and the outcome going
// back as they are read. The thread keeps no more than one message's rows, never runs more than MESSAGES_AHEAD
// messages ahead of what the app has taken, and ends when this module is done.
import { parentPort, workerData } from 'node:worker_threads';
import type { ParseProblem } from './grid.js';
import { type ParseResult, parseRoster } from './parse.js';
import type { RosterHeader, RosterRow } from './types.js';

/** What the thread is given: the file, and the count of row messages the app has taken (shared memory). */
export interface WorkerInput {
  file: Uint8Array;
  taken: Int32Array;
}

/** What the worker sends back: that the file is fine (after the first read), the header, rows, then either the
 * outcome or why the file was refused. */
export type WorkerMessage =
  | { checked: true }
  | { header: RosterHeader }
  | { rows: RosterRow[] }
  | { done: Extract<ParseResult, { ok: true }> }
  | { refused: { problem: ParseProblem; params?: Record<string, string | number> } };

// A message is copied into the main thread's heap on its event loop: 1,000 rows take a few ms there, where 100,000
// at once took 200 ms and more, in one piece.
const ROWS_PER_MESSAGE = 1000;
// Row messages sent and not yet taken by the app, at most: the app decides and writes rows more slowly than they
// are read, and every message waiting for it is rows in its heap.
const MESSAGES_AHEAD = 2;
const WAIT_MS = 100;

const send = (message: WorkerMessage) => parentPort?.postMessage(message);
const { file, taken } = workerData as WorkerInput;
const data = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
const checked = await parseRoster(data, { header: () => {}, row: () => {} });
if (checked.ok) send({ checked: true });
let rows: RosterRow[] = [];
let sent = 0;
const flush = () => {
  if (rows.length === 0) return;
  send({ rows });
  rows = [];
  sent += 1;
  // Blocks this thread (the CSV reader is synchronous) until the app has taken enough; the app's terminate() ends
  // the wait.
  for (let seen = Atomics.load(taken, 0); sent - seen > MESSAGES_AHEAD; seen = Atomics.load(taken, 0)) {
    Atomics.wait(taken, 0, seen, WAIT_MS);
  }
};
const result = checked.ok
  ? await parseRoster(data, {
      header: (header) => send({ header }),
      row: (row) => {
        rows.push(row);
        if (rows.length >= ROWS_PER_MESSAGE) flush();
      },
    })
  : checked;
if (result.ok) {
  flush();
  send({ done: result });
} else {
  send({ refused: { problem: result.problem, ...(result.params ? { params: result.params } : {}) } });
}
