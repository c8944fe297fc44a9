import type { Response } from 'express';
import type { FieldErrors } from '../web/forms.js';

export interface LoginPageState {
  values?: { username: string };
  next?: string;
  errors?: FieldErrors;
  /** Catalogue key of the message shown when the login was refused. */
  failure?: string | null;
  /** Catalogue key of an informational message (e.g. after logout). */
  notice?: string | null;
}

/** Renders the login form: the one place that knows what the view needs, used by the route and the rate limit. */
export function renderLoginPage(res: Response, status: number, state: LoginPageState = {}): void {
  res.status(status).render('auth/login', {
    title: res.locals.t('login.title'),
    values: state.values ?? { username: '' },
    next: state.next ?? '',
    errors: state.errors ?? {},
    failure: state.failure ?? null,
    notice: state.notice ?? null,
  });
}
