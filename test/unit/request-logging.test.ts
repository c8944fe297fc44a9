import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { keptPageLogging, withoutSecrets } from '../../src/web/request-logging.js';

describe('request log lines', () => {
  it('never carry the secret of a password link', () => {
    expect(withoutSecrets('/atur-kata-sandi/AbC_-123?x=1')).toBe('/atur-kata-sandi/[disembunyikan]?x=1');
  });

  it('never carry a CSRF token sent in the query string of an upload', () => {
    expect(withoutSecrets('/admin/pengguna/impor?_csrf=abc123&x=1')).toBe(
      '/admin/pengguna/impor?_csrf=[disembunyikan]&x=1',
    );
  });

  it('keep every other path as it was', () => {
    expect(withoutSecrets('/pakta/3?tab=1')).toBe('/pakta/3?tab=1');
    expect(withoutSecrets('/verifikasi/ABCD-EFGH-JKLM-NPQR')).toBe('/verifikasi/ABCD-EFGH-JKLM-NPQR');
  });
});

describe('the log line of a page answered from memory', () => {
  const answer = (level: string, headers: Record<string, string> = {}) => {
    const lines: string[] = [];
    const logger = pino({ level }, { write: (line: string) => lines.push(line) });
    const res = Object.assign(new EventEmitter(), {
      statusCode: 200,
      headers: {} as Record<string, string>,
      setHeader(name: string, value: string) {
        this.headers[name] = value;
      },
    });
    const req = { headers, method: 'GET', url: '/berita?_csrf=rahasia&halaman=2' };
    keptPageLogging(logger)(req as unknown as IncomingMessage, res as unknown as ServerResponse);
    res.emit('finish');
    return { lines, res };
  };

  it('is the request log line, with the id it answers with and no secret', () => {
    const { lines, res } = answer('info');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] as string);
    expect(line).toMatchObject({
      msg: 'request completed',
      req: { id: res.headers['X-Request-Id'], method: 'GET', url: '/berita?_csrf=[disembunyikan]&halaman=2' },
      res: { statusCode: 200 },
    });
    expect(line.responseTime).toBeGreaterThanOrEqual(0);
  });

  it("keeps the proxy's request id, and writes nothing below its level", () => {
    const { lines, res } = answer('warn', { 'x-request-id': 'proxy-1234abcd' });
    expect(res.headers['X-Request-Id']).toBe('proxy-1234abcd');
    expect(lines).toHaveLength(0);
  });
});
