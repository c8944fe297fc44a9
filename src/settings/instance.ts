import type { Letterhead } from '../pdf/document.js';
import type { Translate } from '../web/i18n.js';
import type { CheckedLogo } from './logo-file.js';
import type { SettingsRepository } from './repository.js';

/**
 * What the header, footer, letterheads and new pacts say about the government running this instance, and how long
 * the code of an activation letter works: what an admin types in the settings form.
 */
export interface InstanceFields {
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
   * How many years after its pact ends a drawn signature is kept (1–30, default 5): the nightly retention job
   * deletes it then, keeping its hash (src/pledges/retention/).
   */
  signatureRetentionYears: number;
  /**
   * The official under "Mengetahui," on signing sheets: the position ('Sekretaris Daerah Provinsi Jawa Tengah'),
   * name and NIP; a blank one leaves lines to fill by hand.
   */
  officialTitle: string;
  officialName: string;
  officialNip: string;
  /**
   * The privacy notice (/privasi, UU 27/2022): who controls the data (pengendali data; blank: the instance's name),
   * the data protection officer's name or office, email and postal address (blank: the instance's email and address),
   * and an optional section in Markdown the agency adds (already checked to render in time when saved).
   */
  privacyController: string;
  privacyOfficer: string;
  privacyOfficerEmail: string;
  privacyOfficerAddress: string;
  privacyExtra: string;
}

/** The instance's logo as stored, with the address it is served at (see logoUrl). */
export type InstanceLogo = CheckedLogo & { url: string };

/** The fields and the logo: absent, the header shows the generic shield and letterheads have text only. */
export interface InstanceSettings extends InstanceFields {
  logo?: InstanceLogo;
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
  signatureRetentionYears: 5,
  officialTitle: '',
  officialName: '',
  officialNip: '',
  privacyController: '',
  privacyOfficer: '',
  privacyOfficerEmail: '',
  privacyOfficerAddress: '',
  privacyExtra: '',
};

const KEYS: Record<keyof InstanceFields, string> = {
  name: 'instance.name',
  shortName: 'instance.short_name',
  address: 'instance.address',
  email: 'instance.email',
  phone: 'instance.phone',
  place: 'instance.place',
  activationDays: 'activation.days',
  signatureRetentionYears: 'retention.signature_years',
  officialTitle: 'official.title',
  officialName: 'official.name',
  officialNip: 'official.nip',
  privacyController: 'privacy.controller',
  privacyOfficer: 'privacy.officer',
  privacyOfficerEmail: 'privacy.officer_email',
  privacyOfficerAddress: 'privacy.officer_address',
  privacyExtra: 'privacy.extra',
};

export const INSTANCE_FIELDS = Object.keys(KEYS) as (keyof InstanceFields)[];

/**
 * Before email and phone were separate settings, one free-text `instance.contact` held the phone number: it is
 * read as the phone until the settings are saved once (which stores `instance.phone`, even empty).
 */
const LEGACY_CONTACT = 'instance.contact';

/** The limits of the settings that are whole numbers: the form refuses anything else. */
export const NUMBER_LIMITS = {
  activationDays: { min: 1, max: 90 },
  signatureRetentionYears: { min: 1, max: 30 },
} as const;

/** The stored number, or the default when it is not a whole number within its limits (never stored so by the form). */
function wholeNumberOf(field: keyof typeof NUMBER_LIMITS, stored: string | undefined): number {
  const value = Number(stored);
  const { min, max } = NUMBER_LIMITS[field];
  return Number.isInteger(value) && value >= min && value <= max ? value : DEFAULT_INSTANCE[field];
}

/**
 * Where the logo is served: its hash in the address, so that a page never shows an old logo from a cache and the
 * file itself may be kept for a year (src/settings/logo-routes.ts).
 */
const logoUrl = (logo: CheckedLogo): string =>
  `/logo/${logo.sha256.slice(0, 16)}.${logo.mime === 'image/svg+xml' ? 'svg' : 'png'}`;

/** The settings and the logo, which every page shows: read once per process until the `settings` epoch moves. */
export async function readInstanceSettings(settings: SettingsRepository): Promise<InstanceSettings> {
  const stored = await settings.all();
  const logo = await settings.logo();
  return {
    name: stored.get(KEYS.name) ?? DEFAULT_INSTANCE.name,
    shortName: stored.get(KEYS.shortName) ?? DEFAULT_INSTANCE.shortName,
    address: stored.get(KEYS.address) ?? DEFAULT_INSTANCE.address,
    email: stored.get(KEYS.email) ?? DEFAULT_INSTANCE.email,
    phone: stored.get(KEYS.phone) ?? stored.get(LEGACY_CONTACT) ?? DEFAULT_INSTANCE.phone,
    place: stored.get(KEYS.place) ?? DEFAULT_INSTANCE.place,
    activationDays: wholeNumberOf('activationDays', stored.get(KEYS.activationDays)),
    signatureRetentionYears: wholeNumberOf(
      'signatureRetentionYears',
      stored.get(KEYS.signatureRetentionYears),
    ),
    officialTitle: stored.get(KEYS.officialTitle) ?? DEFAULT_INSTANCE.officialTitle,
    officialName: stored.get(KEYS.officialName) ?? DEFAULT_INSTANCE.officialName,
    officialNip: stored.get(KEYS.officialNip) ?? DEFAULT_INSTANCE.officialNip,
    privacyController: stored.get(KEYS.privacyController) ?? DEFAULT_INSTANCE.privacyController,
    privacyOfficer: stored.get(KEYS.privacyOfficer) ?? DEFAULT_INSTANCE.privacyOfficer,
    privacyOfficerEmail: stored.get(KEYS.privacyOfficerEmail) ?? DEFAULT_INSTANCE.privacyOfficerEmail,
    privacyOfficerAddress: stored.get(KEYS.privacyOfficerAddress) ?? DEFAULT_INSTANCE.privacyOfficerAddress,
    privacyExtra: stored.get(KEYS.privacyExtra) ?? DEFAULT_INSTANCE.privacyExtra,
    ...(logo && { logo: { ...logo, url: logoUrl(logo) } }),
  };
}

/** Stores every field (call it inside the transaction that records the change). */
export async function writeInstanceSettings(
  settings: SettingsRepository,
  values: InstanceFields,
  at: Date,
): Promise<void> {
  for (const key of INSTANCE_FIELDS) await settings.put(KEYS[key], String(values[key]), at);
}

/** The letterhead of the instance's documents: its logo, name, address, and phone and email on one line. */
export function letterheadOf(instance: InstanceSettings, t: Translate): Letterhead {
  const contact = [
    instance.phone.trim() && t('letterhead.phone', { phone: instance.phone.trim() }),
    instance.email.trim() && t('letterhead.email', { email: instance.email.trim() }),
  ].filter(Boolean);
  return {
    name: instance.name,
    address: instance.address,
    contact: contact.join(' · '),
    logo: instance.logo?.printPng ?? null,
  };
}
