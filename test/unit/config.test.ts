import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/core/config.js';
import { PRODUCTION, problemsOf } from '../helpers/config.js';

describe('loadConfig defaults', () => {
  it('uses port 3000, the default database path and a localhost base URL', () => {
    const config = loadConfig({});
    expect(config.env).toBe('development');
    expect(config.production).toBe(false);
    expect(config.port).toBe(3000);
    expect(config.databasePath).toBe('data/ikrar.sqlite');
    expect(config.baseUrl).toBe('http://localhost:3000');
    expect(config.trustProxy).toBe(false);
    expect(config.sessionSecret).toBeUndefined();
    expect(config.smtpUrl).toBeUndefined();
  });

  it('turns demo mode on outside production', () => {
    expect(loadConfig({}).demo).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).demo).toBe(true);
  });

  it('derives the base URL from PORT when BASE_URL is unset', () => {
    const config = loadConfig({ PORT: '8080' });
    expect(config.port).toBe(8080);
    expect(config.baseUrl).toBe('http://localhost:8080');
  });

  it('logs nothing under NODE_ENV=test and at info level otherwise', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).logLevel).toBe('silent');
    expect(loadConfig({}).logLevel).toBe('info');
    expect(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
  });

  it('converts the login rate window and session idle time to milliseconds', () => {
    const config = loadConfig({ LOGIN_RATE_WINDOW_MINUTES: '10', SESSION_IDLE_MINUTES: '30' });
    expect(config.loginRateWindowMs).toBe(10 * 60_000);
    expect(config.sessionIdleMs).toBe(30 * 60_000);
  });

  it('runs the reminder schedule at 08.00 WIB unless told otherwise', () => {
    expect(loadConfig({})).toMatchObject({ reminders: true, reminderHour: 8 });
    expect(loadConfig({ REMINDERS: '0', REMINDER_HOUR: '6' })).toMatchObject({
      reminders: false,
      reminderHour: 6,
    });
    expect(problemsOf({ REMINDER_HOUR: '24' })[0]).toMatch(/^REMINDER_HOUR/);
    expect(problemsOf({ REMINDER_HOUR: '7.5' })[0]).toMatch(/^REMINDER_HOUR/);
    expect(problemsOf({ REMINDERS: 'ya' })[0]).toMatch(/^REMINDERS/);
  });

  it('serves from one process unless told how many workers, "auto" being one per core', () => {
    expect(loadConfig({}).workers).toBe(1);
    expect(loadConfig({ WORKERS: '3' }).workers).toBe(3);
    expect(loadConfig({ WORKERS: 'auto' }).workers).toBe(availableParallelism());
    for (const bad of ['0', '65', '1.5', 'semua']) {
      expect(problemsOf({ WORKERS: bad })[0], bad).toMatch(
        /^WORKERS: WORKERS harus berupa angka 1–64 atau "auto"/,
      );
    }
  });

  it('caps each cluster worker’s heap at 96 MB unless WORKER_HEAP_MB says otherwise (0: no cap)', () => {
    expect(loadConfig({}).workerHeapMb).toBe(96);
    expect(loadConfig({ WORKER_HEAP_MB: '256' }).workerHeapMb).toBe(256);
    expect(loadConfig({ WORKER_HEAP_MB: '0' }).workerHeapMb).toBe(0);
    for (const bad of ['32', '-1', '1.5', 'besar']) {
      expect(problemsOf({ WORKER_HEAP_MB: bad })[0], bad).toMatch(/^WORKER_HEAP_MB/);
    }
  });

  it('treats empty strings as unset, as .env and systemd files write them', () => {
    const config = loadConfig({
      NODE_ENV: '',
      PORT: '',
      DATABASE_PATH: '',
      BASE_URL: '',
      TRUST_PROXY: '',
      SESSION_SECRET: '',
      SMTP_URL: '',
      IKRAR_DEMO: '',
      LOG_LEVEL: '',
    });
    expect(config.env).toBe('development');
    expect(config.port).toBe(3000);
    expect(config.databasePath).toBe('data/ikrar.sqlite');
    expect(config.baseUrl).toBe('http://localhost:3000');
    expect(config.trustProxy).toBe(false);
    expect(config.sessionSecret).toBeUndefined();
    expect(config.smtpUrl).toBeUndefined();
    expect(config.demo).toBe(true);
  });

  it('treats blank values as unset too, so a stray space does not pick a random port', () => {
    const config = loadConfig({ PORT: '  ', DATABASE_PATH: ' \t' });
    expect(config.port).toBe(3000);
    expect(config.databasePath).toBe('data/ikrar.sqlite');
  });

  it('does not let an empty BASE_URL satisfy the production check', () => {
    const problems = problemsOf({ ...PRODUCTION, BASE_URL: '' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('BASE_URL');
  });
});

