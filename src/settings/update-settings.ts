import { type Actor, recordEvent } from '../audit/record-event.js';
import type { AuditRepository } from '../audit/repository.js';
import type { Clock } from '../core/clock.js';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/database.js';
import {
  INSTANCE_FIELDS,
  type InstanceSettings,
  readInstanceSettings,
  writeInstanceSettings,
} from './instance.js';
import type { SettingsRepository } from './repository.js';

export interface UpdateSettingsResult {
  /** The fields whose value changed (none: nothing was written or recorded). */
  changed: (keyof InstanceSettings)[];
}

/**
 * Saves the instance settings (already validated by the form) and records `settings.updated` with the fields that
 * changed, their old and new values, in one transaction. Saving what is already stored changes and records nothing.
 */
export function updateSettings(
  services: { db: Db; settings: SettingsRepository; audit: AuditRepository; clock: Clock },
  options: { values: InstanceSettings; actor: Actor },
): Promise<UpdateSettingsResult> {
  return inTransaction(services.db, async () => {
    const before = await readInstanceSettings(services.settings);
    const changed = INSTANCE_FIELDS.filter((field) => before[field] !== options.values[field]);
    if (changed.length === 0) return { changed };
    const now = services.clock.now();
    await writeInstanceSettings(services.settings, options.values, now);
    await recordEvent(services.audit, {
      actor: options.actor,
      action: 'settings.updated',
      details: {
        fields: changed,
        from: Object.fromEntries(changed.map((field) => [field, before[field]])),
        to: Object.fromEntries(changed.map((field) => [field, options.values[field]])),
      },
      at: now,
    });
    return { changed };
  });
}
