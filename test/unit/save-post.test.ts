import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/record-event.js';
import type { PostInput } from '../../src/news/post-input.js';
import { canEditPost, type Editor, savePost } from '../../src/news/save-post.js';
import type { Post } from '../../src/news/types.js';
import { makeCover, makePost } from '../helpers/posts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const DAY = 24 * 60 * 60 * 1000;

describe('canEditPost', () => {
  const admin: Editor = { id: 1, role: 'admin', unitId: null };
  const operator: Editor = { id: 2, role: 'operator', unitId: 7 };
  const signer: Editor = { id: 3, role: 'signer', unitId: 7 };

  it.each([
    ['an admin, any published post', admin, { status: 'published', unitId: 9 }, true],
    ['an admin, a draft without a unit', admin, { status: 'draft', unitId: null }, true],
    ["an operator, their unit's draft", operator, { status: 'draft', unitId: 7 }, true],
    ["an operator, their unit's published post", operator, { status: 'published', unitId: 7 }, false],
    ["an operator, another unit's draft", operator, { status: 'draft', unitId: 8 }, false],
    ['an operator, a draft without a unit', operator, { status: 'draft', unitId: null }, false],
    ["a signer, their unit's draft", signer, { status: 'draft', unitId: 7 }, false],
  ] as const)('%s: %s', (_case, editor, post, allowed) => {
    expect(canEditPost(editor, post)).toBe(allowed);
  });

  it('never lets an operator without a unit edit a draft without a unit', async () => {
    expect(canEditPost({ id: 4, role: 'operator', unitId: null }, { status: 'draft', unitId: null })).toBe(
      false,
    );
  });
});

describe('savePost', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const adminEditor: Editor = { id: null, role: 'admin', unitId: null };
  const input = (overrides: Partial<PostInput> = {}): PostInput => ({
    title: 'Rapat Koordinasi Netralitas',
    slug: '',
    category: 'berita',
    excerpt: '',
    body: 'Isi rapat.',
    status: 'draft',
    publishedAt: null,
    pinned: false,
    coverId: null,
    coverAlt: '',
    ...overrides,
  });
  const save = (postId: number | null, overrides: Partial<PostInput> = {}, editor: Editor = adminEditor) =>
    savePost(t.services, { postId, input: input(overrides), editor, actor: systemActor });
  const saved = async (result: Awaited<ReturnType<typeof save>>): Promise<Post> => {
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return (await t.services.posts.findById(result.postId)) as Post;
  };

  it('publishes at the current time when no date is given, and keeps a date given to a draft', async () => {
    const now = t.clock.now().toISOString();
    expect((await saved(await save(null, { status: 'published' }))).publishedAt).toBe(now);
    expect((await saved(await save(null, { status: 'draft' }))).publishedAt).toBeNull();
    const later = new Date(t.clock.now().getTime() + DAY);
    expect((await saved(await save(null, { status: 'draft', publishedAt: later }))).publishedAt).toBe(
      later.toISOString(),
    );
  });

  it('keeps the slug a post already has when it is saved again with the slug left empty', async () => {
    const first = await saved(await save(null));
    expect(first.slug).toBe('rapat-koordinasi-netralitas');
    expect((await saved(await save(first.id))).slug).toBe('rapat-koordinasi-netralitas');
    expect((await saved(await save(null))).slug).toBe('rapat-koordinasi-netralitas-2');
  });

  it('falls back to the category for a title without a letter or digit', async () => {
    expect((await saved(await save(null, { title: '“!!!”' }))).slug).toBe('berita');
    expect((await saved(await save(null, { title: '???', category: 'pengumuman' }))).slug).toBe('pengumuman');
    expect((await saved(await save(null, { title: '…' }))).slug).toBe('berita-2');
  });

  it('reports every problem at once and writes nothing', async () => {
    await makePost(t.services, { slug: 'sudah-ada' });
    const result = await save(
      null,
      { status: 'published', slug: 'sudah-ada', coverId: 999, coverAlt: '' },
      { id: null, role: 'operator', unitId: null },
    );
    expect(result).toEqual({
      ok: false,
      errors: {
        status: 'news.form.publish_admin_only',
        slug: 'news.form.slug_taken',
        cover: 'news.form.cover_missing',
        cover_alt: 'news.form.cover_alt_required',
      },
    });
    expect(await t.services.posts.countAll()).toBe(1);
  });

  it('refuses to change a post that is gone or that the editor may not change', async () => {
    expect(await save(999)).toEqual({ ok: false, errors: { _form: 'news.form.gone' } });
    const unit = await t.make.unit();
    const published = await makePost(t.services, { unitId: unit.id });
    const operator: Editor = { id: null, role: 'operator', unitId: unit.id };
    expect(await save(published.id, { status: 'draft' }, operator)).toEqual({
      ok: false,
      errors: { _form: 'news.form.not_allowed' },
    });
    expect((await t.services.posts.findById(published.id))?.status).toBe('published');
  });

  it('drops the alternative text together with the cover', async () => {
    const coverId = await makeCover(t.services);
    const withCover = await saved(await save(null, { coverId, coverAlt: 'Aula kantor' }));
    expect(withCover).toMatchObject({ coverId, coverAlt: 'Aula kantor' });
    expect(await saved(await save(withCover.id, { coverId: null, coverAlt: 'Aula kantor' }))).toMatchObject({
      coverId: null,
      coverAlt: '',
      cover: null,
    });
  });

  it('records published and unpublished only when the status changes', async () => {
    const id = (await saved(await save(null))).id;
    await save(id, { title: 'Judul baru' });
    await save(id, { status: 'published' });
    await save(id, { status: 'published', title: 'Judul lagi' });
    await save(id, { status: 'draft' });
    expect((await t.services.audit.forTarget('post', String(id))).map((e) => e.action)).toEqual([
      'post.created',
      'post.updated',
      'post.published',
      'post.updated',
      'post.unpublished',
    ]);
  });
});
