import { availableParallelism } from 'node:os';
import { compile as compileTrust } from 'proxy-addr';
import { z } from 'zod';
import { readSealP12, type SealP12, SealP12Error } from './seal-p12.js';
import { canonicalTimeZone, DEFAULT_TIME_ZONE, type TimeZone, timeZone } from './time-zone.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

/** TRUST_PROXY as Express understands it: a hop count, a boolean, or a list of addresses/subnets/names. */
const trustProxy = z
  .string()
  .trim()
  .transform((v, ctx): boolean | number | string => {
    const lower = v.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    if (/^\d+$/.test(v)) return Number(v);
    try {
      compileTrust(v.split(',').map((part) => part.trim()));
    } catch {
      ctx.addIssue({
        code: 'custom',
        message:
          'TRUST_PROXY harus jumlah hop (mis. 1), true/false, atau daftar alamat/subnet dipisah koma ' +
          '(mis. loopback atau 10.0.0.0/8)',
      });
      return z.NEVER;
    }
    return v;
  });

/** BASE_URL: an absolute http(s) URL without credentials, query or fragment; stored without a trailing slash. */
const baseUrl = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const url = URL.canParse(v) ? new URL(v) : null;
    if (
      !url ||
      !['http:', 'https:'].includes(url.protocol) ||
      url.username ||
      url.password ||
      url.search ||
      url.hash
    ) {
      ctx.addIssue({
        code: 'custom',
        message: 'BASE_URL harus berupa URL http(s) lengkap tanpa nama pengguna, kueri, atau fragmen',
      });
      return z.NEVER;
    }
    return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  });

const positiveInt = z.coerce.number().int().positive();

/**
 * OIDC_ISSUER: the SSO provider's issuer identifier, kept exactly as written (discovery compares it with the one the
 * provider names, e.g. https://sso.jatengprov.go.id/realms/asn). http is refused in production, see oidcProblems.
 */
const issuerUrl = z
  .string()
  .trim()
  .refine(
    (v) => {
      const url = URL.canParse(v) ? new URL(v) : null;
      return (
        url !== null &&
        ['http:', 'https:'].includes(url.protocol) &&
        !url.username &&
        !url.password &&
        !url.search &&
        !url.hash
      );
    },
    {
      message:
        'OIDC_ISSUER harus berupa URL https lengkap tanpa nama pengguna, kueri, atau fragmen ' +
        '(mis. https://sso.jatengprov.go.id/realms/asn)',
    },
  );

/** TIME_ZONE: an IANA zone name that Intl knows (Asia/Jakarta, Asia/Makassar, Asia/Jayapura…). */
const timeZoneName = z
  .string()
  .trim()
  .refine((v) => canonicalTimeZone(v) !== null, {
    message:
      'TIME_ZONE bukan zona waktu yang dikenal: isi nama zona IANA, mis. Asia/Jakarta (WIB), ' +
      'Asia/Makassar (WITA) atau Asia/Jayapura (WIT)',
  });

/** More processes than this on one SQLite file only queue for its write lock. */
const MAX_WORKERS = 64;
/**
 * The old-space limit of each cluster worker's JavaScript heap (MB). Without one, V8 sizes the heap against the
 * machine's memory and lets it grow to hundreds of MB before it collects in full; see docs/CAPACITY.md.
 */
export const DEFAULT_WORKER_HEAP_MB = 96;
/** Below this an idle worker's live heap (about 40 MB) would leave too little room for a request. */
const MIN_WORKER_HEAP_MB = 64;

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  DATABASE_PATH: z.string().trim().min(1).default('data/ikrar.sqlite'),
  DATABASE_URL: z
    .url({
      protocol: /^postgres(ql)?$/,
      message: 'DATABASE_URL harus berupa URL postgres:// atau postgresql:// (kosongkan untuk SQLite)',
    })
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DATABASE_SCHEMA: z
    .string()
    .trim()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'DATABASE_SCHEMA harus nama skema PostgreSQL: huruf kecil, angka dan _')
    .optional(),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET harus minimal 32 karakter acak').optional(),
  BASE_URL: baseUrl.optional(),
  TRUST_PROXY: trustProxy.default(false),
  SMTP_URL: z
    .url({ protocol: /^smtps?$/, message: 'SMTP_URL harus berupa URL smtp:// atau smtps://' })
    .optional(),
  IKRAR_DEMO: flag.optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
  LOGIN_RATE_LIMIT: positiveInt.default(100),
  LOGIN_RATE_WINDOW_MINUTES: positiveInt.default(15),
  ACTIVATION_NIP_RATE_LIMIT: positiveInt.default(10),
  SESSION_IDLE_MINUTES: positiveInt.default(120),
  VERIFY_RATE_LIMIT: positiveInt.default(60),
  VERIFY_UPLOAD_RATE_LIMIT: positiveInt.default(10),
  MAIL_FROM: z.string().trim().min(3).max(200).optional(),
  REMINDERS: flag.default(true),
  REMINDER_HOUR: z.coerce.number().int().min(0).max(23).default(8),
  TIME_ZONE: timeZoneName.default(DEFAULT_TIME_ZONE),
  WORKERS: z
    .string()
    .trim()
    .refine((v) => v === 'auto' || (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= MAX_WORKERS), {
      message: 'WORKERS harus berupa angka 1–64 atau "auto" (satu proses per inti prosesor)',
    })
    .default('1'),
  WORKER_HEAP_MB: z.coerce
    .number()
    .int()
    .refine((v) => v === 0 || v >= MIN_WORKER_HEAP_MB, {
      message: `WORKER_HEAP_MB harus 0 (tanpa batas) atau minimal ${MIN_WORKER_HEAP_MB}`,
    })
    .default(DEFAULT_WORKER_HEAP_MB),
  OIDC_ISSUER: issuerUrl.optional(),
  OIDC_CLIENT_ID: z.string().trim().min(1).max(200).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).max(1000).optional(),
  OIDC_NIP_CLAIM: z.string().trim().min(1).max(100).default('nip'),
  OIDC_ONLY: flag.default(false),
  SEAL_P12_PATH: z.string().trim().min(1).optional(),
  SEAL_P12_PASSWORD: z.string().optional(),
});

