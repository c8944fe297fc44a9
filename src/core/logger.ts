import pino, { type Logger } from 'pino';

/** JSON lines on stdout. Cookies, authorisation headers and password fields are never written. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { app: 'ikrar' },
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
        '*.password',
        '*.passwordHash',
      ],
      censor: '[disembunyikan]',
    },
  });
}
