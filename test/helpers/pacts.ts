import type { Stream } from 'node:stream';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { systemActor } from '../../src/audit/record-event.js';
import { closePact } from '../../src/pledges/close-pact.js';
import { createPact } from '../../src/pledges/create-pact.js';
import { openPact } from '../../src/pledges/open-pact.js';
import type { Audience, Pact } from '../../src/pledges/types.js';
import type { Services } from '../../src/services.js';
import { type Agent, csrfTokenFrom, fetchCsrfToken } from './http.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const PACT_BODY = `Dalam rangka menjaga **netralitas** Aparatur Sipil Negara, saya menyatakan bahwa saya:

1. Menjaga prinsip netralitas ASN sebelum, selama dan sesudah pemilihan.
2. Tidak memihak kepada calon tertentu.
3. Menolak politik uang dan segala jenis pemberian.
`;

let pactCounter = 0;

/**
 * A pact built through the real operations (createPact, openPact, closePact) as the system actor. Defaults: open,
 * for every ASN in every unit, opened an hour ago, deadline in 7 days.
 */
export function makePact(
  services: Services,
  options: {
    audience?: Audience;
    unitIds?: number[];
    status?: 'draft' | 'open' | 'closed';
    opensAt?: Date;
    deadline?: Date;
    title?: string;
    body?: string;
    place?: string;
  } = {},
): Pact {
  pactCounter += 1;
  const now = services.clock.now();
  const created = createPact(services, {
    input: {
      title: options.title ?? `Pakta Integritas Netralitas ASN Uji ${pactCounter}`,
      body: options.body ?? PACT_BODY,
      place: options.place ?? 'Semarang',
      audience: options.audience ?? 'all',
      opensAt: options.opensAt ?? new Date(now.getTime() - HOUR),
      deadline: options.deadline ?? new Date(now.getTime() + 7 * DAY),
      unitIds: options.unitIds ?? [],
    },
    actor: systemActor,
  });
  if (!created.ok) throw new Error(`makePact: ${JSON.stringify(created.errors)}`);
  const status = options.status ?? 'open';
  if (status !== 'draft') {
    const opened = openPact(services, { pactId: created.pactId, actor: systemActor });
    if (!opened.ok) throw new Error(`makePact: cannot open (${opened.reason})`);
  }
  if (status === 'closed') {
    const closed = closePact(services, { pactId: created.pactId, actor: systemActor });
    if (!closed.ok) throw new Error(`makePact: cannot close (${closed.reason})`);
  }
  return services.pacts.findById(created.pactId) as Pact;
}

/**
 * Signs as a person would: opens /pakta/:id, takes the form's CSRF token and posts /pakta/:id/tanda-tangan with
 * `fields` (consent, full_name, signature, password …). When the page shows no form (403, 404, a closed pact),
 * the token comes from /akun so that the POST still reaches the signing route.
 */
export async function signThroughForm(agent: Agent, pactId: number | string, fields: Record<string, string>) {
  const page = await agent.get(`/pakta/${pactId}`);
  let token: string;
  try {
    token = csrfTokenFrom(page.text);
  } catch {
    token = await fetchCsrfToken(agent, '/akun');
  }
  return agent
    .post(`/pakta/${pactId}/tanda-tangan`)
    .type('form')
    .send({ _csrf: token, ...fields });
}

/**
 * A urlencoded body as a browser sends it: a list value repeats its name (`unit_ids=1&unit_ids=2`), which the
 * default serialiser of supertest would write as `unit_ids[0]=1` instead.
 */
export function formBody(fields: Record<string, string | readonly string[]>): string {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const one of typeof value === 'string' ? [value] : value) body.append(name, one);
  }
  return body.toString();
}

/** Posts a form with a CSRF token taken from `formPage` (the agent keeps the session cookie). */
export async function postForm(
  agent: Agent,
  formPage: string,
  path: string,
  fields: Record<string, string | readonly string[]> = {},
) {
  const token = await fetchCsrfToken(agent, formPage);
  return agent
    .post(path)
    .type('form')
    .send(formBody({ _csrf: token, ...fields }));
}

// --- Drawn signatures --------------------------------------------------------------------------------------

/** A PNG like the signature pad makes: transparent, with a dark wave drawn across unless `blank`. */
export function signaturePng(options: { width?: number; height?: number; blank?: boolean } = {}): Buffer {
  const width = options.width ?? 300;
  const height = options.height ?? 100;
  const png = new PNG({ width, height });
  png.data.fill(0);
  if (!options.blank) {
    for (let x = 10; x < Math.min(width - 10, 290); x += 1) {
      const y = Math.round(height / 2 + (height / 4) * Math.sin(x / 15));
      for (let dy = -1; dy <= 1; dy += 1) {
        const i = ((y + dy) * width + x) * 4;
        png.data[i] = 20;
        png.data[i + 1] = 20;
        png.data[i + 2] = 80;
        png.data[i + 3] = 255;
      }
    }
  }
  return PNG.sync.write(png);
}

export const pngDataUrl = (png: Buffer): string => `data:image/png;base64,${png.toString('base64')}`;

// --- Receipt QR code ---------------------------------------------------------------------------------------

/** The text of the QR code in the receipt page's `<img class="receipt-qr" src="data:image/png;base64,…">`. */
export function receiptQrText(html: string): string | null {
  const src = /<img class="receipt-qr" src="data:image\/png;base64,([A-Za-z0-9+/=]+)"/.exec(html)?.[1];
  if (!src) return null;
  const image = PNG.sync.read(Buffer.from(src, 'base64'));
  const decode = jsQR as unknown as (
    data: Uint8ClampedArray,
    width: number,
    height: number,
  ) => { data: string } | null;
  return decode(new Uint8ClampedArray(image.data), image.width, image.height)?.data ?? null;
}

// --- Reading a pdfkit PDF back (uncompressed content streams, built-in fonts) ------------------------------
// The same small reader as test/unit/receipt-pdf.test.ts: pdfkit writes text as hex glyph strings in TJ arrays.

// WinAnsiEncoding is Latin-1 except for 0x80–0x9f.
const WIN_ANSI_HIGH = '€\ufffd‚ƒ„…†‡ˆ‰Š‹Œ\ufffdŽ\ufffd\ufffd‘’“”•–—˜™š›œ\ufffdžŸ';

const decodeWinAnsi = (bytes: Buffer): string =>
  [...bytes]
    .map((b) => (b >= 0x80 && b <= 0x9f ? (WIN_ANSI_HIGH[b - 0x80] ?? '') : String.fromCharCode(b)))
    .join('');

function pdfObjects(pdf: Buffer): Map<number, string> {
  const map = new Map<number, string>();
  for (const m of pdf.toString('latin1').matchAll(/(\d+) 0 obj\n([\s\S]*?)\nendobj/g)) {
    map.set(Number(m[1]), m[2] ?? '');
  }
  return map;
}

function linesOfContent(content: string): string[] {
  const lines: { y: number; text: string }[] = [];
  let current: { y: number; text: string } | undefined;
  for (const m of content.matchAll(/1 0 0 1 \S+ (\S+) Tm|\[([^\]]*)\] TJ/g)) {
    if (m[1] !== undefined) {
      const y = Number(m[1]);
      if (current?.y === y) current.text += ' ';
      else {
        current = { y, text: '' };
        lines.push(current);
      }
      continue;
    }
    for (const part of (m[2] ?? '').matchAll(/<([0-9a-fA-F]*)>|(-?\d+(?:\.\d+)?)/g)) {
      if (!current) continue;
      if (part[1] !== undefined) current.text += decodeWinAnsi(Buffer.from(part[1], 'hex'));
      else if (Number(part[2]) <= -200) current.text += ' ';
    }
  }
  return lines.map((line) => line.text);
}

/** Every page's text in reading order, whitespace squashed to single spaces. */
export function pdfText(pdf: Buffer): string {
  const objs = pdfObjects(pdf);
  const pages = [...objs.values()].find((o) => /\/Type \/Pages\b/.test(o)) ?? '';
  const kids = [...(/\/Kids \[([^\]]*)\]/.exec(pages)?.[1] ?? '').matchAll(/(\d+) 0 R/g)];
  const text = kids
    .map((kid) => {
      const page = objs.get(Number(kid[1])) ?? '';
      const contents = /\/Contents (\d+) 0 R/.exec(page)?.[1];
      return linesOfContent(objs.get(Number(contents)) ?? '').join('\n');
    })
    .join('\n');
  return text.replace(/\s+/g, ' ');
}

/** supertest: keep a binary response body as a Buffer (`.buffer(true).parse(binaryParser)`). */
export function binaryParser(res: Stream, callback: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
  res.on('error', (err: Error) => callback(err, Buffer.concat(chunks)));
}
