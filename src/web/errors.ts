import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { HttpError, notFound } from './http-error.js';
import { sameSiteReferer } from './safe-redirect.js';

interface PublicError {
  status: number;
  messageKey: string;
  /** A title of its own; otherwise the status's title. */
  titleKey?: string;
  /** A stale form: offer a way back to the page it came from. */
  offerRetry?: boolean;
}

// Errors raised by body-parser, Express and csrf-sync, translated into what we tell people.
const BODY_PARSER_ERRORS: Record<string, PublicError> = {
  'entity.too.large': { status: 413, messageKey: 'error.413.message' },
  'parameters.too.many': { status: 413, messageKey: 'error.413.message' },
  'entity.parse.failed': { status: 400, messageKey: 'error.400.message' },
  'entity.verify.failed': { status: 400, messageKey: 'error.400.message' },
  'request.aborted': { status: 400, messageKey: 'error.400.message' },
  'charset.unsupported': { status: 415, messageKey: 'error.415.message' },
  'encoding.unsupported': { status: 415, messageKey: 'error.415.message' },
};

// Statuses with their own title in the catalogue; any other is titled as a 400 or a 500.
const TITLED = new Set([400, 401, 403, 404, 409, 413, 415, 429, 500]);
const titleKeyFor = (status: number): string =>
  `error.${TITLED.has(status) ? status : status < 500 ? 400 : 500}.title`;

function classify(err: unknown): PublicError {
  if (err instanceof HttpError) return { status: err.status, messageKey: err.messageKey };
  const e = err as { code?: unknown; type?: unknown; status?: unknown; statusCode?: unknown } | null;
  if (e?.code === 'EBADCSRFTOKEN') {
    return { status: 403, messageKey: 'error.csrf.message', titleKey: 'error.csrf.title', offerRetry: true };
  }
  if (typeof e?.type === 'string' && Object.hasOwn(BODY_PARSER_ERRORS, e.type))
    return BODY_PARSER_ERRORS[e.type] as PublicError;
  const status = Number(e?.status ?? e?.statusCode);
  if (status >= 400 && status < 500)
    return { status, messageKey: `error.${status === 404 ? 404 : 400}.message` };
  return { status: 500, messageKey: 'error.500.message' };
}

export const notFoundHandler: RequestHandler = (_req, _res, next) => next(notFound());

/**
 * The one error handler: logs server faults with the request id, answers JSON under /api and an Indonesian error
 * page elsewhere. Never shows a stack trace or an internal message, in any environment. `fallbackLocals` fill in what
 * the page needs when the request failed before the view locals were read (the instance settings, if the database
 * is what failed).
 */
export function errorHandler(logger: Logger, fallbackLocals: Record<string, unknown>): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const { status, messageKey, titleKey, offerRetry } = classify(err);
    if (status >= 500) logger.error({ err, reqId: req.id }, 'unhandled error');
    else logger.info({ reqId: req.id, status, reason: (err as Error)?.message }, 'request refused');
    const t = res.locals.t as ((key: string) => string) | undefined;
    const message = t ? t(messageKey) : messageKey;
    res.status(status);
    res.set('Cache-Control', 'no-store');
    // The settings may be what failed (database down): the error page must still render.
    for (const [name, value] of Object.entries(fallbackLocals)) res.locals[name] ??= value;
    if (req.path.startsWith('/api/')) {
      res.json({ error: { status, message } });
      return;
    }
    res.render(
      'errors/error',
      {
        status,
        message,
        title: t ? t(titleKey ?? titleKeyFor(status)) : String(status),
        requestId: String(req.id ?? ''),
        // The page a stale form came from, so that the person can open it again with a fresh token.
        retryPath: offerRetry ? sameSiteReferer(req, '/') : null,
      },
      (renderErr, html) => {
        if (renderErr) {
          logger.error({ err: renderErr, reqId: req.id }, 'error page failed to render');
          res.type('text/plain').send(message);
          return;
        }
        res.send(html);
      },
    );
  };
}
