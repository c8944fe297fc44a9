// The entry of the worker thread that reads one roster file (see read-in-worker.ts): the file comes in workerData,
// the rows go back in messages of a few thousand, then the outcome. The thread ends when this module is done.
import { parentPort, workerData } from 'node:worker_threads';
import type { ParseProblem } from './grid.js';
import { parseRoster } from './parse.js';
import type { RosterRow, RosterSheet } from './types.js';

/** What the worker sends back: rows, then either the rest of the sheet or why the file was refused. */
export type WorkerMessage =
  | { rows: RosterRow[] }
  | { done: Omit<RosterSheet, 'rows'> & { format: 'csv' | 'xlsx' } }
  | { refused: { problem: ParseProblem; params?: Record<string, string | number> } };

// A message is copied into the main thread's heap while it waits there: 5,000 rows take about 10 ms, where
// 100,000 at once took 200 ms and more, in one piece.
const ROWS_PER_MESSAGE = 5000;

const send = (message: WorkerMessage) => parentPort?.postMessage(message);
const file = workerData as Uint8Array;
const result = await parseRoster(Buffer.from(file.buffer, file.byteOffset, file.byteLength));
if (result.ok) {
  const { rows, ...rest } = result.sheet;
  for (let start = 0; start < rows.length; start += ROWS_PER_MESSAGE) {
    send({ rows: rows.slice(start, start + ROWS_PER_MESSAGE) });
  }
  send({ done: { ...rest, format: result.format } });
} else {
  send({ refused: { problem: result.problem, ...(result.params ? { params: result.params } : {}) } });
}
