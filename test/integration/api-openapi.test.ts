import { sql } from 'kysely';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { recordUnitAgreement } from '../../src/agreements/record-unit-agreement.js';
import { changeAgreementStatus, createAgreement } from '../../src/agreements/save-agreement.js';
import type { OpenApiDocument, Reference, ResponseObject, SchemaObject } from '../../src/api/openapi.js';
import { systemActor } from '../../src/audit/record-event.js';
import { voidSignature } from '../../src/pledges/receipts/void-signature.js';
import { checkScan } from '../../src/scans/scan-file.js';
import { browser, fetchCsrfToken } from '../helpers/http.js';
import { makePact, signAs } from '../helpers/pacts.js';
import { dropTriggers } from '../helpers/tamper.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const VERIFY_LIMIT = 40;

type Answer = request.Response;

/** A `$ref` of the document resolved in its components; anything else as it is. */
function resolve<T>(doc: OpenApiDocument, item: T | Reference): T {
  if (!item || typeof item !== 'object' || !('$ref' in item)) return item as T;
  const [, , kind, name] = item.$ref.split('/') as [
    string,
    string,
    keyof OpenApiDocument['components'],
    string,
  ];
  const found = doc.components[kind][name];
  if (!found) throw new Error(`${item.$ref} is not in the document`);
  return found as T;
}

/** Every object that lists its properties, made to refuse others (the document leaves them open). */
function closeObjects(node: unknown): void {
  if (!node || typeof node !== 'object') return;
  const schema = node as Record<string, unknown>;
  if (schema.properties && schema.additionalProperties === undefined) schema.additionalProperties = false;
  for (const value of Object.values(schema)) closeObjects(value);
}

/**
 * The document's own JSON Schema for a body, as a validator: its references into `components/schemas` pointed at
 * `definitions` beside it and read with `z.fromJSONSchema` as OpenAPI 3.0 (`nullable`). `closed` also refuses
 * properties the document does not name, so that a body cannot carry an undocumented field either.
 */
function validator(doc: OpenApiDocument, schema: SchemaObject | Reference, closed = false): z.ZodType {
  const text = JSON.stringify({ ...schema, definitions: doc.components.schemas });
  const standalone = JSON.parse(text.replaceAll('"#/components/schemas/', '"#/definitions/')) as SchemaObject;
  if (closed) closeObjects(standalone);
  return z.fromJSONSchema(standalone, { defaultTarget: 'openapi-3.0' });
}

function problems(check: z.ZodType, value: unknown): string[] {
  const result = check.safeParse(value);
  return result.success
    ? []
    : result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
}

/** Each documented answer of each path: its JSON content's schema and example, and the headers it names. */
function documentedAnswers(doc: OpenApiDocument) {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item.get.responses).map(([status, response]) => {
      const resolved = resolve<ResponseObject>(doc, response);
      return {
        path,
        status,
        json: resolved.content?.['application/json'],
        headers: Object.keys(resolved.headers ?? {}),
      };
    }),
  );
}

