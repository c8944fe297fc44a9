import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectPath } from '../../src/core/paths.js';
import { parseDemoPost, readDemoPosts } from '../../src/seed/demo-posts.js';

const FILE = 'db/seeds/posts/01-test.md';

const post = (header: string[], body = 'Isi berita.\n') => ['---', ...header, '---', '', body].join('\n');
const HEADER = [
  'title: Judul: dengan titik dua',
  'category: berita',
  'status: published',
  'published: 3 days ago',
  'pinned: false',
  'unit: BKD',
  'excerpt: Ringkasan.',
];
const without = (key: string) => HEADER.filter((line) => !line.startsWith(`${key}:`));

describe('the demo posts in db/seeds/posts/', () => {
  const posts = readDemoPosts();

  it('are read in the order of their file names, each with its cover file present', () => {
    expect(posts.map((p) => p.file)).toEqual([...posts.map((p) => p.file)].sort());
    expect(posts.length).toBeGreaterThanOrEqual(10);
    expect(new Set(posts.map((p) => p.slug)).size).toBe(posts.length);
    for (const p of posts) {
      if (p.cover) expect(existsSync(projectPath('db', 'seeds', 'covers', p.cover.file)), p.file).toBe(true);
      expect(p.published === null, p.file).toBe(p.status === 'draft');
    }
  });

  it('date the news of 2023 on its days and what is about using Ikrar today relative to now', () => {
    const bySlug = new Map(posts.map((p) => [p.slug, p]));
    expect(
      bySlug.get('kepala-perangkat-daerah-ikrarkan-netralitas-asn-di-gedung-gradhika-bhakti-praja'),
    ).toMatchObject({ published: { local: '2023-09-26T13:30' } });
    const local = posts.flatMap((p) => (p.published && 'local' in p.published ? [p.published.local] : []));
    expect(local.length).toBeGreaterThanOrEqual(4);
    for (const day of local) expect(day < '2024-01-01', day).toBe(true);
    for (const slug of [
      'tata-cara-menandatangani-pakta-integritas-netralitas-asn-melalui-ikrar',
      'pengingat-seluruh-asn-wajib-menandatangani-pakta-integritas-sebelum-batas-waktu',
      'apel-siaga-netralitas-asn-pemerintah-provinsi-jawa-tengah',
    ]) {
      expect(bySlug.get(slug)?.published, slug).toHaveProperty('daysAgo');
    }
  });
});

