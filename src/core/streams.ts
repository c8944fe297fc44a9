import { Writable } from 'node:stream';

/**
 * Resolves when `out` can take more: at once unless a write returned false, else on 'drain'. Rejects if `out` has
 * closed (the reader left), so that a long export stops producing.
 */
export async function roomIn(out: NodeJS.WritableStream): Promise<void> {
  const stream = out as Partial<Writable> & NodeJS.WritableStream;
  if (stream.writableNeedDrain && !stream.destroyed) {
    await new Promise<void>((resolve) => {
      const done = () => {
        out.removeListener('drain', done);
        out.removeListener('close', done);
        resolve();
      };
      out.on('drain', done);
      out.on('close', done);
    });
  }
  if (stream.destroyed) throw new Error('export: the output closed before the end');
}

/**
 * What `write` writes into the stream it is given, as one Buffer: for a document that must be whole before it is
 * sent (a PDF to be sealed).
 */
export async function bytesWritten(write: (out: NodeJS.WritableStream) => Promise<void>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  await write(out);
  return Buffer.concat(chunks);
}
