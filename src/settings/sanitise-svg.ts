/**
 * An uploaded SVG rebuilt from an allow-list of drawing elements and attributes (sanitize-html, reading it as XML so
 * that SVG's mixed-case names such as `viewBox` and `linearGradient` survive). What is left draws and does nothing
 * else, wherever it is opened:
 *
 * - no script, event handler, animation (which can rewrite an `href`), `<foreignObject>` (HTML inside an SVG), link,
 *   `<style>` element (CSS that sanitize-html cannot check: its text would be copied raw);
 * - no reference outside the file: `href` only to an element of the same file (`#id`) or, on `<image>`, an embedded
 *   PNG or JPEG (`data:`); `url(…)` in attributes and styles only to `#id`; no CSS escapes (a backslash), which could
 *   spell `url(` in a way the checks do not see;
 * - the SVG namespace on every `<svg>`, so that the file still draws when served as image/svg+xml.
 *
 * Entities are read as text (a DOCTYPE's own are refused before this, see logo-file.ts), so nothing expands.
 */
import sanitizeHtml from 'sanitize-html';

const SVG_NS = 'http://www.w3.org/2000/svg';
const XLINK_NS = 'http://www.w3.org/1999/xlink';

const TAGS = [
  'svg',
  'g',
  'defs',
  'symbol',
  'use',
  'title',
  'desc',
  'path',
  'rect',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'text',
  'tspan',
  'textPath',
  'linearGradient',
  'radialGradient',
  'stop',
  'clipPath',
  'mask',
  'pattern',
  'marker',
  'image',
  'filter',
  'feBlend',
  'feColorMatrix',
  'feComponentTransfer',
  'feFuncR',
  'feFuncG',
  'feFuncB',
  'feFuncA',
  'feComposite',
  'feDropShadow',
  'feFlood',
  'feGaussianBlur',
  'feMerge',
  'feMergeNode',
  'feMorphology',
  'feOffset',
];

/** What an element may drop together with everything inside it (not only the tag). */
const DROPPED_WITH_CONTENT = ['script', 'style', 'foreignObject', 'textarea', 'option', 'xmp'];

/** Presentation properties: allowed as attributes and inside `style`. */
const PRESENTATION = [
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-width',
  'stroke-linecap',
  'stroke-linejoin',
  'stroke-miterlimit',
  'stroke-dasharray',
  'stroke-dashoffset',
  'stroke-opacity',
  'opacity',
  'color',
  'stop-color',
  'stop-opacity',
  'flood-color',
  'flood-opacity',
  'clip-path',
  'clip-rule',
  'mask',
  'filter',
  'marker-start',
  'marker-mid',
  'marker-end',
  'visibility',
  'display',
  'overflow',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'font-variant',
  'letter-spacing',
  'word-spacing',
  'text-anchor',
  'dominant-baseline',
  'alignment-baseline',
  'baseline-shift',
  'text-decoration',
  'vector-effect',
  'paint-order',
  'shape-rendering',
  'text-rendering',
  'image-rendering',
  'color-interpolation-filters',
  'mix-blend-mode',
  'isolation',
];

const ATTRIBUTES = [
  ...PRESENTATION,
  'id',
  'style',
  'xmlns',
  'xmlns:xlink',
  'version',
  'xml:space',
  'role',
  'aria-label',
  'aria-hidden',
  'href',
  'xlink:href',
  'viewBox',
  'preserveAspectRatio',
  'transform',
  'width',
  'height',
  'x',
  'y',
  'x1',
  'y1',
  'x2',
  'y2',
  'cx',
  'cy',
  'r',
  'rx',
  'ry',
  'fx',
  'fy',
  'fr',
  'd',
  'points',
  'pathLength',
  'offset',
  'gradientUnits',
  'gradientTransform',
  'spreadMethod',
  'clipPathUnits',
  'maskUnits',
  'maskContentUnits',
  'patternUnits',
  'patternContentUnits',
  'patternTransform',
  'markerWidth',
  'markerHeight',
  'markerUnits',
  'refX',
  'refY',
  'orient',
  'dx',
  'dy',
  'rotate',
  'textLength',
  'lengthAdjust',
  'startOffset',
  'method',
  'spacing',
  'side',
  'filterUnits',
  'primitiveUnits',
  'in',
  'in2',
  'result',
  'stdDeviation',
  'mode',
  'type',
  'values',
  'operator',
  'k1',
  'k2',
  'k3',
  'k4',
  'radius',
  'tableValues',
  'slope',
  'intercept',
  'amplitude',
  'exponent',
];

/** `url(#id)`: a paint server, clip path, mask, marker or filter of the same file. */
const LOCAL_URL = /url\(\s*(['"]?)#[\w.:-]+\1\s*\)/gi;
const LOCAL_REFERENCE = /^#[\w.:-]+$/;
const EMBEDDED_RASTER = /^data:image\/(png|jpeg);base64,[A-Za-z0-9+/=\s]+$/;
/** A style value: words, numbers, colours, quoted font names, colour functions and local url()s only. */
const SAFE_STYLE_VALUE =
  /^(?:[\w\s.,%#'"+-]|(?:rgba?|hsla?)\([\d\s.,%+-]+\)|url\(\s*(['"]?)#[\w.:-]+\1\s*\))*$/i;

/** A value that could reach outside the file: a url() to anything but `#id`, or a CSS escape that may spell one. */
const reachesOut = (value: string): boolean =>
  value.includes('\\') || /url\s*\(/i.test(value.replace(LOCAL_URL, ''));

function keptAttributes(tag: string, attributes: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'href' || name === 'xlink:href') {
      if (LOCAL_REFERENCE.test(value) || (tag === 'image' && EMBEDDED_RASTER.test(value))) kept[name] = value;
    } else if (name === 'style' || !reachesOut(value)) {
      // A style is checked declaration by declaration (allowedStyles): only the one that reaches out goes.
      kept[name] = value;
    }
  }
  if (tag === 'svg') {
    kept.xmlns = SVG_NS;
    kept['xmlns:xlink'] = XLINK_NS;
  }
  return kept;
}

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: TAGS,
  allowedAttributes: { '*': ATTRIBUTES },
  allowedStyles: { '*': Object.fromEntries(PRESENTATION.map((property) => [property, [SAFE_STYLE_VALUE]])) },
  nonTextTags: DROPPED_WITH_CONTENT,
  // Checked again by sanitize-html after keptAttributes: only `#id`, and embedded pictures on <image>.
  allowedSchemes: [],
  allowedSchemesByTag: { image: ['data'] },
  allowedSchemesAppliedToAttributes: ['href', 'xlink:href'],
  allowProtocolRelative: false,
  transformTags: { '*': (tagName, attribs) => ({ tagName, attribs: keptAttributes(tagName, attribs) }) },
  parser: { xmlMode: true },
};

/**
 * The drawing of `svg` (text starting at its root `<svg`) and nothing else, or null when no `<svg>` element is left.
 * Text after the last `</svg>` is dropped; whether what is left is one well-formed drawing is told by drawing it
 * (logo-file.ts).
 */
export function sanitiseSvg(svg: string): string | null {
  const clean = sanitizeHtml(svg, OPTIONS);
  const end = clean.lastIndexOf('</svg>');
  return clean.startsWith('<svg') && end > 0 ? clean.slice(0, end + '</svg>'.length) : null;
}