describe('parseDemoPost', () => {
  it('reads the header as written and the body without the final newline', () => {
    const p = parseDemoPost(
      post(
        [...HEADER, 'slug: judul', 'cover: upacara.jpg', 'cover_alt: Gedung berpilar'],
        '## Isi\n\n- satu\n',
      ),
      FILE,
    );
    expect(p).toEqual({
      file: FILE,
      title: 'Judul: dengan titik dua',
      slug: 'judul',
      category: 'berita',
      excerpt: 'Ringkasan.',
      body: '## Isi\n\n- satu',
      status: 'published',
      published: { daysAgo: 3 },
      pinned: false,
      unitCode: 'BKD',
      cover: { file: 'upacara.jpg', alt: 'Gedung berpilar' },
    });
  });

  it('reads relative and absolute dates and drafts without one; the slug is made from the title when absent', () => {
    const publishedOn = (published: string) =>
      parseDemoPost(post([...without('published'), `published: ${published}`]), FILE).published;
    expect(publishedOn('1 day ago')).toEqual({ daysAgo: 1 });
    expect(publishedOn('in 3 days')).toEqual({ daysAgo: -3 });
    expect(publishedOn('today')).toEqual({ daysAgo: 0 });
    expect(publishedOn('7 days ago 09:00')).toEqual({ daysAgo: 7, time: '09:00' });
    expect(publishedOn('2023-09-26 10:00')).toEqual({ local: '2023-09-26T10:00' });
    const draft = parseDemoPost(
      post([...without('published').filter((l) => l !== 'status: published'), 'status: draft']),
      FILE,
    );
    expect(draft).toMatchObject({ status: 'draft', published: null, slug: '', cover: null });
  });

  it('refuses what it does not understand, naming the file and line', () => {
    const refusal = (text: string) => {
      try {
        parseDemoPost(text, FILE);
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error('accepted');
    };
    expect(refusal(post(HEADER).replace(/\n/g, '\r\n'))).toBe(
      `${FILE}: has CR characters: save it with LF line endings`,
    );
    expect(refusal(post(HEADER).slice(4))).toBe(`${FILE}:1: the file must start with a "---" line`);
    expect(refusal(`---\n${HEADER.join('\n')}\n\nIsi.\n`)).toBe(
      `${FILE}: the header has no closing "---" line`,
    );
    expect(refusal(post([...HEADER, 'titel: x']))).toBe(
      `${FILE}:9: unknown key "titel" (known: title, category, status, pinned, unit, excerpt, slug, published, cover, cover_alt)`,
    );
    expect(refusal(post([...HEADER, 'title: lagi']))).toBe(`${FILE}:9: "title" again (first on line 2)`);
    expect(refusal(post([...HEADER, 'Cover: x.jpg']))).toContain(`${FILE}:9: expected "key: value"`);
    expect(refusal(post([...HEADER, 'slug:x']))).toContain(`${FILE}:9: expected "key: value"`);
    expect(refusal(post([...HEADER, 'slug:  x']))).toBe(
      `${FILE}:9: the value of "slug" has spaces around it`,
    );
    expect(refusal(post([...HEADER, '']))).toContain(`${FILE}:9: expected "key: value"`);
    expect(refusal(post(without('unit')))).toBe(`${FILE}: the header lacks "unit"`);
    expect(refusal(post(HEADER).replace('---\n\n', '---\n'))).toBe(
      `${FILE}:10: expected a blank line after the closing "---"`,
    );
    expect(refusal(post(HEADER, '\n'))).toBe(`${FILE}: the body is empty`);
    expect(refusal(post([...without('pinned'), 'pinned: ya']))).toBe(
      `${FILE}:8: "pinned" must be true or false, not "ya"`,
    );
    expect(refusal(post([...without('category'), 'category: opini']))).toContain(
      '"category" must be berita or pengumuman',
    );
    for (const published of [
      'kemarin',
      '2023-02-30 10:00',
      '2023-09-26',
      '2023-09-26T10:00',
      '2023-09-26 24:00',
      '3 days ago 24:00',
      '3 days ago 9:00',
      '0 days ago 09:00',
      'in 3 days 09:00',
    ]) {
      expect(refusal(post([...without('published'), `published: ${published}`])), published).toContain(
        `${FILE}:8: "published" must be "N days ago" (maybe with a time, "N days ago HH:MM"), "in N days", "today" or a date and time "YYYY-MM-DD HH:MM"`,
      );
    }
    expect(refusal(post(without('published')))).toBe(`${FILE}: a published post needs "published"`);
    expect(refusal(post([...HEADER.map((l) => l.replace('status: published', 'status: draft'))]))).toBe(
      `${FILE}:5: a draft has no "published" date`,
    );
    expect(refusal(post([...HEADER, 'slug: Judul Besar']))).toContain('"Judul Besar" is not a slug');
    expect(refusal(post([...HEADER, 'cover: upacara.jpg']))).toContain('a cover needs "cover_alt"');
    expect(refusal(post([...HEADER, 'cover_alt: Gedung']))).toContain('"cover_alt" without "cover"');
  });

  describe('a folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ikrar-demo-posts-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('holds post files only: any other name is refused rather than skipped', () => {
      writeFileSync(join(dir, '01-satu.md'), post(HEADER));
      expect(readDemoPosts(dir)).toHaveLength(1);
      writeFileSync(join(dir, 'README.md'), 'notes');
      expect(() => readDemoPosts(dir)).toThrow(`${dir}: README.md: post files are named NN-name.md`);
    });
  });
});