type Env = z.infer<typeof envSchema>;

/** Single sign-on through an OpenID Connect provider (OIDC_*). */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The claim that carries the person's NIP (OIDC_NIP_CLAIM). */
  nipClaim: string;
}

export interface Config {
  env: 'development' | 'production' | 'test';
  production: boolean;
  port: number;
  host: string;
  databasePath: string;
  /** PostgreSQL's address when set; SQLite at databasePath otherwise. */
  databaseUrl: string | undefined;
  /** Connections each process keeps to PostgreSQL at most. */
  databasePoolSize: number;
  /** The PostgreSQL schema Ikrar's tables live in, when not the server's default (public). */
  databaseSchema: string | undefined;
  /** Undefined when the secret is to be generated once and kept in the database. */
  sessionSecret: string | undefined;
  baseUrl: string;
  trustProxy: boolean | number | string;
  smtpUrl: string | undefined;
  demo: boolean;
  logLevel: (typeof LOG_LEVELS)[number];
  /** Failed login attempts allowed per IP address in one window (successful logins are not counted). */
  loginRateLimit: number;
  loginRateWindowMs: number;
  /** Failed activation attempts allowed per NIP in one login window (the address limit is loginRateLimit). */
  activationNipRateLimit: number;
  sessionIdleMs: number;
  /** Receipt verifications allowed per IP address per minute (page and API together). */
  verifyRateLimit: number;
  /** Uploaded receipt PDFs checked per IP address per minute at /verifikasi. */
  verifyUploadRateLimit: number;
  /** The From of outgoing mail. */
  mailFrom: string;
  /** Whether this process runs the reminder schedule (manual reminders work either way). */
  reminders: boolean;
  /** Whether this process runs the nightly jobs (the retention of drawn signatures): in cluster mode, worker 0 only. */
  nightlyJobs: boolean;
  /** The hour (in `timeZone`) at which a day's scheduled reminders fall due. */
  reminderHour: number;
  /** The instance's time zone (TIME_ZONE): what every date and time is shown in and every typed one read in. */
  timeZone: TimeZone;
  /** Worker processes serving the same database (1: this process serves; more: see src/cluster.ts). */
  workers: number;
  /** Each cluster worker's old-space limit in MB (--max-old-space-size); 0: V8's own. */
  workerHeapMb: number;
  /** SSO through an OpenID Connect provider, when OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are set. */
  oidc: OidcConfig | undefined;
  /** OIDC_ONLY: SSO is the only way in (no password form, POST /masuk refused). */
  oidcOnly: boolean;
  /**
   * The agency's own sealing key and certificate (SEAL_P12_PATH, SEAL_P12_PASSWORD), read at start; undefined: the
   * instance seals with a certificate it made itself and keeps in the database (src/seal/).
   */
  sealP12: SealP12 | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Konfigurasi tidak aman atau tidak sah:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads configuration from environment variables. Throws ConfigError listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty (or blank) strings mean "unset", as they do in most .env and systemd files.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const seal = sealSettings(e);
  const config: Config = {
    env: e.NODE_ENV,
    production,
    port: e.PORT,
    host: e.HOST,
    databasePath: e.DATABASE_PATH,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    databaseSchema: e.DATABASE_SCHEMA,
    sessionSecret: e.SESSION_SECRET,
    baseUrl: e.BASE_URL ?? `http://localhost:${e.PORT}`,
    trustProxy: e.TRUST_PROXY,
    smtpUrl: e.SMTP_URL,
    demo: e.IKRAR_DEMO ?? !production,
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    loginRateWindowMs: e.LOGIN_RATE_WINDOW_MINUTES * 60_000,
    activationNipRateLimit: e.ACTIVATION_NIP_RATE_LIMIT,
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    verifyRateLimit: e.VERIFY_RATE_LIMIT,
    verifyUploadRateLimit: e.VERIFY_UPLOAD_RATE_LIMIT,
    mailFrom: e.MAIL_FROM ?? `Ikrar <no-reply@${new URL(e.BASE_URL ?? 'http://localhost').hostname}>`,
    reminders: e.REMINDERS,
    nightlyJobs: true,
    reminderHour: e.REMINDER_HOUR,
    timeZone: timeZone(e.TIME_ZONE),
    workers: e.WORKERS === 'auto' ? Math.min(availableParallelism(), MAX_WORKERS) : Number(e.WORKERS),
    workerHeapMb: e.WORKER_HEAP_MB,
    oidc:
      e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET
        ? {
            issuer: e.OIDC_ISSUER,
            clientId: e.OIDC_CLIENT_ID,
            clientSecret: e.OIDC_CLIENT_SECRET,
            nipClaim: e.OIDC_NIP_CLAIM,
          }
        : undefined,
    oidcOnly: e.OIDC_ONLY,
    sealP12: seal.p12,
  };
  const problems = [
    ...oidcProblems(e, production),
    ...seal.problems,
    ...(production ? productionProblems(e.BASE_URL, e.TRUST_PROXY) : []),
  ];
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** SSO settings that cannot work: half of the provider's details, OIDC_ONLY without a provider, http in production. */
function oidcProblems(e: Env, production: boolean): string[] {
  const problems: string[] = [];
  const missing = (['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const).filter(
    (name) => e[name] === undefined,
  );
  if (missing.length > 0 && missing.length < 3) {
    problems.push(
      'OIDC_ISSUER, OIDC_CLIENT_ID dan OIDC_CLIENT_SECRET harus diisi bersama untuk SSO; ' +
        `belum diisi: ${missing.join(', ')}`,
    );
  } else if (missing.length === 3 && e.OIDC_ONLY) {
    problems.push(
      'OIDC_ONLY=1 mematikan masuk dengan kata sandi, padahal SSO belum dikonfigurasi: isi OIDC_ISSUER, ' +
        'OIDC_CLIENT_ID dan OIDC_CLIENT_SECRET, atau hapus OIDC_ONLY',
    );
  }
  if (production && e.OIDC_ISSUER && new URL(e.OIDC_ISSUER).protocol === 'http:') {
    problems.push(
      'OIDC_ISSUER harus memakai https:// di produksi: token dan rahasia klien tidak boleh lewat tanpa TLS',
    );
  }
  return problems;
}

/**
 * SEAL_P12_PATH and SEAL_P12_PASSWORD: the file is read and opened here, so that an unreadable file or a wrong
 * password stops the start rather than the first receipt; what it holds becomes `config.sealP12`.
 */
function sealSettings(e: Env): { p12?: SealP12; problems: string[] } {
  if (e.SEAL_P12_PATH === undefined) {
    return {
      problems:
        e.SEAL_P12_PASSWORD === undefined
          ? []
          : [
              'SEAL_P12_PASSWORD diisi tanpa SEAL_P12_PATH: isi juga letak berkas PKCS#12 segel, atau hapus keduanya',
            ],
    };
  }
  try {
    return { p12: readSealP12(e.SEAL_P12_PATH, e.SEAL_P12_PASSWORD ?? ''), problems: [] };
  } catch (err) {
    if (err instanceof SealP12Error) return { problems: [err.message] };
    throw err;
  }
}

/** Settings that would make a production deployment insecure or broken. */
function productionProblems(baseUrl: string | undefined, trust: boolean | number | string): string[] {
  const problems: string[] = [];
  if (!baseUrl) {
    problems.push(
      'BASE_URL wajib diisi di produksi (alamat publik aplikasi, mis. https://ikrar.jatengprov.go.id)',
    );
  } else if (!baseUrl.startsWith('https://')) {
    problems.push('BASE_URL harus memakai https:// di produksi; cookie sesi hanya dikirim lewat TLS');
  }
  // 0 hops trusts no proxy, which behind a TLS proxy is as broken as not setting it.
  if (trust === false || trust === 0) {
    problems.push(
      'TRUST_PROXY wajib diisi di produksi (mis. 1 atau loopback): aplikasi berjalan di belakang reverse proxy TLS, ' +
        'tanpa itu cookie aman tidak terkirim dan pembatasan login salah membaca alamat IP',
    );
  }
  if (trust === true) {
    problems.push(
      'TRUST_PROXY=true mempercayai semua proxy, sehingga alamat IP bisa dipalsukan lewat X-Forwarded-For: ' +
        'isi jumlah hop (mis. 1) atau alamat proxy (mis. loopback)',
    );
  }
  return problems;
}
