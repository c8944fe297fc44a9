import { readFileSync } from 'node:fs';
import { projectPath } from '../core/paths.js';

export type Catalogue = Readonly<Record<string, string>>;
export type Translate = (key: string, params?: Record<string, string | number>) => string;

export function loadCatalogue(language = 'id'): Catalogue {
  return JSON.parse(readFileSync(projectPath('locales', `${language}.json`), 'utf8')) as Catalogue;
}

/**
 * `t('login.welcome', { name })` looks the key up and fills `{name}` placeholders. A missing key returns the key
 * itself, so a gap shows up on the page instead of breaking it (and a unit test checks the views' keys exist).
 */
export function createTranslator(catalogue: Catalogue): Translate {
  return (key, params) => {
    const text = catalogue[key] ?? key;
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in params ? String(params[name]) : whole,
    );
  };
}

let indonesian: Translate | undefined;

/** The Indonesian translator, loaded once: for code that is not handed the request's `t` (tests, tools). */
export function defaultTranslator(): Translate {
  indonesian ??= createTranslator(loadCatalogue('id'));
  return indonesian;
}
