import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';

// Password links carry their secret in the path; the log keeps only that such a page was asked for.
const SECRET_PATH = /^(\/atur-kata-sandi\/)[^/?#]+/i;
// Upload forms carry their CSRF token in the query string (see csrf.ts): it is a secret of the session.
const CSRF_PARAM = /([?&]_csrf=)[^&#]*/gi;
// The SSO provider's answer carries a one-time authorization code in the query string.
const SSO_CODE = /^(\/masuk\/sso\/kembali\?(?:[^#]*&)?code=)[^&#]*/i;
export const withoutSecrets = (url: string): string =>
  url
    .replace(SECRET_PATH, '$1[disembunyikan]')
    .replace(CSRF_PARAM, '$1[disembunyikan]')
    .replace(SSO_CODE, '$1[disembunyikan]');

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** The request's id (the proxy's X-Request-Id when it is sane), returned in the response. */
function requestIdOf(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/**
 * The same log line as requestLogging's for a request answered from the page cache, without pino-http's child
 * logger per request (its bindings are serialised when it is made, whatever the level): a third of such a hit's
 * cost. Call before the answer is sent.
 */
export function keptPageLogging(logger: Logger) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const id = requestIdOf(req, res);
    if (!logger.isLevelEnabled('info')) return;
    const started = performance.now();
    res.once('finish', () => {
      logger.info(
        {
          req: { id, method: req.method, url: withoutSecrets(req.url ?? '') },
          res: { statusCode: res.statusCode },
          responseTime: Math.round(performance.now() - started),
        },
        'request completed',
      );
    });
  };
}

/** Logs each request with an id (the proxy's X-Request-Id when it is sane) and returns the id in the response. */
export function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: requestIdOf,
    // Static files and health checks would drown the log.
    autoLogging: { ignore: (req) => /^\/(static|vendor)\//.test(req.url ?? '') || req.url === '/healthz' },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: withoutSecrets(req.url),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}
