/**
 * The floor of the page scenarios, run by the bench as a child process: a bare Express app sending, for each path,
 * the bytes the app sent for it with the same content type, and nothing else. Prints `listening <port>`.
 *
 *   node dist-bench/test/bench/children/floor-pages.js <manifest.json>   (a list of { path, contentType, file })
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import express from 'express';

export interface FloorPage {
  path: string;
  contentType: string;
  /** The bytes, in a file of the bench's temp folder. */
  file: string;
}

const pages = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as FloorPage[];
const app = express();
for (const page of pages) {
  const bytes = readFileSync(page.file);
  app.get(page.path, (_req, res) => {
    res.type(page.contentType).send(bytes);
  });
}
const server = app.listen(0, '127.0.0.1', () => {
  console.log(`listening ${(server.address() as AddressInfo).port}`);
});
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
