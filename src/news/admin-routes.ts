import { type Request, type RequestHandler, type Response, Router } from 'express';
import multer from 'multer';
import { z } from 'zod';
import { actorOf } from '../audit/actor.js';
import type { AuditRepository } from '../audit/repository.js';
import type { Clock } from '../core/clock.js';
import type { Config } from '../core/config.js';
import type { TimeZone } from '../core/time-zone.js';
import type { Db } from '../db/database.js';
import type { User } from '../directory/types.js';
import { renderAdminPage } from '../web/admin-layout.js';
import { flash } from '../web/flash.js';
import { type FieldErrors, keptValues, parseForm } from '../web/forms.js';
import { requireRole } from '../web/guards.js';
import { forbidden, notFound } from '../web/http-error.js';
import { renderTypedMarkdown } from '../web/markdown.js';
import { pageFromQuery } from '../web/pagination.js';
import { parseId } from '../web/params.js';
import { COVER_MAX_BYTES } from './cover-image.js';
import { POST_BODY_MAX, POST_FORM_FIELDS, postFormValues, postSchema, toPostInput } from './post-input.js';
import type { PostRepository } from './post-repository.js';
import { canEditPost, deletePost, savePost } from './save-post.js';
import { storeCover } from './store-cover.js';
import { POST_CATEGORIES, type Post, postState } from './types.js';

const ADMIN_PAGE_SIZE = 25;

// The post form is multipart (it may carry a cover). One file; the fields are the form's own, the body being the
// largest (100,000 characters of Markdown, up to 4 bytes each in UTF-8).
const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: COVER_MAX_BYTES, files: 1, fields: 20, parts: 21, fieldSize: 400_000 },
  defParamCharset: 'utf8',
}).single('cover');

const previewSchema = z.object({ body: z.string().max(POST_BODY_MAX) });

