import { expect } from 'vitest';
import { ConfigError, loadConfig } from '../../src/core/config.js';

/** The least a production environment must set to be accepted (a TLS address and the proxy in front). */
export const PRODUCTION = {
  NODE_ENV: 'production',
  BASE_URL: 'https://ikrar.jatengprov.go.id',
  TRUST_PROXY: '1',
} as const;

/** Runs loadConfig expecting a ConfigError and returns its problems. */
export function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('loadConfig accepted the environment');
}
