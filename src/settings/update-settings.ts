import { type Actor, recordEvent } from '../audit/record-event.js';
import type { AuditRepository } from '../audit/repository.js';
import type { Clock } from '../core/clock.js';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/database.js';
import {
  INSTANCE_FIELDS,
  type InstanceFields,
  readInstanceSettings,
  writeInstanceSettings,
} from './instance.js';
import type { CheckedLogo } from './logo-file.js';
import type { SettingsRepository } from './repository.js';

type Changed = keyof InstanceFields | 'logo';

export interface UpdateSettingsResult {
  /** The fields whose value changed, and `logo` when it was replaced or removed (none: nothing was written or recorded). */
  changed: Changed[];
}

/** What the audit log keeps of a logo: its type and hash, never its bytes; null for the default shield. */
const logoFacts = (logo: CheckedLogo | undefined) => (logo ? { mime: logo.mime, sha256: logo.sha256 } : null);

/**
 * Saves the instance settings (already validated by the form) and the logo (`logo`: a checked upload, 'remove' to go
 * back to the default shield, or left out to keep it), and records `settings.updated` with the fields that changed,
 * their old and new values, in one transaction. Saving what is already stored changes and records nothing.
 */
export function updateSettings(
  services: { db: Db; settings: SettingsRepository; audit: AuditRepository; clock: Clock },
  options: { values: InstanceFields; logo?: CheckedLogo | 'remove'; actor: Actor },
): Promise<UpdateSettingsResult> {
  return inTransaction(services.db, async () => {
    const before = await readInstanceSettings(services.settings);
    const logo =
      options.logo === undefined ? before.logo : options.logo === 'remove' ? undefined : options.logo;
    const fields = INSTANCE_FIELDS.filter((field) => before[field] !== options.values[field]);
    const logoChanged = logo?.sha256 !== before.logo?.sha256;
    const changed: Changed[] = logoChanged ? [...fields, 'logo'] : fields;
    if (changed.length === 0) return { changed };
    const now = services.clock.now();
    if (fields.length > 0) await writeInstanceSettings(services.settings, options.values, now);
    if (logoChanged) {
      if (logo) await services.settings.putLogo(logo, now);
      else await services.settings.deleteLogo();
    }
    const recorded = (fields: InstanceFields, picture: CheckedLogo | undefined) => (field: Changed) =>
      field === 'logo' ? logoFacts(picture) : fields[field];
    const from = recorded(before, before.logo);
    const to = recorded(options.values, logo);
    await recordEvent(services.audit, {
      actor: options.actor,
      action: 'settings.updated',
      details: {
        fields: changed,
        from: Object.fromEntries(changed.map((field) => [field, from(field)])),
        to: Object.fromEntries(changed.map((field) => [field, to(field)])),
      },
      at: now,
    });
    return { changed };
  });
}
