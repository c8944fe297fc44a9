import type { Stream } from 'node:stream';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { systemActor } from '../../src/audit/record-event.js';
import type { User } from '../../src/directory/types.js';
import { closePact } from '../../src/pledges/pacts/close-pact.js';
import { createPact } from '../../src/pledges/pacts/create-pact.js';
import { openPact } from '../../src/pledges/pacts/open-pact.js';
import { signPact } from '../../src/pledges/signing/sign-pact.js';
import type { Audience, Pact } from '../../src/pledges/types.js';
import type { Services } from '../../src/services.js';
import { type Agent, csrfTokenFrom, fetchCsrfToken } from './http.js';

/** Signs a pact as this person through the operation (typed name, no drawing); returns the receipt code. */
export async function signAs(
  services: Services,
  pact: Pick<Pact, 'id' | 'title'>,
  user: Pick<User, 'id' | 'fullName'>,
): Promise<string> {
  const done = await signPact(services, {
    pactId: pact.id,
    userId: user.id,
    consent: true,
    typedName: user.fullName,
    signatureDataUrl: '',
    actor: { userId: user.id, ip: null, userAgent: null },
  });
  if (!done.ok) throw new Error(`${user.fullName} cannot sign ${pact.title}: ${done.reason}`);
  return done.receiptCode;
}

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
export async function makePact(
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
): Promise<Pact> {
  pactCounter += 1;
  const now = services.clock.now();
  const created = await createPact(services, {
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
    const opened = await openPact(services, { pactId: created.pactId, actor: systemActor });
    if (!opened.ok) throw new Error(`makePact: cannot open (${opened.reason})`);
  }
  if (status === 'closed') {
    const closed = await closePact(services, { pactId: created.pactId, actor: systemActor });
    if (!closed.ok) throw new Error(`makePact: cannot close (${closed.reason})`);
  }
  return (await services.pacts.findById(created.pactId)) as Pact;
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

/** The text of the first QR code in a PNG, or null. */
export function decodeQr(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  const decode = jsQR as unknown as (
    data: Uint8ClampedArray,
    width: number,
    height: number,
  ) => { data: string } | null;
  return decode(new Uint8ClampedArray(image.data), image.width, image.height)?.data ?? null;
}

/** The text of the QR code in the receipt page's `<img class="receipt-qr" src="data:image/png;base64,…">`. */
export function receiptQrText(html: string): string | null {
  const src = /<img class="receipt-qr" src="data:image\/png;base64,([A-Za-z0-9+/=]+)"/.exec(html)?.[1];
  return src ? decodeQr(Buffer.from(src, 'base64')) : null;
}

export { pdfText } from './pdf.js';

/** supertest: keep a binary response body as a Buffer (`.buffer(true).parse(binaryParser)`). */
export function binaryParser(res: Stream, callback: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
  res.on('error', (err: Error) => callback(err, Buffer.concat(chunks)));
}
