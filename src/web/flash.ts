import type { Request, RequestHandler } from 'express';

export type FlashKind = 'success' | 'info' | 'warning' | 'danger';

export interface FlashMessage {
  kind: FlashKind;
  messageKey: string;
  /**
   * Values for the message's {placeholders}. A number is written as the page that shows the message writes numbers
   * (its language: '1.250' or '1,250'), so pass counts as numbers.
   */
  params?: Record<string, string | number>;
}

declare module 'express-session' {
  interface SessionData {
    flash?: FlashMessage[];
  }
}

/** Queues a message for the next page this browser shows (after a POST-redirect-GET). */
export function flash(
  req: Request,
  kind: FlashKind,
  messageKey: string,
  params?: FlashMessage['params'],
): void {
  req.session.flash = [...(req.session.flash ?? []), { kind, messageKey, ...(params && { params }) }];
}

/** Moves queued messages into the view and off the session, touching the session only when there are some. */
export const flashMessages: RequestHandler = (req, res, next) => {
  res.locals.flash = req.session?.flash ?? [];
  if (req.session?.flash) delete req.session.flash;
  next();
};
