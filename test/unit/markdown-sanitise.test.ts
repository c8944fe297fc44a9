import { readFileSync } from 'node:fs';
import sanitizeHtml from 'sanitize-html';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/web/markdown.js';

// What rendered Markdown may contain. Event handlers, style, srcdoc, formaction and the like are absent by design.
const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  p: [],
  br: [],
  hr: [],
  h2: [],
  h3: [],
  h4: [],
  strong: [],
  em: [],
  b: [],
  i: [],
  u: [],
  s: [],
  blockquote: [],
  ol: ['start'],
  ul: [],
  li: [],
  a: ['href', 'title', 'rel'],
  code: [],
  pre: [],
  table: [],
  thead: [],
  tbody: [],
  tr: [],
  th: ['scope'],
  td: [],
};
const ALLOWED_TAGS = Object.keys(ALLOWED_ATTRIBUTES);
const SAFE_SCHEMES = ['http', 'https', 'mailto'];

interface Element {
  name: string;
  attribs: Record<string, string>;
}

/** Every element of html, as an HTML parser sees it: names lowercased, attribute values with entities decoded. */
function elementsIn(html: string): Element[] {
  const elements: Element[] = [];
  // sanitize-html reports each opening tag from its parser (htmlparser2) before filtering anything, so here it is
  // only a tag walker: its output is not used. It filters the attributes object it reported afterwards: copy it.
  sanitizeHtml(html, { onOpenTag: (name, attribs) => elements.push({ name, attribs: { ...attribs } }) });
  return elements;
}

/** The scheme a browser would follow for url, or null for a relative URL. */
function schemeOf(url: string): string | null {
  // Browsers drop control characters and spaces around a URL and tabs and newlines inside it; drop them all.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const bare = url.replace(/[\u0000-\u0020\u007f]/g, '').toLowerCase();
  return /^([a-z][a-z0-9+.-]*):/.exec(bare)?.[1] ?? null;
}

function expectSafe(html: string): void {
  expect(html).not.toMatch(/<script/i);
  // Whatever a parser makes of the context, a browser opens a tag at every '<' before a letter: each must be allowed.
  // Comments, doctypes, CDATA and processing instructions ('<!', '<?') have no business here either.
  for (const [, name = ''] of html.matchAll(/<\/?([a-z][^\s/>]*)/gi)) {
    expect(ALLOWED_TAGS).toContain(name.toLowerCase());
  }
  expect(html).not.toMatch(/<[!?]/);

  for (const { name, attribs } of elementsIn(html)) {
    expect(ALLOWED_TAGS).toContain(name);
    for (const [attribute, value] of Object.entries(attribs)) {
      expect(ALLOWED_ATTRIBUTES[name]).toContain(attribute);
      if (attribute === 'href' || attribute === 'src') {
        const scheme = schemeOf(value);
        if (scheme !== null) expect(SAFE_SCHEMES).toContain(scheme);
      }
    }
  }
}