/** /admin/berita: writing, previewing, publishing and deleting posts. Operators write drafts for their unit. */
export function newsAdminRoutes(
  services: {
    audit: AuditRepository;
    clock: Clock;
    db: Db;
    posts: PostRepository;
    timeZone: TimeZone;
  },
  config: Pick<Config, 'baseUrl'>,
): Router {
  const router = Router();
  const editor = (req: Request) => req.user as User;

  const loadPost = async (req: Request): Promise<Post> => {
    const id = parseId(req.params.id);
    const post = id ? await services.posts.findById(id) : undefined;
    if (!post) throw notFound();
    return post;
  };

  const renderForm = async (
    req: Request,
    res: Response,
    status: number,
    locals: { post?: Post; values: Record<string, string>; errors?: FieldErrors; preview?: string },
  ) => {
    const coverId = parseId(locals.values.cover_id ?? '');
    renderAdminPage(res.status(status), 'news/admin/form', {
      title: res.locals.t(locals.post ? 'admin.news.form.edit_title' : 'admin.news.form.new_title'),
      categories: POST_CATEGORIES,
      canPublish: editor(req).role === 'admin',
      cover: coverId ? await services.posts.image(coverId) : undefined,
      maxCoverMegabytes: COVER_MAX_BYTES / (1024 * 1024),
      // The address the post will have: the site's own (BASE_URL), whatever host the editor reached it by.
      postAddressBase: `${config.baseUrl}/berita/`,
      errors: {},
      preview: null,
      ...locals,
    });
  };

  const keptForm = (req: Request) => keptValues(req.body, POST_FORM_FIELDS, POST_BODY_MAX);

  /** The post in the URL, if this editor may change it: checked before any upload is read. */
  const editablePost: RequestHandler = async (req, res, next) => {
    const post = await loadPost(req);
    if (!canEditPost(editor(req), post)) throw forbidden();
    res.locals.post = post;
    next();
  };

  /** multer; a cover over the limit or a broken body becomes a form error, with what was typed kept. */
  const receiveForm: RequestHandler = (req, res, next) => {
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      const tooLarge = err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE';
      req.log?.info({ err }, 'post form refused');
      renderForm(req, res, tooLarge ? 413 : 400, {
        post: res.locals.post,
        values: keptForm(req),
        errors: { cover: tooLarge ? 'news.form.cover_too_large' : 'news.form.bad_upload' },
      }).catch(next);
    });
  };

  router.get('/', async (req, res) => {
    const now = services.clock.now();
    // Operators see their own unit's posts; admins every post.
    const unitId = editor(req).role === 'admin' ? null : (editor(req).unitId ?? -1);
    const page = pageFromQuery(req.query.halaman, await services.posts.countAll(unitId), ADMIN_PAGE_SIZE);
    const posts = await services.posts.pageAll(unitId, page.size, page.offset);
    renderAdminPage(res, 'news/admin/list', {
      title: res.locals.t('admin.news.title'),
      posts: posts.map((post) => ({
        ...post,
        state: postState(post, now),
      })),
      page,
    });
  });

  router.get('/baru', async (req, res) => {
    await renderForm(req, res, 200, { values: { category: 'berita', status: 'draft' } });
  });

  router.post('/pratinjau', async (req, res) => {
    const parsed = previewSchema.safeParse(req.body);
    const rendered = parsed.success
      ? await renderTypedMarkdown(parsed.data.body.replace(/\r\n?/g, '\n'))
      : null;
    if (!rendered) {
      res.status(parsed.success ? 422 : 400).json({
        error: res.locals.t(parsed.success ? 'form.markdown_too_complex' : 'news.form.preview_failed'),
      });
      return;
    }
    res.json({ html: rendered.html });
  });

  /** Saves (or, for "Pratinjau", only shows) the form; a new cover is stored first so that no mistake loses it. */
  const submit = async (req: Request, res: Response, post: Post | undefined) => {
    const values = keptForm(req);
    const errors: FieldErrors = {};
    // "Hapus gambar sampul" drops the cover the form had; a new file sent with it takes its place.
    if (req.body?.remove_cover === '1') values.cover_id = '';
    if (req.file && req.file.size > 0) {
      const stored = await storeCover(services, { file: req.file.buffer, actor: actorOf(req) });
      if (stored.ok) values.cover_id = String(stored.imageId);
      else errors.cover = `news.form.cover_${stored.problem}`;
    }
    const parsed = parseForm(postSchema, { ...req.body, cover_id: values.cover_id, remove_cover: undefined });
    if (req.body?.action === 'preview') {
      const body = typeof req.body.body === 'string' ? req.body.body : '';
      const rendered = await renderTypedMarkdown(body.slice(0, POST_BODY_MAX));
      if (!rendered) errors.body = 'form.markdown_too_complex';
      return renderForm(req, res, errors.cover || !rendered ? 422 : 200, {
        post,
        values,
        errors,
        preview: rendered?.html,
      });
    }
    if (!parsed.ok || errors.cover) {
      return renderForm(req, res, 422, {
        post,
        values,
        errors: { ...(parsed.ok ? {} : parsed.errors), ...errors },
      });
    }
    const result = await savePost(services, {
      postId: post?.id ?? null,
      input: toPostInput(parsed.data, services.timeZone),
      editor: editor(req),
      actor: actorOf(req),
    });
    if (!result.ok) return renderForm(req, res, 422, { post, values, errors: result.errors });
    const saved = (await services.posts.findById(result.postId)) as Post;
    flash(req, 'success', `admin.news.saved.${postState(saved, services.clock.now())}`);
    res.redirect(303, `/admin/berita/${saved.id}/ubah`);
  };

  router.post('/', receiveForm, (req, res) => submit(req, res, undefined));

  router.get('/:id/ubah', editablePost, async (req, res) => {
    await renderForm(req, res, 200, {
      post: res.locals.post,
      values: postFormValues(res.locals.post, services.timeZone),
    });
  });

  router.post('/:id', editablePost, receiveForm, (req, res) => submit(req, res, res.locals.post));

  router.post('/:id/hapus', requireRole('admin'), async (req, res) => {
    const post = await loadPost(req);
    await deletePost(services, { postId: post.id, actor: actorOf(req) });
    flash(req, 'success', 'admin.news.deleted');
    res.redirect(303, '/admin/berita');
  });

  return router;
}
