import type { Letterhead } from '../pdf/document.js';
import type { Translate } from '../web/i18n.js';
import type { SettingsRepository } from './repository.js';

/**
 * What the header, footer, letterheads and new pacts say about the government running this instance, and how long
 * the code of an activation letter works.
 */
export interface InstanceSettings {
  name: string;
  shortName: string;
  /** One line, as on a letterhead: 'Gedung A Lantai 5, Jalan Pahlawan No.9 Semarang 50243'. */
  address: string;
  email: string;
  phone: string;
  /** The place written before the date on a pact ('Semarang, 26 September 2023'); a new pact starts with it. */
  place: string;
  /** How many days the code of an activation letter works (1–90). */
  activationDays: number;
  /**
   * The official under "Mengetahui," on signing sheets: the position ('Sekretaris Daerah Provinsi Jawa Tengah'),
   * name and NIP; a blank one leaves lines to fill by hand.
   */
  officialTitle: string;
  officialName: string;
  officialNip: string;
}

/** Used until an admin fills the settings in, and on an error page when the database cannot be read. */
export const DEFAULT_INSTANCE: InstanceSettings = {
  name: 'Ikrar',
  shortName: 'Ikrar',
  address: '',
  email: '',
  phone: '',
  place: '',
  activationDays: 14,
  officialTitle: '',
  officialName: '',
  officialNip: '',
};

export const INSTANCE_FIELDS = Object.keys(DEFAULT_INSTANCE) as (keyof InstanceSettings)[];

const KEYS: Record<keyof InstanceSettings, string> = {
  name: 'instance.name',
  shortName: 'instance.short_name',
  address: 'instance.address',
  email: 'instance.email',
  phone: 'instance.phone',
  place: 'instance.place',
  activationDays: 'activation.days',
  officialTitle: 'official.title',
  officialName: 'official.name',
  officialNip: 'official.nip',
};

/**
 * Before email and phone were separate settings, one free-text `instance.contact` held the phone number: it is
 * read as the phone until the settings are saved once (which stores `instance.phone`, even empty).
 */
const LEGACY_CONTACT = 'instance.contact';

/** The stored number of days, or the default when it is not a whole number in 1–90 (never stored so by the form). */
function activationDaysOf(stored: string | undefined): number {
  const days = Number(stored);
  return Number.isInteger(days) && days >= 1 && days <= 90 ? days : DEFAULT_INSTANCE.activationDays;
}

export async function readInstanceSettings(settings: SettingsRepository): Promise<InstanceSettings> {
  const stored = await settings.all();
  return {
    name: stored.get(KEYS.name) ?? DEFAULT_INSTANCE.name,
    shortName: stored.get(KEYS.shortName) ?? DEFAULT_INSTANCE.shortName,
    address: stored.get(KEYS.address) ?? DEFAULT_INSTANCE.address,
    email: stored.get(KEYS.email) ?? DEFAULT_INSTANCE.email,
    phone: stored.get(KEYS.phone) ?? stored.get(LEGACY_CONTACT) ?? DEFAULT_INSTANCE.phone,
    place: stored.get(KEYS.place) ?? DEFAULT_INSTANCE.place,
    activationDays: activationDaysOf(stored.get(KEYS.activationDays)),
    officialTitle: stored.get(KEYS.officialTitle) ?? DEFAULT_INSTANCE.officialTitle,
    officialName: stored.get(KEYS.officialName) ?? DEFAULT_INSTANCE.officialName,
    officialNip: stored.get(KEYS.officialNip) ?? DEFAULT_INSTANCE.officialNip,
  };
}

/** Stores every field (call it inside the transaction that records the change). */
export async function writeInstanceSettings(
  settings: SettingsRepository,
  values: InstanceSettings,
  at: Date,
): Promise<void> {
  for (const key of INSTANCE_FIELDS) await settings.put(KEYS[key], String(values[key]), at);
}

/** The letterhead of the instance's documents: its name, address, and phone and email on one line. */
export function letterheadOf(instance: InstanceSettings, t: Translate): Letterhead {
  const contact = [
    instance.phone.trim() && t('letterhead.phone', { phone: instance.phone.trim() }),
    instance.email.trim() && t('letterhead.email', { email: instance.email.trim() }),
  ].filter(Boolean);
  return { name: instance.name, address: instance.address, contact: contact.join(' · ') };
}
