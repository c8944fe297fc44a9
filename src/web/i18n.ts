import { readFileSync } from 'node:fs';
import { projectPath } from '../core/paths.js';

export type Catalogue = Readonly<Record<string, string>>;
export type Translate = (key: string, params?: Record<string, string | number>) => string;

export function loadCatalogue(language = 'id'): Catalogue {
  return JSON.parse(readFileSync(projectPath('locales', `${language}.json`), 'utf8')) as Catalogue;
}

/** A message naming its field, as forms.ts's namingField writes it: 'form.required_named:login.password'. */
const NAMING_FIELD = /^([a-z0-9_.]+):([a-z0-9_.]+)$/;

/**
 * `t('login.welcome', { name })` looks the key up and fills `{name}` placeholders. A missing key returns the key
 * itself, so a gap shows up on the page instead of breaking it (and a unit test checks the views' keys exist).
 * `t('form.required_named:login.password')` fills the first's `{field}` with the second: "Kata sandi wajib diisi."
 */
export function createTranslator(catalogue: Catalogue): Translate {
  const translate: Translate = (key, params) => {
    const naming = catalogue[key] === undefined ? NAMING_FIELD.exec(key) : null;
    if (naming) return translate(naming[1] as string, { ...params, field: translate(naming[2] as string) });
    const text = catalogue[key] ?? key;
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in params ? String(params[name]) : whole,
    );
  };
  return translate;
}

let indonesian: Translate | undefined;

/** The Indonesian translator, loaded once: for code that is not handed the request's `t` (tests, tools). */
export function defaultTranslator(): Translate {
  indonesian ??= createTranslator(loadCatalogue('id'));
  return indonesian;
}