describe('TRUST_PROXY', () => {
  it('reads a hop count as a number', () => {
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
  });

  it('reads true and false as booleans', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
  });

  it('passes names and subnets through as text', () => {
    expect(loadConfig({ TRUST_PROXY: 'loopback' }).trustProxy).toBe('loopback');
    expect(loadConfig({ TRUST_PROXY: ' 10.0.0.0/8 ' }).trustProxy).toBe('10.0.0.0/8');
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.1' }).trustProxy).toBe('loopback, 10.0.0.1');
  });

  it('reads TRUE and False whatever their case', () => {
    expect(loadConfig({ TRUST_PROXY: 'TRUE' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: 'False' }).trustProxy).toBe(false);
  });

  it.each(['no', 'yes', '1.2.3', 'loopback,bukan-alamat'])(
    'refuses %s with a ConfigError naming TRUST_PROXY instead of crashing later in Express',
    (value) => {
      const problems = problemsOf({ TRUST_PROXY: value });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^TRUST_PROXY: TRUST_PROXY harus jumlah hop/);
    },
  );
});

describe('BASE_URL', () => {
  it('loses its trailing slashes, so links are not built with //', () => {
    expect(loadConfig({ BASE_URL: 'https://ikrar.example.go.id/' }).baseUrl).toBe(
      'https://ikrar.example.go.id',
    );
    expect(loadConfig({ BASE_URL: 'https://ikrar.example.go.id/app//' }).baseUrl).toBe(
      'https://ikrar.example.go.id/app',
    );
  });

  it('is normalised: an upper-case scheme and host still count as https in production', () => {
    const config = loadConfig({ ...PRODUCTION, BASE_URL: 'HTTPS://Ikrar.JatengProv.go.id/' });
    expect(config.baseUrl).toBe('https://ikrar.jatengprov.go.id');
  });

  it.each([
    ['https://admin:rahasia@ikrar.example.go.id'],
    ['https://ikrar.example.go.id/?x=1'],
    ['https://ikrar.example.go.id/#bagian'],
  ])('refuses %s: credentials, a query or a fragment would break every link built from it', (url) => {
    const problems = problemsOf({ BASE_URL: url });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('tanpa nama pengguna, kueri, atau fragmen');
  });

  it('must be an http(s) URL', () => {
    const problems = problemsOf({ BASE_URL: 'ftp://ikrar.example.go.id' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^BASE_URL/);
    expect(problems[0]).toContain('harus berupa URL');
  });
});

describe('production', () => {
  it('refuses to start without BASE_URL and TRUST_PROXY, listing both problems at once', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems).toHaveLength(2);
    expect(problems.some((p) => p.startsWith('BASE_URL wajib diisi di produksi'))).toBe(true);
    expect(problems.some((p) => p.startsWith('TRUST_PROXY wajib diisi di produksi'))).toBe(true);
  });

  it('refuses a plain http:// BASE_URL, since secure cookies need TLS', () => {
    const problems = problemsOf({ ...PRODUCTION, BASE_URL: 'http://ikrar.jatengprov.go.id' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('BASE_URL');
    expect(problems[0]).toContain('https://');
  });

  it('refuses TRUST_PROXY=true: trusting every proxy lets anyone forge their IP address', () => {
    const problems = problemsOf({ ...PRODUCTION, TRUST_PROXY: 'true' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('X-Forwarded-For');
  });

  it.each(['false', '0'])('refuses TRUST_PROXY=%s (trusting no proxy)', (value) => {
    const problems = problemsOf({ ...PRODUCTION, TRUST_PROXY: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('TRUST_PROXY');
  });

  it('reports the http:// BASE_URL and the missing TRUST_PROXY together', () => {
    const problems = problemsOf({ NODE_ENV: 'production', BASE_URL: 'http://ikrar.jatengprov.go.id' });
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toContain('BASE_URL harus memakai https://');
    expect(problems.join('\n')).toContain('TRUST_PROXY wajib diisi');
  });

  it('puts every problem in the error message an operator reads', () => {
    try {
      loadConfig({ NODE_ENV: 'production' });
      expect.unreachable('loadConfig accepted an empty production environment');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const message = (err as Error).message;
      expect(message).toContain('Konfigurasi tidak aman atau tidak sah');
      expect(message).toContain('BASE_URL wajib diisi');
      expect(message).toContain('TRUST_PROXY wajib diisi');
    }
  });

  it('accepts a correct production environment, with demo mode off', () => {
    const config = loadConfig({ ...PRODUCTION });
    expect(config.production).toBe(true);
    expect(config.env).toBe('production');
    expect(config.baseUrl).toBe('https://ikrar.jatengprov.go.id');
    expect(config.trustProxy).toBe(1);
    expect(config.demo).toBe(false);
    expect(config.logLevel).toBe('info');
  });

  it('accepts TRUST_PROXY=loopback', () => {
    expect(loadConfig({ ...PRODUCTION, TRUST_PROXY: 'loopback' }).trustProxy).toBe('loopback');
  });

  it('turns demo mode on only when IKRAR_DEMO asks for it', () => {
    expect(loadConfig({ ...PRODUCTION, IKRAR_DEMO: '1' }).demo).toBe(true);
    expect(loadConfig({ ...PRODUCTION, IKRAR_DEMO: 'true' }).demo).toBe(true);
    expect(loadConfig({ ...PRODUCTION, IKRAR_DEMO: '0' }).demo).toBe(false);
  });

  it('lets IKRAR_DEMO=0 turn demo mode off in development', () => {
    expect(loadConfig({ IKRAR_DEMO: '0' }).demo).toBe(false);
    expect(loadConfig({ IKRAR_DEMO: 'false' }).demo).toBe(false);
  });
});

describe('invalid values', () => {
  it.each([['abc'], ['70000'], ['-1'], ['80.5']])('refuses PORT=%s, naming PORT', (port) => {
    const problems = problemsOf({ PORT: port });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^PORT: /);
  });

  it('refuses a SESSION_SECRET shorter than 32 characters, in Indonesian', () => {
    const problems = problemsOf({ SESSION_SECRET: 'a'.repeat(31) });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^SESSION_SECRET: /);
    expect(problems[0]).toContain('minimal 32 karakter');
  });

  it('accepts a 32-character SESSION_SECRET', () => {
    const secret = 'x'.repeat(32);
    expect(loadConfig({ SESSION_SECRET: secret }).sessionSecret).toBe(secret);
  });

  it.each([['http://mail.example.go.id'], ['not a url']])('refuses SMTP_URL=%s, naming SMTP_URL', (url) => {
    const problems = problemsOf({ SMTP_URL: url });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^SMTP_URL: /);
    expect(problems[0]).toContain('smtp://');
  });

  it('accepts smtp:// and smtps:// URLs', () => {
    expect(loadConfig({ SMTP_URL: 'smtps://user:pw@mail.example.go.id:465' }).smtpUrl).toBe(
      'smtps://user:pw@mail.example.go.id:465',
    );
    expect(loadConfig({ SMTP_URL: 'smtp://mail.example.go.id' }).smtpUrl).toBe('smtp://mail.example.go.id');
  });

  it('refuses an unknown IKRAR_DEMO or NODE_ENV value rather than guessing', () => {
    expect(problemsOf({ IKRAR_DEMO: 'yes' })[0]).toMatch(/^IKRAR_DEMO: /);
    expect(problemsOf({ NODE_ENV: 'prod' })[0]).toMatch(/^NODE_ENV: /);
  });

  it('reports several invalid variables at once', () => {
    const problems = problemsOf({ PORT: 'abc', SESSION_SECRET: 'short', SMTP_URL: 'http://x.example' });
    expect(problems).toHaveLength(3);
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['PORT', 'SESSION_SECRET', 'SMTP_URL']);
  });
});
