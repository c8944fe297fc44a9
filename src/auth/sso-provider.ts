import * as oidc from 'openid-client';
import type { OidcConfig } from '../core/config.js';

/** What the session keeps while the browser is at the provider, to check its answer against (used once). */
export interface PendingSsoLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Seconds: the provider had to ask for credentials again and say when (`auth_time`) it did. */
  maxAge?: number;
}

/**
 * Why the provider's part failed. unavailable: it could not be reached or answered as no working provider does (down,
 * timed out, an error page); refused: it said no (the person cancelled, or it refused the login); invalid: its
 * answer failed a check (state, nonce, PKCE, signature, a code used twice).
 */
export type SsoProblem = 'unavailable' | 'refused' | 'invalid';

export class SsoProviderError extends Error {
  constructor(
    readonly problem: SsoProblem,
    cause: unknown,
  ) {
    super(`SSO ${problem}`, { cause });
    this.name = 'SsoProviderError';
  }
}

export interface SsoProvider {
  /** The provider's authorization URL for a new login (with PKCE, state and nonce), and what to check it by. */
  start(options: { maxAge?: number }): Promise<{ url: URL; pending: PendingSsoLogin }>;
  /** The claims of the person the provider vouches for, once its answer (the callback's query) passed every check. */
  finish(query: string, pending: PendingSsoLogin): Promise<Record<string, unknown>>;
}

const SCOPE = 'openid profile email';
/** Seconds before a request to the provider counts as failed (openid-client waits 30). */
const TIMEOUT_S = 10;

/** openid-client's codes for a provider that cannot be reached, or answers as no working provider does. */
const UNREACHABLE = new Set([
  'OAUTH_TIMEOUT',
  'OAUTH_ABORT',
  'OAUTH_RESPONSE_IS_NOT_CONFORM',
  'OAUTH_RESPONSE_IS_NOT_JSON',
]);

/**
 * The SSO provider at OIDC_ISSUER, through openid-client: the authorization code flow with PKCE (S256), state and
 * nonce. Its metadata is discovered on first use and kept; a discovery that failed is tried again on the next
 * login, so a provider that is down when the app starts costs nothing but SSO until it is back.
 */
export function ssoProvider(
  config: OidcConfig,
  redirectUri: string,
  options: { allowHttp: boolean },
): SsoProvider {
  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = (): Promise<oidc.Configuration> => {
    discovered ??= oidc
      .discovery(new URL(config.issuer), config.clientId, config.clientSecret, oidc.ClientSecretBasic(), {
        timeout: TIMEOUT_S,
        execute: options.allowHttp ? [oidc.allowInsecureRequests] : [],
      })
      .catch((err: unknown) => {
        discovered = undefined;
        throw new SsoProviderError('unavailable', err);
      });
    return discovered;
  };

  return {
    async start({ maxAge }) {
      const provider = await configuration();
      const pending: PendingSsoLogin = {
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        codeVerifier: oidc.randomPKCECodeVerifier(),
        ...(maxAge === undefined ? {} : { maxAge }),
      };
      const url = oidc.buildAuthorizationUrl(provider, {
        redirect_uri: redirectUri,
        scope: SCOPE,
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
        ...(maxAge === undefined ? {} : { prompt: 'login', max_age: String(maxAge) }),
      });
      return { url, pending };
    },

    async finish(query, pending) {
      const provider = await configuration();
      try {
        const tokens = await oidc.authorizationCodeGrant(provider, new URL(`${redirectUri}${query}`), {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          ...(pending.maxAge === undefined ? {} : { maxAge: pending.maxAge }),
        });
        // Present: expecting a nonce makes the ID token required.
        const idToken = tokens.claims() as oidc.IDToken;
        // Many providers put the profile's claims (the NIP, the email) only in the UserInfo answer.
        const userInfo: Record<string, unknown> = provider.serverMetadata().userinfo_endpoint
          ? await oidc.fetchUserInfo(provider, tokens.access_token, idToken.sub)
          : {};
        // The ID token's claims win, but an email and whether it is verified come from one source together:
        // never the ID token's `email_verified: true` beside an address only UserInfo named.
        const emailSource: Record<string, unknown> = idToken.email !== undefined ? idToken : userInfo;
        return {
          ...userInfo,
          ...idToken,
          email: emailSource.email,
          email_verified: emailSource.email_verified,
        };
      } catch (err) {
        throw providerError(err);
      }
    },
  };
}

/** What went wrong at the provider, or the error itself when it is none of the provider's doing (a bug). */
function providerError(err: unknown): unknown {
  if (err instanceof oidc.AuthorizationResponseError) return new SsoProviderError('refused', err);
  // fetch() itself failing (refused, reset, no route) is a TypeError with the system's error as its cause.
  if (err instanceof TypeError && err.cause instanceof Error) return new SsoProviderError('unavailable', err);
  if (
    (err instanceof oidc.ClientError && UNREACHABLE.has(err.code ?? '')) ||
    (err instanceof oidc.ResponseBodyError && err.status >= 500)
  ) {
    return new SsoProviderError('unavailable', err);
  }
  if (
    err instanceof oidc.ClientError ||
    err instanceof oidc.ResponseBodyError ||
    err instanceof oidc.WWWAuthenticateChallengeError
  ) {
    return new SsoProviderError('invalid', err);
  }
  return err;
}
