import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectPath } from '../../src/core/paths.js';
import { type RunningApp, startApp } from '../browser/support/app.js';
import { freePort, productionEnv } from '../helpers/app-process.js';
import { expectBoardToCountSigning } from './board-stream.js';
import { logInAndSign } from './sign-over-http.js';

const HOST = 'ikrar.test';
/** Debian's nginx (in /usr/sbin, which a user's PATH may lack). */
const NGINX = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';

/**
 * deploy/nginx/ikrar.conf as an agency installs it, with only what its comments mark CHANGE changed: the app's
 * port, the server name, the certificate, and (nginx running as this user) the cache folder and the snippet's path.
 */
function siteConfig(dir: string, appPort: number, httpsPort: number, httpPort: number): string {
  const site = readFileSync(projectPath('deploy', 'nginx', 'ikrar.conf'), 'utf8')
    .replace('server 127.0.0.1:3000', `server 127.0.0.1:${appPort}`)
    .replaceAll('server_name ikrar.jatengprov.go.id;', `server_name ${HOST};`)
    .replace('listen 80;', `listen 127.0.0.1:${httpPort};`)
    .replace('listen [::]:80;', '')
    .replace('listen 443 ssl http2;', `listen 127.0.0.1:${httpsPort} ssl http2;`)
    .replace('listen [::]:443 ssl http2;', '')
    .replace('/etc/ssl/ikrar/fullchain.pem', join(dir, 'cert.pem'))
    .replace('/etc/ssl/ikrar/privkey.pem', join(dir, 'key.pem'))
    .replace('/var/cache/nginx/ikrar', join(dir, 'cache'))
    .replaceAll(
      '/etc/nginx/snippets/ikrar-public-cache.conf',
      projectPath('deploy', 'nginx', 'ikrar-public-cache.conf'),
    );
  // As root, nginx's workers would run as nobody, who may not enter this test's private folders.
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  return `${user}pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events {}
http {
  access_log off;
  client_body_temp_path ${join(dir, 'body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
${site}
}
`;
}

