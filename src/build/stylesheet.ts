import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PurgeCSS } from 'purgecss';
import { projectPath } from '../core/paths.js';
import { STYLESHEET_PATH } from '../web/assets.js';
import { MARKDOWN_TAGS } from '../web/markdown.js';

const BOOTSTRAP_CSS = projectPath('node_modules', 'bootstrap', 'dist', 'css', 'bootstrap.min.css');
const OUR_CSS = projectPath('public', 'css', 'ikrar.css');

/**
 * The one stylesheet of every page: the Bootstrap rules whose class and element names occur in the views, our
 * scripts or the TypeScript that picks classes, followed by ours. All of Bootstrap is 230 KB and render-blocking;
 * what the pages use is about a quarter of it (10 KB compressed).
 *
 * Names are found as words anywhere in those files, so a class assembled from pieces in a view must appear whole
 * somewhere or be kept here: the alerts (`alert-<%= message.kind %>`). Elements a post or pact body may contain are
 * always kept: their Markdown arrives at run time.
 */
export async function buildStylesheet(): Promise<string> {
  const [bootstrap] = await new PurgeCSS().purge({
    content: [
      projectPath('views', '**', '*.ejs'),
      projectPath('public', 'js', '**', '*.js'),
      projectPath('src', '**', '*.ts'),
    ],
    css: [BOOTSTRAP_CSS],
    safelist: { standard: [...MARKDOWN_TAGS, /^alert-/] },
    variables: true,
    keyframes: true,
  });
  if (!bootstrap) throw new Error(`PurgeCSS returned nothing for ${BOOTSTRAP_CSS}`);
  // The source map named at the end describes the whole file, not what is kept of it.
  const kept = bootstrap.css.replace(/\/\*# sourceMappingURL=[^*]*\*\/\s*$/, '');
  return `${kept}\n${readFileSync(OUR_CSS, 'utf8')}`;
}

/** Builds the stylesheet into STYLESHEET_PATH (part of `npm run build`). Returns its size in bytes. */
export async function writeStylesheet(): Promise<number> {
  const css = await buildStylesheet();
  mkdirSync(dirname(STYLESHEET_PATH), { recursive: true });
  writeFileSync(STYLESHEET_PATH, css);
  return Buffer.byteLength(css);
}