describe('the OpenAPI document, checked against real answers', () => {
  let t: TestApp;
  let doc: OpenApiDocument;

  beforeEach(async () => {
    t = await createTestApp({ BASE_URL: 'https://ikrar.uji.go.id', VERIFY_RATE_LIMIT: String(VERIFY_LIMIT) });
    const res = await request(t.app).get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    doc = JSON.parse(res.text) as OpenApiDocument;
  });
  afterEach(() => t.close());

  /**
   * Units with heads and one without, staff; heads, all-ASN, closed and draft pacts; a valid, a voided and two
   * tampered receipts.
   */
  async function data() {
    const kominfo = await t.make.unit({ code: 'DISKOMINFO', name: 'Dinas Komunikasi dan Informatika' });
    const bappeda = await t.make.unit({
      code: 'BAPPEDA',
      name: 'Badan Perencanaan Pembangunan Daerah',
      kind: 'badan',
    });
    const empty = await t.make.unit({ code: 'KOSONG', name: 'Biro Tanpa Kepala', kind: 'biro' });
    const kepala1 = await t.make.user({
      fullName: 'Bambang Setiawan',
      email: 'bambang@uji.test',
      unitId: kominfo.id,
    });
    const kepala2 = await t.make.user({
      fullName: 'Siti Rahmawati',
      email: 'siti@uji.test',
      unitId: bappeda.id,
    });
    await t.services.units.setHead(kominfo.id, kepala1.id, t.clock.now());
    await t.services.units.setHead(bappeda.id, kepala2.id, t.clock.now());
    const dewi = await t.make.user({ fullName: 'Dewi Lestari', email: 'dewi@uji.test', unitId: kominfo.id });
    const agus = await t.make.user({ fullName: 'Agus Prasetyo', email: 'agus@uji.test', unitId: bappeda.id });
    await t.make.user({ fullName: 'Rina Handayani', email: 'rina@uji.test', unitId: empty.id });
    const heads = await makePact(t.services, { audience: 'heads', title: 'Pakta Kepala OPD' });
    const all = await makePact(t.services, { audience: 'all', title: 'Pakta Seluruh ASN' });
    const closed = await makePact(t.services, { audience: 'all', title: 'Pakta Lama', status: 'closed' });
    const draft = await makePact(t.services, { status: 'draft', title: 'Pakta Draf' });
    const admin = await t.make.user({ role: 'admin', email: 'admin@uji.test', nip: null });

    const valid = await signAs(t.services, heads, kepala1);
    const voided = await signAs(t.services, all, dewi);
    const voiding = await voidSignature(t.services, {
      receiptCode: voided,
      reason: 'Ditandatangani oleh orang yang salah.',
      actor: { userId: admin.id, ip: null, userAgent: null },
    });
    expect(voiding.ok).toBe(true);
    // Changed after the fact by someone with the database file: 'unverified', once with and once without its entry.
    const renamed = await signAs(t.services, all, agus);
    const unrecorded = await signAs(t.services, all, kepala2);
    await dropTriggers(t.db, ['signatures_anonymised_once', 'signatures_ledger_seq_once']);
    await sql`UPDATE signatures SET full_name = 'Orang Lain' WHERE receipt_code = ${renamed}`.execute(t.db.q);
    await sql`UPDATE signatures SET ledger_seq = NULL WHERE receipt_code = ${unrecorded}`.execute(t.db.q);
    return {
      heads,
      all,
      closed,
      draft,
      receipts: { valid, voided, renamed, unrecorded },
      agreements: await agreements(),
    };
  }

  /** Unit agreements: one open (a kabupaten signed, a kota not yet) and a draft. */
  async function agreements() {
    const kabupaten = await t.make.unit({ code: '33.01', name: 'Kabupaten Cilacap', kind: 'kabupaten' });
    await t.make.unit({ code: '33.74', name: 'Kota Semarang', kind: 'kota' });
    const make = async (title: string) => {
      const made = await createAgreement(t.services, {
        actor: systemActor,
        fields: { title, description: '', scope: 'kabkota', parentUnitId: null, deadlineOn: '2023-11-10' },
      });
      if (!made.ok) throw new Error('agreement not made');
      return made.agreementId;
    };
    const open = await make('Penandatanganan NPHD Pilkada Serentak 2024');
    const scan = await checkScan(
      Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
      'nphd.pdf',
    );
    if (!scan.ok) throw new Error('scan refused');
    const recorded = await recordUnitAgreement(t.services, {
      agreementId: open,
      unitId: kabupaten.id,
      input: {
        status: 'signed',
        signedOn: '2023-11-08',
        documentNumber: '900/1035/XI/2023',
        parties: 'KPU Kabupaten Cilacap; Bawaslu Kabupaten Cilacap',
        note: null,
      },
      scan,
      actor: systemActor,
    });
    expect(recorded.ok).toBe(true);
    expect(
      (await changeAgreementStatus(t.services, { agreementId: open, status: 'open', actor: systemActor })).ok,
    ).toBe(true);
    return { open, draft: await make('Draf kesepakatan') };
  }

  it('gives every documented answer of every path its status, headers and a body valid against the document', async () => {
    const answers: { path: string; status: string; label: string; res: Answer }[] = [];
    const ask = async (path: string, label: string, res: Answer | Promise<Answer>) => {
      const answer = await res;
      answers.push({ path, status: String(answer.status), label, res: answer });
      return answer;
    };
    const get = (url: string) => request(t.app).get(url);
    const P = {
      pacts: '/api/v1/pacts',
      compliance: '/api/v1/pacts/{id}/compliance',
      verify: '/api/v1/verify/{code}',
      ledgerHead: '/api/v1/ledger/head',
      seal: '/api/v1/seal',
      agreements: '/api/v1/agreements',
      agreement: '/api/v1/agreements/{id}',
    };
    const compliance = (id: number | string) => `/api/v1/pacts/${id}/compliance`;
    const agreement = (id: number | string) => `/api/v1/agreements/${id}`;
    const verify = (code: string) => `/api/v1/verify/${code}`;

    // An empty database: no pact open, the ledger at genesis.
    await ask(P.pacts, 'no pact open', get('/api/v1/pacts'));
    await ask(P.ledgerHead, 'empty ledger', get('/api/v1/ledger/head'));
    await ask(P.seal, 'the certificate made on first use', get('/api/v1/seal'));
    await ask(P.compliance, 'no pact at all', get(compliance(1)));
    await ask(P.verify, 'no receipt at all', get(verify('K7QM-3XRT-9WDP-HF2C')));
    await ask(P.agreements, 'no agreement published', get('/api/v1/agreements'));

    const d = await data();
    const list = await ask(P.pacts, 'two open pacts', get('/api/v1/pacts'));
    expect(list.body.pacts).toHaveLength(2);
    await ask(P.pacts, 'unchanged', get('/api/v1/pacts').set('If-None-Match', list.headers.etag as string));
    for (const pact of [d.heads, d.all, d.closed]) {
      const ok = await ask(P.compliance, `${pact.audience} ${pact.status}`, get(compliance(pact.id)));
      await ask(
        P.compliance,
        'unchanged',
        get(compliance(pact.id)).set('If-None-Match', ok.headers.etag as string),
      );
    }
    for (const id of [d.draft.id, 999_999, `0${d.heads.id}`]) {
      await ask(P.compliance, `id ${id}`, get(compliance(id)));
    }

    const agreements = await ask(P.agreements, 'one open', get('/api/v1/agreements'));
    expect(agreements.body.agreements).toHaveLength(1);
    await ask(
      P.agreements,
      'unchanged',
      get('/api/v1/agreements').set('If-None-Match', agreements.headers.etag as string),
    );
    const oneAgreement = await ask(P.agreement, 'open', get(agreement(d.agreements.open)));
    expect(oneAgreement.body).toMatchObject({ total: 2, signed: 1 });
    await ask(
      P.agreement,
      'unchanged',
      get(agreement(d.agreements.open)).set('If-None-Match', oneAgreement.headers.etag as string),
    );
    for (const id of [d.agreements.draft, 999_999, `0${d.agreements.open}`]) {
      await ask(P.agreement, `id ${id}`, get(agreement(id)));
    }

    const statuses: Record<string, string> = {};
    for (const [label, code] of Object.entries(d.receipts)) {
      statuses[label] = (await ask(P.verify, label, get(verify(code)))).body.status;
    }
    expect(statuses).toEqual({
      valid: 'valid',
      voided: 'voided',
      renamed: 'unverified',
      unrecorded: 'unverified',
    });
    await ask(P.verify, 'typed in lower case without dashes', get(verify(d.receipts.valid.toLowerCase())));
    await ask(P.verify, 'unknown code', get(verify('K7QM-3XRT-9WDP-HF2D')));
    await ask(P.verify, 'not a code', get(verify('bukan-kode')));
    const head = await ask(P.ledgerHead, 'four signings and a void', get('/api/v1/ledger/head'));
    expect(head.body.seq).toBe(5);

    // Other methods, from a browser whose CSRF token gets the request past the site-wide check to the API.
    const agent = browser(t.app);
    const token = await fetchCsrfToken(agent, '/masuk');
    for (const [path, url] of [
      [P.pacts, '/api/v1/pacts'],
      [P.compliance, compliance(d.heads.id)],
      [P.verify, verify(d.receipts.valid)],
      [P.ledgerHead, '/api/v1/ledger/head'],
      [P.seal, '/api/v1/seal'],
      [P.agreements, '/api/v1/agreements'],
      [P.agreement, agreement(d.agreements.open)],
    ] as const) {
      await ask(path, 'POST', agent.post(url).set('x-csrf-token', token).send({}));
    }

    // Last, the rate limits: the verification limit is VERIFY_LIMIT here; the compliance endpoints share 300.
    const untilLimited = async (url: string) => {
      for (let i = 0; i < 400 && (await request(t.app).head(url)).status !== 429; i += 1);
    };
    await untilLimited(verify(d.receipts.valid));
    await ask(P.verify, 'over the limit', get(verify(d.receipts.valid)));
    await untilLimited('/api/v1/pacts');
    await ask(P.pacts, 'over the limit', get('/api/v1/pacts'));
    await ask(P.compliance, 'over the limit', get(compliance(d.heads.id)));
    await ask(P.agreements, 'over the limit', get('/api/v1/agreements'));
    await ask(P.agreement, 'over the limit', get(agreement(d.agreements.open)));

    const documented = documentedAnswers(doc);
    // Every answer the document gives was met, and no answer came that it does not give.
    const key = (a: { path: string; status: string }) => `${a.status} ${a.path}`;
    expect([...new Set(answers.map(key))].sort()).toEqual(documented.map(key).sort());

    for (const answer of answers) {
      const what = `${answer.status} ${answer.path} (${answer.label})`;
      const spec = documented.find((a) => key(a) === key(answer));
      if (!spec) throw new Error(`undocumented: ${what}`);
      for (const name of spec.headers) {
        expect(answer.res.headers[name.toLowerCase()], `${what}: ${name}`).toBeDefined();
      }
      if (!spec.json) {
        expect(answer.res.text ?? '', what).toBe('');
        continue;
      }
      expect(answer.res.headers['content-type'], what).toMatch(/^application\/json/);
      expect(problems(validator(doc, spec.json.schema), answer.res.body), what).toEqual([]);
      expect(problems(validator(doc, spec.json.schema, true), answer.res.body), `${what}, closed`).toEqual(
        [],
      );
    }
  });

  it('refuses, with the same validator, bodies that break the document', async () => {
    const pact = await makePact(t.services, { audience: 'all' });
    const body = (await request(t.app).get(`/api/v1/pacts/${pact.id}/compliance`)).body;
    const schema = doc.paths['/api/v1/pacts/{id}/compliance']?.get.responses['200'] as ResponseObject;
    const published = validator(doc, schema.content?.['application/json']?.schema as Reference);
    const closed = validator(doc, schema.content?.['application/json']?.schema as Reference, true);
    expect(problems(published, body)).toEqual([]);

    const broken = (change: (copy: typeof body) => void) => {
      const copy = structuredClone(body);
      change(copy);
      return copy;
    };
    const breaks: Record<string, (b: typeof body) => void> = {
      'no links': (b) => delete b.links,
      'percent over 100': (b) => (b.percent = 101),
      'a fraction of a person': (b) => (b.required = 1.5),
      'a status the API never gives': (b) => (b.pact.status = 'draft'),
      'a time that is not one': (b) => (b.pact.opensAt = 'kemarin'),
      'a missing link': (b) => (b.links.page = null),
      'a unit without its numbers': (b) => (b.units = [{ head: null }]),
    };
    for (const [what, change] of Object.entries(breaks)) {
      expect(problems(published, broken(change)), what).not.toEqual([]);
    }
    // A field the document does not name: allowed by the published (open) schema, caught by the closed one.
    const withEmail = broken((b) => (b.email = 'x@uji.test'));
    expect(problems(published, withEmail)).toEqual([]);
    expect(problems(closed, withEmail)).not.toEqual([]);
  });

  it('has examples that match their own schemas and descriptions that were all translated', () => {
    const checked: string[] = [];
    for (const answer of documentedAnswers(doc)) {
      if (!answer.json) continue;
      const what = `${answer.status} ${answer.path}`;
      expect(answer.json.example, what).toBeDefined();
      expect(problems(validator(doc, answer.json.schema, true), answer.json.example), what).toEqual([]);
      checked.push(what);
    }
    expect(checked.length).toBeGreaterThan(10);
    for (const [name, parameter] of Object.entries(doc.components.parameters)) {
      if (parameter.example === undefined) continue;
      expect(problems(validator(doc, parameter.schema), parameter.example), name).toEqual([]);
    }

    // A key the catalogue lacks would come out as the key itself.
    const descriptions = [...JSON.stringify(doc).matchAll(/"description":"([^"]*)"/g)].map((m) => m[1]);
    expect(descriptions.length).toBeGreaterThan(40);
    for (const text of descriptions) expect(text).not.toMatch(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/);
  });
});
