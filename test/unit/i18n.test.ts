import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '../../src/audit/actions.js';
import { projectPath } from '../../src/core/paths.js';
import type { PasswordProblem } from '../../src/credentials/password.js';
import { NIP_PROBLEMS } from '../../src/directory/nip.js';
import { ROLES } from '../../src/directory/types.js';
import {
  type Catalogue,
  createTranslator,
  defaultTranslator,
  LANGUAGES,
  loadCatalogue,
  translatorFor,
} from '../../src/web/i18n.js';

const catalogues = { id: loadCatalogue('id'), en: loadCatalogue('en') };

function filesUnder(dir: string, extension: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(extension))
    .map((file) => join(dir, file));
}

/** Drops block and line comments, so that examples in documentation are not taken for real keys. */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** Keys from `sources` that the catalogue lacks, each with the file that uses it. */
function missingKeys(catalogue: Catalogue, sources: { file: string; keys: string[] }[]): string[] {
  return sources.flatMap(({ file, keys }) =>
    keys.filter((key) => !(key in catalogue)).map((key) => `${key} (${file})`),
  );
}

/** Literal keys passed to t(): `t('a.b'` or `res.locals.t('a.b'`, but not `set('views'` or `default('x'`. */
function translatedKeys(source: string): string[] {
  return [...source.matchAll(/(?<![\w$])t\(\s*'([a-z0-9_.]+)'/g)]
    .map((match) => match[1] as string)
    .filter((key) => !key.endsWith('.')); // 'audit.' + action: a dynamic key, checked below
}

describe('createTranslator', () => {
  const t = createTranslator({
    'admin.welcome': 'Selamat datang, {name}.',
    pair: '{a} dan {b}, lagi {a}',
    plain: 'Teks biasa',
  });

  it('returns the text for a key', () => {
    expect(t('plain')).toBe('Teks biasa');
  });

  it('fills placeholders, every occurrence', () => {
    expect(t('admin.welcome', { name: 'Dewi Lestari' })).toBe('Selamat datang, Dewi Lestari.');
    expect(t('pair', { a: 1, b: 'dua' })).toBe('1 dan dua, lagi 1');
  });

  it('leaves a placeholder without a value in place rather than writing "undefined"', () => {
    expect(t('pair', { a: 'satu' })).toBe('satu dan {b}, lagi satu');
  });

  it('does not interpret replacement patterns in values', () => {
    expect(t('admin.welcome', { name: "$& $' $1" })).toBe("Selamat datang, $& $' $1.");
  });

  it('returns the key itself for a missing key', () => {
    expect(t('tidak.ada')).toBe('tidak.ada');
    expect(t('tidak.ada', { name: 'x' })).toBe('tidak.ada');
  });
});

describe('translatorFor', () => {
  it('writes in the language asked for, and says which', () => {
    const english = translatorFor('en');
    expect(english.language).toBe('en');
    expect(english('nav.home')).toBe('Home');
    expect(english('login.title')).toBe('Sign in');
    expect(translatorFor('id')('nav.home')).toBe('Beranda');
  });

  it('writes Indonesian, the language of the instance, for none or an unknown one', () => {
    for (const language of [null, undefined, 'fr' as never]) {
      expect(translatorFor(language).language).toBe('id');
      expect(translatorFor(language)('login.title')).toBe('Masuk');
    }
    expect(defaultTranslator()).toBe(translatorFor('id'));
  });
});

describe.each(LANGUAGES)('the catalogue of %s', (language) => {
  const catalogue = catalogues[language];
  const missingFrom = `keys missing from locales/${language}.json`;

  it('has only non-empty string values', () => {
    const bad = Object.entries(catalogue).filter(
      ([, value]) => typeof value !== 'string' || value.trim() === '',
    );
    expect(
      bad.map(([key]) => key),
      'keys with empty or non-string values',
    ).toEqual([]);
  });

  it('scans t() calls the way the views and routes write them', () => {
    const sample = "<%= t('a.b') %> res.locals.t( 'c_d.e') app.set('views') z.default('x.y') t('audit.' + a)";
    expect(translatedKeys(sample)).toEqual(['a.b', 'c_d.e']);
  });

  it('has every key the views use literally', () => {
    const views = filesUnder(projectPath('views'), '.ejs').map((file) => ({
      file,
      keys: translatedKeys(readFileSync(file, 'utf8')),
    }));
    expect(views.flatMap((v) => v.keys).length).toBeGreaterThan(50);
    expect(missingKeys(catalogue, views), missingFrom).toEqual([]);
  });

  it('has every key the source passes to t() literally', () => {
    const sources = filesUnder(projectPath('src'), '.ts').map((file) => ({
      file,
      keys: translatedKeys(withoutComments(readFileSync(file, 'utf8'))),
    }));
    expect(sources.flatMap((s) => s.keys)).toContain('login.title');
    expect(missingKeys(catalogue, sources), missingFrom).toEqual([]);
  });

  it('has every message key written in the forms, errors and auth code', () => {
    const files = [
      ...filesUnder(projectPath('src', 'web'), '.ts'),
      ...filesUnder(projectPath('src', 'auth'), '.ts'),
    ];
    expect(files).toEqual(
      expect.arrayContaining([projectPath('src', 'web', 'forms.ts'), projectPath('src', 'web', 'errors.ts')]),
    );
    const sources = files.map((file) => {
      const source = withoutComments(readFileSync(file, 'utf8'));
      const keys = [...source.matchAll(/(action:\s*)?'((?:form|error|login|account|nip)\.[a-z0-9_.]+)'/g)]
        // `action: 'login.failed'` names an audit action, checked as audit.<action> below.
        .filter((match) => match[1] === undefined)
        .map((match) => match[2] as string);
      return { file, keys };
    });
    expect(sources.flatMap((s) => s.keys)).toEqual(
      expect.arrayContaining([
        'form.required',
        'error.500.message',
        'login.failed',
        'form.password.mismatch',
      ]),
    );
    expect(missingKeys(catalogue, sources), missingFrom).toEqual([]);
  });

  it('names every audit action', () => {
    const missing = AUDIT_ACTIONS.map((action) => `audit.${action}`).filter((key) => !(key in catalogue));
    expect(missing, `audit actions missing from locales/${language}.json`).toEqual([]);
  });

  it('explains every NIP problem', () => {
    const missing = NIP_PROBLEMS.map((problem) => `nip.${problem}`).filter((key) => !(key in catalogue));
    expect(missing, `NIP problems missing from locales/${language}.json`).toEqual([]);
  });

  it('names every role', () => {
    const missing = ROLES.map((role) => `role.${role}`).filter((key) => !(key in catalogue));
    expect(missing, `roles missing from locales/${language}.json`).toEqual([]);
  });

  it('explains every password problem', () => {
    // A Record, so that tsc fails here when a new PasswordProblem is added without a message.
    const problems: Record<PasswordProblem, true> = {
      too_short: true,
      too_long: true,
      too_common: true,
      contains_identity: true,
      same_as_current: true,
      unchecked: true,
    };
    const missing = Object.keys(problems)
      .map((p) => `form.password.${p}`)
      .filter((key) => !(key in catalogue));
    expect(missing, `password problems missing from locales/${language}.json`).toEqual([]);
  });

  it('has the keys the views build from a prefix', () => {
    const built = [
      ...['pacts', 'agreements', 'compliance', 'users', 'units', 'news', 'audit', 'settings'].map(
        (key) => `admin.nav.${key}`,
      ),
      ...['berita', 'pengumuman'].flatMap((c) => [`news.category.${c}`, `news.category.${c}_plural`]),
      ...['whatsapp', 'facebook', 'x'].map((key) => `news.share.${key}`),
      ...['draft', 'scheduled', 'published'].flatMap((s) => [
        `admin.news.state.${s}`,
        `admin.news.saved.${s}`,
      ]),
      ...['empty', 'too_large', 'not_an_image', 'unsupported_format', 'too_small'].map(
        (p) => `news.form.cover_${p}`,
      ),
      ...['semua', 'belum', 'sudah'].map((f) => `compliance.public.filter.${f}`),
      ...['heads', 'all'].map((a) => `home.compliance.audience.${a}`),
    ];
    expect(
      built.filter((key) => !(key in catalogue)),
      missingFrom,
    ).toEqual([]);
  });

  it('has a title and a message for every status the error handler produces', () => {
    const keys = [400, 401, 403, 404, 413, 415, 500].flatMap((status) => [
      `error.${status}.title`,
      `error.${status}.message`,
    ]);
    expect(
      keys.filter((key) => !(key in catalogue)),
      missingFrom,
    ).toEqual([]);
  });
});

/** The {placeholders} of a text, each once, in order. */
const placeholders = (text: string): string[] =>
  [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string))].sort();
