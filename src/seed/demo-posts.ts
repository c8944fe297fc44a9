/**
 * Demo news and announcements (berita, pengumuman) for the demo seed: one Markdown file a post in db/seeds/posts/,
 * named `NN-name.md` and seeded in that order, each opening with a header (front-matter.ts):
 *
 *   ---
 *   title: Tata Cara Menandatangani Pakta Integritas Netralitas ASN melalui Ikrar
 *   slug: tata-cara-menandatangani-pakta-integritas-netralitas-asn-melalui-ikrar   (optional: else from the title)
 *   category: berita | pengumuman
 *   status: published | draft
 *   published: 7 days ago | 7 days ago 09:00 | in 3 days | today | 2023-09-26 10:00  (published posts only)
 *   pinned: true | false
 *   unit: DISKOMINFO                                   (the publishing unit's code, see db/seeds/jateng-opd.json)
 *   cover: tata-cara.jpg                               (optional: a file in db/seeds/covers/)
 *   cover_alt: Ilustrasi anak tangga menaik, …         (with a cover: what it shows, for screen readers)
 *   excerpt: One or two sentences shown in lists and as the description for sharing (≤ 280 characters).
 *   ---
 *
 *   The body in Markdown: paragraphs, some `##` subheadings, lists, maybe one table; no raw HTML, no images.
 *
 * A post about something that happened on a known day (the 26 September 2023 ceremony, the 21 November 2023 report)
 * carries that day and time, read on the instance's clocks (TIME_ZONE). A post about using Ikrar today (how to sign,
 * the deadline, the apel) is dated relative to the demo's "now", so the site always looks current; its body
 * therefore speaks of "pekan depan" or "batas waktu pada halaman pakta" rather than calendar dates, and of the pacts
 * open now (demo-pacts.ts) without naming their year. Officials are named by office, not by person. Phone numbers
 * are placeholders.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { projectPath } from '../core/paths.js';
import { parseWallClock } from '../core/time-zone.js';
import { isValidSlug } from '../news/slug.js';
import { POST_CATEGORIES, type PostCategory, type PostStatus } from '../news/types.js';
import { FrontMatterError, parseFrontMatter } from './front-matter.js';

export interface DemoPost {
  /** The file it was read from, relative to the project root (for messages). */
  file: string;
  title: string;
  /** '' makes one from the title, as the admin form does. */
  slug: string;
  category: PostCategory;
  excerpt: string;
  body: string;
  status: PostStatus;
  /** When it was published; null for a draft. */
  published: DemoPublished | null;
  pinned: boolean;
  unitCode: string;
  /** A file in db/seeds/covers/ and its alternative text, or null. */
  cover: { file: string; alt: string } | null;
}

/**
 * `{ daysAgo }`: that many days before the demo's "now" (negative: scheduled in the future), at the time of day it is
 * now or, with `time` ('HH:MM'), at that time on the instance's clocks on that day (after the demo pact it tells of
 * opened, say). `{ local }`: a fixed day and time on the instance's clocks, 'YYYY-MM-DDTHH:MM' (a real date: checked
 * when read).
 */
export type DemoPublished = { daysAgo: number; time?: string } | { local: string };

export const DEMO_POSTS_FOLDER = 'db/seeds/posts';

const KEYS = {
  required: ['title', 'category', 'status', 'pinned', 'unit', 'excerpt'],
  optional: ['slug', 'published', 'cover', 'cover_alt'],
} as const;

const FILE_NAME = /^\d{2}-[a-z0-9-]+\.md$/;
const COVER_NAME = /^[a-z0-9-]+\.(jpg|png|webp)$/;

