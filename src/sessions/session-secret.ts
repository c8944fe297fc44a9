import { randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { Config } from '../core/config.js';
import type { SettingsRepository } from '../settings/repository.js';

const SETTING_KEY = 'session_secret';

/**
 * SESSION_SECRET when configured; otherwise a random secret generated on first start and kept in the database, so
 * sessions survive restarts and every worker process of the same database signs cookies alike.
 */
export async function resolveSessionSecret(
  config: Config,
  services: { settings: SettingsRepository; clock: Clock },
): Promise<string> {
  if (config.sessionSecret) return config.sessionSecret;
  return services.settings.getOrPut(SETTING_KEY, randomBytes(32).toString('hex'), services.clock.now());
}