const tagCount = (text: string): number => text.match(/<[^>]+>/g)?.length ?? 0;

describe('the English catalogue beside the Indonesian', () => {
  const { id, en } = catalogues;

  it('has exactly the same keys', () => {
    expect(
      Object.keys(id).filter((key) => !(key in en)),
      'keys of locales/id.json missing from locales/en.json',
    ).toEqual([]);
    expect(
      Object.keys(en).filter((key) => !(key in id)),
      'keys of locales/en.json that locales/id.json does not have',
    ).toEqual([]);
  });

  it('fills the same placeholders in every text', () => {
    const differing = Object.keys(id)
      .filter((key) => key in en)
      .filter((key) => placeholders(id[key] as string).join() !== placeholders(en[key] as string).join())
      .map(
        (key) =>
          `${key}: {${placeholders(id[key] as string).join('}, {')}} ≠ {${placeholders(en[key] as string).join('}, {')}}`,
      );
    expect(differing).toEqual([]);
  });

  it('keeps the HTML of every text (as many tags)', () => {
    const differing = Object.keys(id)
      .filter((key) => key in en && tagCount(id[key] as string) !== tagCount(en[key] as string))
      .map((key) => `${key}: ${tagCount(id[key] as string)} tags ≠ ${tagCount(en[key] as string)}`);
    expect(differing).toEqual([]);
  });

  it('reads placeholders and tags as the checks above need', () => {
    expect(placeholders('{b} dan {a}, lagi {b}')).toEqual(['a', 'b']);
    expect(tagCount('Baca <a href="/x">ketentuan</a> dan <strong>setujui</strong>.')).toBe(4);
  });
});