const ABSOLUTE = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})$/;

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** `published:` as days before now, or as a day and time on the instance's clocks; null when it is neither. */
function publishedOf(value: string): DemoPublished | null {
  if (value === 'today') return { daysAgo: 0 };
  const ago = /^(\d+) days? ago(?: (\d{2}:\d{2}))?$/.exec(value);
  if (ago) {
    const [, days, time] = ago;
    if (time === undefined) return { daysAgo: Number(days) };
    // A past day only: "today 09:00" could be later today, and scheduled without meaning to.
    return TIME.test(time) && Number(days) > 0 ? { daysAgo: Number(days), time } : null;
  }
  const ahead = /^in (\d+) days?$/.exec(value);
  if (ahead) return { daysAgo: -Number(ahead[1]) };
  const absolute = ABSOLUTE.exec(value);
  const local = absolute ? `${absolute[1]}T${absolute[2]}` : null;
  return local !== null && parseWallClock(local) !== null ? { local } : null;
}

/** One post file's text (`file` names it in errors). */
export function parseDemoPost(text: string, file: string): DemoPost {
  const { fields, body, errorAt } = parseFrontMatter(text, file, KEYS);
  const field = (key: (typeof KEYS)['required'][number]) => fields.get(key) as string;
  const oneOf = <T extends string>(key: (typeof KEYS)['required'][number], allowed: readonly T[]): T => {
    const value = field(key);
    if (!(allowed as readonly string[]).includes(value)) {
      throw errorAt(key, `"${key}" must be ${allowed.join(' or ')}, not "${value}"`);
    }
    return value as T;
  };

  const status = oneOf('status', ['published', 'draft'] as const);
  const published = fields.get('published');
  let when: DemoPublished | null = null;
  if (status === 'draft') {
    if (published !== undefined) throw errorAt('published', 'a draft has no "published" date');
  } else {
    if (published === undefined) throw new FrontMatterError(file, null, 'a published post needs "published"');
    when = publishedOf(published);
    if (when === null) {
      throw errorAt(
        'published',
        `"published" must be "N days ago" (maybe with a time, "N days ago HH:MM"), "in N days", "today" or a date and time "YYYY-MM-DD HH:MM", not "${published}"`,
      );
    }
  }

  const slug = fields.get('slug') ?? '';
  if (slug !== '' && !isValidSlug(slug)) {
    throw errorAt('slug', `"${slug}" is not a slug (lowercase letters, digits and single hyphens, ≤ 80)`);
  }

  const coverFile = fields.get('cover');
  const coverAlt = fields.get('cover_alt');
  if (coverFile !== undefined && !COVER_NAME.test(coverFile)) {
    throw errorAt('cover', `"${coverFile}" is not a cover file name (e.g. upacara.jpg)`);
  }
  if (coverFile !== undefined && coverAlt === undefined) {
    throw errorAt('cover', 'a cover needs "cover_alt": what it shows, for screen readers');
  }
  if (coverFile === undefined && coverAlt !== undefined)
    throw errorAt('cover_alt', '"cover_alt" without "cover"');

  return {
    file,
    title: field('title'),
    slug,
    category: oneOf('category', POST_CATEGORIES),
    excerpt: field('excerpt'),
    body,
    status,
    published: when,
    pinned: oneOf('pinned', ['true', 'false'] as const) === 'true',
    unitCode: field('unit'),
    cover: coverFile === undefined ? null : { file: coverFile, alt: coverAlt as string },
  };
}

/** Every post of db/seeds/posts/, in the order of their file names. */
export function readDemoPosts(folder = projectPath(DEMO_POSTS_FOLDER)): DemoPost[] {
  const label = folder === projectPath(DEMO_POSTS_FOLDER) ? DEMO_POSTS_FOLDER : folder;
  const names = readdirSync(folder).sort();
  const stray = names.filter((name) => !FILE_NAME.test(name));
  if (stray.length > 0) {
    throw new Error(`${label}: ${stray.join(', ')}: post files are named NN-name.md (e.g. 01-pemilu.md)`);
  }
  return names.map((name) => parseDemoPost(readFileSync(`${folder}/${name}`, 'utf8'), `${label}/${name}`));
}
