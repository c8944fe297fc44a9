import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { PRODUCTION, problemsOf } from '../helpers/config.js';

const PROVIDER = {
  OIDC_ISSUER: 'https://sso.jatengprov.go.id/realms/asn',
  OIDC_CLIENT_ID: 'ikrar',
  OIDC_CLIENT_SECRET: 'rahasia-klien',
} as const;

describe('SSO configuration (OIDC_*)', () => {
  it('is off unless the provider is named, and password login stays on', () => {
    const config = loadConfig({});
    expect(config.oidc).toBeUndefined();
    expect(config.oidcOnly).toBe(false);
  });

  it('reads the provider, keeps the issuer exactly as written and takes `nip` as the NIP claim by default', () => {
    expect(loadConfig({ ...PROVIDER, OIDC_ISSUER: 'https://sso.example.go.id/' }).oidc).toEqual({
      issuer: 'https://sso.example.go.id/',
      clientId: 'ikrar',
      clientSecret: 'rahasia-klien',
      nipClaim: 'nip',
    });
    expect(loadConfig({ ...PROVIDER, OIDC_NIP_CLAIM: 'nip_baru' }).oidc?.nipClaim).toBe('nip_baru');
  });

  it.each([
    [{ OIDC_ISSUER: PROVIDER.OIDC_ISSUER }, 'OIDC_CLIENT_ID, OIDC_CLIENT_SECRET'],
    [{ OIDC_CLIENT_ID: 'ikrar', OIDC_CLIENT_SECRET: 'rahasia' }, 'OIDC_ISSUER'],
    [{ ...PROVIDER, OIDC_CLIENT_SECRET: '  ' }, 'OIDC_CLIENT_SECRET'],
  ])('refuses part of the provider (%o), naming what is missing', (env, missing) => {
    expect(problemsOf(env)).toEqual([
      `OIDC_ISSUER, OIDC_CLIENT_ID dan OIDC_CLIENT_SECRET harus diisi bersama untuk SSO; belum diisi: ${missing}`,
    ]);
  });

  it('refuses OIDC_ONLY without a provider: nobody could log in', () => {
    const problems = problemsOf({ OIDC_ONLY: '1' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(
      'OIDC_ONLY=1 mematikan masuk dengan kata sandi, padahal SSO belum dikonfigurasi',
    );
    expect(loadConfig({ ...PROVIDER, OIDC_ONLY: 'true' }).oidcOnly).toBe(true);
    expect(loadConfig({ OIDC_ONLY: '0' }).oidcOnly).toBe(false);
  });

  it.each([
    'sso.jatengprov.go.id',
    'ftp://sso.jatengprov.go.id',
    'https://sso.jatengprov.go.id/realms/asn?x=1',
    'https://sso.jatengprov.go.id/#realm',
    'https://admin:rahasia@sso.jatengprov.go.id',
  ])('refuses an issuer that is not a plain http(s) URL: %s', (issuer) => {
    expect(problemsOf({ ...PROVIDER, OIDC_ISSUER: issuer })).toEqual([
      'OIDC_ISSUER: OIDC_ISSUER harus berupa URL https lengkap tanpa nama pengguna, kueri, atau fragmen ' +
        '(mis. https://sso.jatengprov.go.id/realms/asn)',
    ]);
  });

  it('allows an http issuer outside production only', () => {
    const http = { ...PROVIDER, OIDC_ISSUER: 'http://127.0.0.1:8080' };
    expect(loadConfig(http).oidc?.issuer).toBe('http://127.0.0.1:8080');
    expect(problemsOf({ ...PRODUCTION, ...http })).toEqual([
      'OIDC_ISSUER harus memakai https:// di produksi: token dan rahasia klien tidak boleh lewat tanpa TLS',
    ]);
    expect(loadConfig({ ...PRODUCTION, ...PROVIDER, OIDC_ONLY: '1' }).oidc?.issuer).toBe(
      PROVIDER.OIDC_ISSUER,
    );
  });

  it('lists SSO problems together with the other production problems', () => {
    const problems = problemsOf({ NODE_ENV: 'production', TRUST_PROXY: '1', OIDC_ONLY: '1' });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('OIDC_ONLY=1');
    expect(problems[1]).toContain('BASE_URL wajib diisi di produksi');
  });
});
