import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { ALL_ASN_PACT } from './sign-over-http.js';

/**
 * The live board's stream of the all-ASN pact on `base` (http or https): each state event's signed count, as it
 * arrives. `options` go with the request (for a proxy's TLS: servername, Host, rejectUnauthorized). Returns what
 * closes it.
 */
export function watchBoard(
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
