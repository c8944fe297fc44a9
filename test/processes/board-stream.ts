import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { expect } from 'vitest';
import { ALL_ASN_PACT } from './sign-over-http.js';

/**
 * The live board's stream of the all-ASN pact on `base` (http or https): each state event's signed count, as it
 * arrives. `options` go with the request (for a proxy's TLS: servername, Host, rejectUnauthorized). Returns what
 * closes it.
 */
function watchBoard(
  base: string,
  onSigned: (signed: number) => void,
  options: RequestOptions = {},
): () => void {
  const url = new URL(`/kepatuhan/${ALL_ASN_PACT}/events`, base);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const req = request(url, options, (res) => {
    let buffer = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = /^data: (.*)$/m.exec(event)?.[1];
        if (event.includes('event: state') && data) onSigned((JSON.parse(data) as { signed: number }).signed);
      }
    });
  });
  req.on('error', () => {});
  req.end();
  return () => req.destroy();
}

/**
 * Holds the all-ASN pact's board open on `base` (with `options`), makes one signing with `sign` once the board has
 * shown its first count, and expects the open stream to bring the new count (the board's watcher looks every half
 * second; how soon under load is the bench's to measure, not a test's: on a busy 2-core runner a timed assertion
 * only flakes). A board that needed a reload, or a stream held back by a proxy's buffer, never shows it.
 */
export async function expectBoardToCountSigning(
  base: string,
  sign: () => Promise<{ status: number }>,
  options: RequestOptions = {},
): Promise<void> {
  const seen: { signed: number }[] = [];
  const stop = watchBoard(base, (signed) => seen.push({ signed }), options);
  try {
    await expect.poll(() => seen.length).toBeGreaterThan(0);
    const before = seen[0]?.signed as number;
    expect((await sign()).status).toBe(303);
    await expect.poll(() => seen.find((s) => s.signed === before + 1), { timeout: 5000 }).toBeDefined();
  } finally {
    stop();
  }
}
