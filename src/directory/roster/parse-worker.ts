// The entry of the worker thread that reads one roster file (see read-in-worker.ts): the file comes in workerData.
// It is read twice: once to the end for its problems, keeping nothing, so that a file that will be refused costs
// the app's event loop nothing; then again, the header, the rows in messages of a thousand and the outcome going
// back as they are read. The thread keeps no more than one message's rows, and ends when this module is done.
import { parentPort, workerData } from 'node:worker_threads';
import type { ParseProblem } from './grid.js';
import { type ParseResult, parseRoster } from './parse.js';
import type { RosterHeader, RosterRow } from './types.js';

/** What the worker sends back: the header, rows, then either the outcome or why the file was refused. */
export type WorkerMessage =
  | { header: RosterHeader }
  | { rows: RosterRow[] }
  | { done: Extract<ParseResult, { ok: true }> }
  | { refused: { problem: ParseProblem; params?: Record<string, string | number> } };

// A message is copied into the main thread's heap on its event loop: 1,000 rows take a few ms there, where 100,000
// at once took 200 ms and more, in one piece.
const ROWS_PER_MESSAGE = 1000;

const send = (message: WorkerMessage) => parentPort?.postMessage(message);
const file = workerData as Uint8Array;
const data = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
const checked = await parseRoster(data, { header: () => {}, row: () => {} });
let rows: RosterRow[] = [];
const flush = () => {
  if (rows.length > 0) send({ rows });
  rows = [];
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
