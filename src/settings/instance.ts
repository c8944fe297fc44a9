import type { SettingsRepository } from './repository.js';

/** What the header, footer and letterheads say about the government running this instance. */
export interface InstanceSettings {
  name: string;
  shortName: string;
  address: string;
  contact: string;
}

const DEFAULTS: InstanceSettings = {
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
    name: stored.get(KEYS.name) ?? DEFAULTS.name,
    shortName: stored.get(KEYS.shortName) ?? DEFAULTS.shortName,
    address: stored.get(KEYS.address) ?? DEFAULTS.address,
    contact: stored.get(KEYS.contact) ?? DEFAULTS.contact,
  };
}

export function writeInstanceSettings(
  settings: SettingsRepository,
  values: InstanceSettings,
  at: Date,
): void {
  for (const key of Object.keys(KEYS) as (keyof InstanceSettings)[]) settings.put(KEYS[key], values[key], at);
}