/** A GET through nginx's TLS port as a browser sends it (SNI and Host of the site). */
function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        servername: HOST,
        headers: { Host: HOST, ...headers },
        rejectUnauthorized: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the nginx site of deploy/ in front of the app', () => {
  let dir: string;
  let app: RunningApp;
  let nginx: ChildProcess;
  let httpsPort: number;
  let conf: string;
  /** The app itself, past nginx. */
  let appBase: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ikrar-nginx-'));
    for (const sub of ['cache', 'body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, sub));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        `/CN=${HOST}`,
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const appPort = await freePort();
    appBase = `http://127.0.0.1:${appPort}`;
    app = await startApp({
      ...productionEnv(`https://${HOST}`),
      PORT: String(appPort),
      IKRAR_DEMO: 'true',
      REMINDERS: 'false',
    });
    httpsPort = await freePort();
    conf = join(dir, 'nginx.conf');
    writeFileSync(conf, siteConfig(dir, appPort, httpsPort, await freePort()));
    nginx = spawn(NGINX, ['-p', dir, '-c', conf, '-g', 'daemon off;'], { stdio: 'ignore' });
    // Until nginx answers (it starts in a few milliseconds; the app is up already).
    for (let tries = 0; ; tries++) {
      const status = await get(httpsPort, '/healthz').then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) break;
      if (tries > 100)
        throw new Error(`nginx did not answer: ${readFileSync(join(dir, 'error.log'), 'utf8')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  afterAll(async () => {
    nginx?.kill('SIGQUIT');
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes nginx -t', () => {
    expect(() => execFileSync(NGINX, ['-t', '-p', dir, '-c', conf], { stdio: 'pipe' })).not.toThrow();
  });

  it('reaches the app over TLS, which sees the original scheme and address', async () => {
    const res = await get(httpsPort, '/masuk');
    expect(res.status).toBe(200);
    // The login form's page: the app trusted X-Forwarded-Proto (production refuses a plain-HTTP BASE_URL).
    expect(res.body).toContain('name="username"');
    expect(res.headers['strict-transport-security']).toBeDefined();
  });

  it('passes the live board’s stream through unbuffered: a signing reaches a board held through nginx at once', async () => {
    // Signed on the app itself: what travels through nginx is the stream alone.
    await expectBoardToCountSigning(
      `https://127.0.0.1:${httpsPort}`,
      () =>
        logInAndSign(
          appBase,
          { email: 'asn@ikrar.test', fullName: 'Dewi Lestari' },
          { headers: { 'X-Forwarded-Proto': 'https' } },
        ),
      { servername: HOST, headers: { Host: HOST }, rejectUnauthorized: false },
    );
  });

  it('keeps each language its own copy of a page, whichever asked first', async () => {
    const lang = (body: string) => /<html lang="([^"]+)"/.exec(body)?.[1];
    const asked = async (headers: Record<string, string>) => {
      const res = await get(httpsPort, '/berita', headers);
      expect(res.status).toBe(200);
      return { lang: lang(res.body), cache: res.headers['x-cache-status'] };
    };
    expect(await asked({ 'Accept-Language': 'en-GB,en' })).toMatchObject({ lang: 'en' });
    expect(await asked({ 'Accept-Language': 'en-GB,en' })).toEqual({ lang: 'en', cache: 'HIT' });
    expect(await asked({ 'Accept-Language': 'id-ID,id' })).toMatchObject({ lang: 'id' });
    expect(await asked({ 'Accept-Language': 'id-ID,id' })).toEqual({ lang: 'id', cache: 'HIT' });
    expect(await asked({ 'Accept-Language': 'en-GB,en' })).toEqual({ lang: 'en', cache: 'HIT' });
    // The switch's cookie before the browser's wish.
    expect(await asked({ 'Accept-Language': 'id-ID,id', Cookie: 'lang=en' })).toMatchObject({ lang: 'en' });
    expect(await asked({ 'Accept-Language': 'id-ID,id' })).toEqual({ lang: 'id', cache: 'HIT' });
  });

  it('keeps one copy per language and encoding, however a browser words its wish', async () => {
    const asked = async (headers: Record<string, string>) => {
      const res = await get(httpsPort, '/', headers);
      expect(res.status).toBe(200);
      return {
        lang: res.headers['content-language'],
        encoding: res.headers['content-encoding'],
        cache: res.headers['x-cache-status'],
      };
    };
    const chrome = {
      'Accept-Language': 'en-GB,en-US;q=0.9,en;q=0.8',
      'Accept-Encoding': 'gzip, deflate, br, zstd',
    };
    expect(await asked(chrome)).toEqual({ lang: 'en', encoding: 'br', cache: 'MISS' });
    // Another English reader, in other words and with a cookie of some other site's script: the same copy.
    const firefox = {
      'Accept-Language': 'en-US,en;q=0.5',
      'Accept-Encoding': 'br, gzip',
      Cookie: '_pk_id=1.2',
    };
    expect(await asked(firefox)).toEqual({ lang: 'en', encoding: 'br', cache: 'HIT' });
    // The same page in Indonesian is a copy of its own, and so is English for a browser without brotli.
    const indonesian = {
      'Accept-Language': 'id-ID,id;q=0.9,en;q=0.8',
      'Accept-Encoding': 'gzip, deflate, br',
    };
    // Weights that rank English above the Indonesian named first: the app answers in English, passed on but not kept
    // as the Indonesian copy.
    expect(await asked({ 'Accept-Language': 'id;q=0.2, en', 'Accept-Encoding': 'br' })).toMatchObject({
      lang: 'en',
    });
    expect(await asked(indonesian)).toEqual({ lang: 'id', encoding: 'br', cache: 'MISS' });
    expect(await asked({ ...indonesian, 'Accept-Language': 'id' })).toEqual({
      lang: 'id',
      encoding: 'br',
      cache: 'HIT',
    });
    expect(await asked({ 'Accept-Language': 'en', 'Accept-Encoding': 'gzip' })).toEqual({
      lang: 'en',
      encoding: 'gzip',
      cache: 'MISS',
    });
    // The switch's cookie before the browser's wish, from the copy already kept.
    expect(await asked({ ...indonesian, Cookie: 'lang=en' })).toEqual({
      lang: 'en',
      encoding: 'br',
      cache: 'HIT',
    });
  });

  it('lets a reader who has not read a post reach the app, which counts them', async () => {
    const list = await get(httpsPort, '/berita');
    const path = /href="(\/berita\/[a-z0-9-]+)"/.exec(list.body)?.[1] as string;
    // A browser's (a request without one is a robot's, which the app never counts).
    const browser = {
      'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
    };
    const first = await get(httpsPort, path, browser);
    const cookie = String(first.headers['set-cookie']).split(';')[0] as string;
    expect(cookie).toMatch(/^ikrar_dibaca=/);
    // A reader back on the post is kept (the app has nothing to count), but only for readers back on it.
    await get(httpsPort, path, { ...browser, Cookie: cookie });
    expect((await get(httpsPort, path, { ...browser, Cookie: cookie })).headers['x-cache-status']).toBe(
      'HIT',
    );
    const newcomer = await get(httpsPort, path, browser);
    expect(newcomer.headers['x-cache-status']).not.toBe('HIT');
    expect(String(newcomer.headers['set-cookie'])).toMatch(/^ikrar_dibaca=/);
  });

  it('keeps an anonymous public page and serves it while the app is briefly stopped', async () => {
    const first = await get(httpsPort, '/kepatuhan');
    expect(first.status).toBe(200);
    expect(first.headers['x-cache-status']).toMatch(/MISS|EXPIRED/);
    const second = await get(httpsPort, '/kepatuhan');
    expect(second.headers['x-cache-status']).toBe('HIT');
    // A reader with a session always reaches the app.
    const withSession = await get(httpsPort, '/kepatuhan', { Cookie: 'ikrar.sid=s%3Aapa-saja' });
    expect(withSession.headers['x-cache-status']).toBe('BYPASS');

    await app.stop();
    const whileDown = await get(httpsPort, '/kepatuhan');
    expect(whileDown.status).toBe(200);
    expect(whileDown.headers['x-cache-status']).toMatch(/HIT|STALE|UPDATING/);
    expect(whileDown.body).toBe(first.body);
  });
});
