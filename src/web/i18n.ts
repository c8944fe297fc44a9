import { readFileSync } from 'node:fs';
import { projectPath } from '../core/paths.js';

/** The languages of the interface: Bahasa Indonesia (the instance's default) and English. */
export const LANGUAGES = ['id', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'id';

export const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

export type Catalogue = Readonly<Record<string, string>>;
/**
 * Looks a key up in one catalogue. `language` names that catalogue's language, so that what is formatted beside the
 * text (dates, numbers: `formatterFor(zone, t.language)`) speaks the same language; a translator made by hand (a
 * test's) has none and counts as Indonesian.
 */
export interface Translate {
  (key: string, params?: Record<string, string | number>): string;
  readonly language?: Language;
}

export function loadCatalogue(language: Language = DEFAULT_LANGUAGE): Catalogue {
  return JSON.parse(readFileSync(projectPath('locales', `${language}.json`), 'utf8')) as Catalogue;
}

/** A message naming its field, as forms.ts's namingField writes it: 'form.required_named:login.password'. */
const NAMING_FIELD = /^([a-z0-9_.]+):([a-z0-9_.]+)$/;

/**
 * `t('login.welcome', { name })` looks the key up and fills `{name}` placeholders. A missing key returns the key
 * itself, so a gap shows up on the page instead of breaking it (and a unit test checks the views' keys exist).
 * `t('form.required_named:login.password')` fills the first's `{field}` with the second: "Kata sandi wajib diisi."
 */
export function createTranslator(catalogue: Catalogue, language: Language = DEFAULT_LANGUAGE): Translate {
  const translate = (key: string, params?: Record<string, string | number>): string => {
    const naming = catalogue[key] === undefined ? NAMING_FIELD.exec(key) : null;
    if (naming) return translate(naming[1] as string, { ...params, field: translate(naming[2] as string) });
    const text = catalogue[key] ?? key;
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in params ? String(params[name]) : whole,
    );
  };
  return Object.assign(translate, { language });
}

const translators = new Map<Language, Translate>();

/**
 * The translator of a language, its catalogue read once per process and then shared: what a request, a mail or a
 * document is written with. Anything but a known language (a stored NULL) is the instance's default, Indonesian.
 */
export function translatorFor(language: Language | null | undefined): Translate {
  const chosen = isLanguage(language) ? language : DEFAULT_LANGUAGE;
  let translator = translators.get(chosen);
  if (translator === undefined) {
    translator = createTranslator(loadCatalogue(chosen), chosen);
    translators.set(chosen, translator);
  }
  return translator;
}

/**
 * The Indonesian translator: for text that is stored or logged rather than read by one person (the ledger check's
 * problems, the audit log, the command-line tools, the demo seed), which stays in the instance's language.
 */
export function defaultTranslator(): Translate {
  return translatorFor(DEFAULT_LANGUAGE);
}
