import type { SettingsRepository } from './repository.js';

/** What the header, footer and letterheads say about the government running this instance. */
export interface InstanceSettings {
  name: string;
  shortName: string;
  address: string;
  contact: string;
}

/** Used until an admin fills the settings in, and on an error page when the database cannot be read. */
export const DEFAULT_INSTANCE: InstanceSettings = {
  name: 'Ikrar',
  shortName: 'Ikrar',
  address: '',
  contact: '',
};

const KEYS: Record<keyof InstanceSettings, string> = {
  name: 'instance.name',
  shortName: 'instance.short_name',
  address: 'instance.address',
  contact: 'instance.contact',
};

export function readInstanceSettings(settings: SettingsRepository): InstanceSettings {
  const stored = settings.all();
  return {
    name: stored.get(KEYS.name) ?? DEFAULT_INSTANCE.name,
    shortName: stored.get(KEYS.shortName) ?? DEFAULT_INSTANCE.shortName,
    address: stored.get(KEYS.address) ?? DEFAULT_INSTANCE.address,
    contact: stored.get(KEYS.contact) ?? DEFAULT_INSTANCE.contact,
  };
}

export function writeInstanceSettings(
  settings: SettingsRepository,
  values: InstanceSettings,
  at: Date,
): void {
  for (const key of Object.keys(KEYS) as (keyof InstanceSettings)[]) settings.put(KEYS[key], values[key], at);
}