describe('renderMarkdown against XSS', () => {
  it.each([
    ['<script>alert(1)</script>'],
    ['<SCRIPT SRC=https://evil.example/x.js></SCRIPT>'],
    ['<img src=x onerror=alert(1)>'],
    ['<svg onload=alert(1)><circle r="1"/></svg>'],
    ['<svg><style><img src=x onerror=alert(1)></style></svg>'],
    ['<iframe src="https://evil.example"></iframe>'],
    ['<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>'],
    ['<object data="javascript:alert(1)"></object>'],
    ['<embed src="javascript:alert(1)">'],
    ['<style>body{background:url(javascript:alert(1))}</style>'],
    ['<div style="background:url(javascript:alert(1))">x</div>'],
    ['<form action="https://evil.example"><button formaction="javascript:alert(1)">x</button></form>'],
    ['<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>'],
    [
      '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;/mglyph&gt;&lt;img&Tab;src=1&Tab;onerror=alert(1)&gt;">',
    ],
    ['<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'],
    ['<details open ontoggle=alert(1)>x</details>'],
    ['<p onclick="alert(1)">x</p>'],
    ['<!-- <img src=x onerror=alert(1)> -->'],
    ['<!--><img src=x onerror=alert(1)>-->'],
    ['<base href="https://evil.example/">'],
    ['<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'],
    ['<link rel="import" href="https://evil.example/x.html">'],
    ['<a href="javascript:alert(1)">x</a>'],
    ['<a href="&#106;avascript:alert(1)">x</a>'],
    ['<a href=" jav&#x0A;ascript:alert(1)">x</a>'],
    ['<a href="https://a.example" title="&quot; onmouseover=alert(1)">x</a>'],
    ['[x](javascript:alert(1))'],
    ['[x](JaVaScRiPt:alert(1))'],
    ['[x](java&#x09;script:alert(1))'],
    ['[x](&#x6A;avascript:alert(1))'],
    ['[x](javascript&colon;alert(1))'],
    ['[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['[x](vbscript:msgbox(1))'],
    ['![x](javascript:alert(1))'],
    ['![x](https://evil.example/track.png)'],
    ['[x][ref]\n\n[ref]: javascript:alert(1)'],
    ['<javascript:alert(1)>'],
    ['[x](https://a.example "a\\" onmouseover=\\"alert(1)")'],
    ['```\n<script>alert(1)</script>\n```'],
  ])('%s renders harmless', (markdown) => {
    expectSafe(renderMarkdown(markdown));
  });

  it('keeps a quote in a link title inside the title', () => {
    const [link] = elementsIn(renderMarkdown('[x](https://a.example "a\\" onmouseover=\\"alert(1)")')).filter(
      (element) => element.name === 'a',
    );
    expect(link?.attribs).toEqual({
      href: 'https://a.example',
      title: 'a" onmouseover="alert(1)',
      rel: 'noopener noreferrer nofollow',
    });
  });
});

describe('renderMarkdown content', () => {
  const POST = [
    '# Pedoman Netralitas',
    '## Larangan',
    '- **Dilarang** ikut kampanye',
    '- *Dilarang* memasang atribut partai',
    '3. Lapor ke atasan',
    '4. Lapor ke Bawaslu',
    '| Tahapan | Tanggal |\n|---|---|\n| Pemungutan suara | 14 Februari 2024 |',
    'Lihat [situs KPU](https://www.kpu.go.id/ "KPU RI") atau surel <jdih@jatengprov.go.id>.',
  ].join('\n\n');

  it('keeps structure, with a Markdown h1 as a section heading', () => {
    const html = renderMarkdown(POST);
    expectSafe(html);
    const names = elementsIn(html).map((element) => element.name);
    expect(names).not.toContain('h1');
    expect(names).toEqual(
      expect.arrayContaining(['h2', 'ul', 'ol', 'li', 'strong', 'em', 'table', 'thead', 'tbody', 'th', 'td']),
    );
    expect(html).toContain('<h2>Pedoman Netralitas</h2>');
    expect(html).toContain('<ol start="3">');
    expect(html).toContain('<td>Pemungutan suara</td>');
  });

  it('keeps http(s) and mailto links, marked as leaving the site', () => {
    const links = elementsIn(renderMarkdown(POST)).filter((element) => element.name === 'a');
    expect(links.map((link) => link.attribs)).toEqual([
      { href: 'https://www.kpu.go.id/', title: 'KPU RI', rel: 'noopener noreferrer nofollow' },
      { href: 'mailto:jdih@jatengprov.go.id', rel: 'noopener noreferrer nofollow' },
    ]);
  });

  it('renders a real news post with its paragraphs and quotes', () => {
    const text = readFileSync(
      new URL('../fixtures/berita-jdih-jateng-2023-11-21.txt', import.meta.url),
      'utf8',
    );
    const html = renderMarkdown(text);
    expectSafe(html);
    for (const opening of [
      'Gedung A Lantai 5, Jalan Pahlawan No.9',
      'Semarang, 21 November 2023 bertempat',
      'Dijelaskan Ada 4 indikator',
      'Selain itu Penyediaan dana hibah',
      'Dari 35 Kab/Kota',
      'Berdasarkan IKP Bawaslu Jateng',
      'Selain itu Strategi menjaga',
      'Untuk menghadapi pesta demokrasi',
    ]) {
      expect(html).toContain(`<p>${opening}`);
    }
    expect(html).toContain('Dengan Tema “Pembahasan Tahapan Pelaksanaan Pemilu Serentak 2024”');
    expect(html).toContain('(Kota Semarang, Kab. Sukoharjo, Purworejo');
  });
});
