import type { Response } from 'express';
import type { Config } from '../core/config.js';
import type { FieldErrors } from '../web/forms.js';

export interface LoginPageState {
  values?: { username: string };
  next?: string;
  errors?: FieldErrors;
  /** Catalogue key of the message shown when the login was refused. */
  failure?: string | null;
  /** What that message names (e.g. the NIP an SSO provider vouched for). */
  failureParams?: Record<string, string>;
  /** Catalogue key of an informational message (e.g. after logout). */
  notice?: string | null;
}

/** The ways in the login page offers, the same on every request: the app puts them in `app.locals`. */
export interface LoginMethods {
  password: boolean;
  sso: boolean;
}

export const loginMethods = (config: Pick<Config, 'oidc' | 'oidcOnly'>): LoginMethods => ({
  password: !config.oidcOnly,
  sso: config.oidc !== undefined,
});

/** Renders the login form: the one place that knows what the view needs, used by the route and the rate limit. */
export function renderLoginPage(res: Response, status: number, state: LoginPageState = {}): void {
  res.status(status).render('auth/login', {
    title: res.locals.t('login.title'),
    values: state.values ?? { username: '' },
    next: state.next ?? '',
    errors: state.errors ?? {},
    failure: state.failure ?? null,
    failureParams: state.failureParams ?? {},
    notice: state.notice ?? null,
  });
}
