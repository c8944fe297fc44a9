import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';

/** Ikrar as a client of the test provider. */
const CLIENT = { id: 'ikrar-uji', secret: 'rahasia-klien-uji-yang-cukup-panjang' };

/** What the provider says about a person: the NIP claim (`nip`) and the email, as a Keycloak realm might. */
export interface ProviderAccount {
  nip?: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

export interface TestOidcProvider {
  issuer: string;
  /** The app's OIDC_* settings for this provider. */
  env: Record<string, string>;
  /** The people who can log in at the provider, by the login its form takes. */
  accounts: Map<string, ProviderAccount>;
  /** A browser at the provider, with cookies of its own (its session there outlives one login). */
  browser: () => ProviderBrowser;
  /** Stops answering: the port is closed, as when the provider is down. */
  close: () => Promise<void>;
}

export interface ProviderBrowser {
  /**
   * Follows the provider's redirects from `authorizationUrl`, fills its login form as `login` whenever it shows one
   * (any password passes) or cancels there, until the provider sends the browser back to `redirectUri`.
   */
  signIn(
    authorizationUrl: string,
    login: string,
    options?: { cancel?: boolean },
  ): Promise<{ callbackUrl: URL; askedToLogIn: boolean }>;
}

/**
 * A real OpenID provider (oidc-provider) in this process on 127.0.0.1, on `port` or a free one, with Ikrar as its one
 * client (secret, PKCE required, consent skipped as for a first-party client) and its development login form.
 * NIP and name come with the `profile` scope, email with `email`, as the UserInfo answer.
 */
export async function startOidcProvider(redirectUri: string, port = 0): Promise<TestOidcProvider> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accounts = new Map<string, ProviderAccount>();
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    cookies: { keys: ['kunci-cookie-penyedia-uji'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'nip'] },
    pkce: { required: () => true },
    // Lifetimes of its own, so that it prints no notice for each default it falls back on.
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 3600,
      IdToken: 600,
      Interaction: 600,
      Session: 3600,
    },
    features: { devInteractions: { enabled: true } },
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      return account && { accountId: sub, claims: () => ({ sub, ...account }) };
    },
    loadExistingGrant: (ctx: KoaContextWithOIDC) => firstPartyGrant(ctx),
  });
  server.on('request', provider.callback());
  return {
    issuer,
    env: { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: CLIENT.id, OIDC_CLIENT_SECRET: CLIENT.secret },
    accounts,
    browser: () => providerBrowser(redirectUri),
    close: () =>
      new Promise((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Every scope asked for, granted without a consent page: Ikrar is the provider's own (first-party) client. */
async function firstPartyGrant(ctx: KoaContextWithOIDC) {
  const { Grant } = ctx.oidc.provider;
  const grantId =
    ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(ctx.oidc.client?.clientId ?? '');
  if (grantId) return Grant.find(grantId);
  const grant = new Grant({ clientId: ctx.oidc.client?.clientId, accountId: ctx.oidc.session?.accountId });
  grant.addOIDCScope(String(ctx.oidc.params?.scope ?? 'openid'));
  await grant.save();
  return grant;
}

function providerBrowser(redirectUri: string): ProviderBrowser {
  const cookies = new Map<string, string>();
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) cookies.delete(name);
      else cookies.set(name, value);
    }
  };
  return {
    async signIn(authorizationUrl, login, options = {}) {
      let request: { url: string; form?: URLSearchParams } = { url: authorizationUrl };
      let askedToLogIn = false;
      for (let step = 0; step < 20; step += 1) {
        const response = await fetch(request.url, {
          method: request.form ? 'POST' : 'GET',
          body: request.form,
          redirect: 'manual',
          headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
        });
        keep(response);
        const location = response.headers.get('location');
        if (location) {
          const next = new URL(location, request.url);
          if (next.href.startsWith(redirectUri)) return { callbackUrl: next, askedToLogIn };
          request = { url: next.href };
          continue;
        }
        const page = await response.text();
        const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
        const cancel = /<a href="([^"]+)">\[ Cancel \]/.exec(page)?.[1];
        if (!action || !cancel || !page.includes('name="login"')) {
          throw new Error(
            `the provider answered ${response.status} at ${request.url}: ${page.slice(0, 300)}`,
          );
        }
        askedToLogIn = true;
        request = options.cancel
          ? { url: new URL(cancel, request.url).href }
          : {
              url: new URL(action, request.url).href,
              form: new URLSearchParams({ prompt: 'login', login, password: 'apa-saja' }),
            };
      }
      throw new Error('the provider never sent the browser back');
    },
  };
}
