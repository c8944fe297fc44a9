import { type Actor, recordEvent } from '../audit/record-event.js';
import { inTransaction } from '../db/database.js';
import type { Services } from '../services.js';
import {
  INSTANCE_FIELDS,
  type InstanceSettings,
  readInstanceSettings,
  writeInstanceSettings,
} from './instance.js';

export interface UpdateSettingsResult {
  /** The fields whose value changed (none: nothing was written or recorded). */
  changed: (keyof InstanceSettings)[];
}

/**
 * Saves the instance settings (already validated by the form) and records `settings.updated` with the fields that
 * changed, their old and new values, in one transaction. Saving what is already stored changes and records nothing.
 */
export function updateSettings(
  services: Pick<Services, 'db' | 'settings' | 'audit' | 'clock'>,
  options: { values: InstanceSettings; actor: Actor },
): UpdateSettingsResult {
  return inTransaction(services.db, () => {
    const before = readInstanceSettings(services.settings);
    const changed = INSTANCE_FIELDS.filter((field) => before[field] !== options.values[field]);
    if (changed.length === 0) return { changed };
    const now = services.clock.now();
    writeInstanceSettings(services.settings, options.values, now);
    recordEvent(services.audit, {
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
