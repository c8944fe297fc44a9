import type { Translate } from '../web/i18n.js';
import type { ApiPactCompliance, ApiPactList } from './routes.js';

/** Every address of the JSON API, in Express syntax; the OpenAPI paths are these with `{name}` parameters. */
export const API_PATHS = {
  pacts: '/api/v1/pacts',
  compliance: '/api/v1/pacts/:id/compliance',
  verify: '/api/v1/verify/:code',
  ledgerHead: '/api/v1/ledger/head',
  openapi: '/api/v1/openapi.json',
  docs: '/api/v1/docs',
} as const;

const openApiPath = (path: string): string => path.replace(/:(\w+)/g, '{$1}');

// --- The subset of OpenAPI 3.0.3 this document uses --------------------------------------------------------

export interface Reference {
  $ref: string;
}

export interface SchemaObject {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  nullable?: boolean;
  enum?: readonly (string | number)[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, SchemaObject | Reference>;
  required?: readonly string[];
  items?: SchemaObject | Reference;
  allOf?: readonly (SchemaObject | Reference)[];
  additionalProperties?: boolean;
  example?: unknown;
}

export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description: string;
  schema: SchemaObject;
  example?: string | number;
}

export interface HeaderObject {
  description: string;
  schema: SchemaObject;
}

export interface MediaTypeObject {
  schema: SchemaObject | Reference;
  example?: unknown;
}

export interface ResponseObject {
  description: string;
  headers?: Record<string, HeaderObject | Reference>;
  content?: Record<string, MediaTypeObject>;
}

export interface OperationObject {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  parameters?: (ParameterObject | Reference)[];
  responses: Record<string, ResponseObject | Reference>;
}

export interface PathItemObject {
  get: OperationObject;
}

export interface OpenApiDocument {
  openapi: '3.0.3';
  info: { title: string; version: string; description: string };
  servers: { url: string; description: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, PathItemObject>;
  components: {
    schemas: Record<string, SchemaObject>;
    parameters: Record<string, ParameterObject>;
    headers: Record<string, HeaderObject>;
    responses: Record<string, ResponseObject>;
  };
}

// --- Examples (made-up people; NIPs masked as the API masks them) -----------------------------------------

const EXAMPLE_BASE = 'https://ikrar.example.go.id';

export const EXAMPLE_PACT_LIST: ApiPactList = {
  pacts: [
    {
      id: 2,
      title: 'Pakta Integritas Netralitas Kepala OPD',
      version: 1,
      audience: 'heads',
      opensAt: '2023-09-26T01:00:00.000Z',
      deadline: '2023-10-31T16:59:59.000Z',
      required: 48,
      signed: 46,
      percent: 95.8,
      links: {
        compliance: `${EXAMPLE_BASE}/api/v1/pacts/2/compliance`,
        page: `${EXAMPLE_BASE}/kepatuhan/2`,
      },
    },
  ],
};

export const EXAMPLE_COMPLIANCE: ApiPactCompliance = {
  pact: {
    id: 2,
    title: 'Pakta Integritas Netralitas Kepala OPD',
    version: 1,
    audience: 'heads',
    status: 'open',
    opensAt: '2023-09-26T01:00:00.000Z',
    deadline: '2023-10-31T16:59:59.000Z',
    closedAt: null,
  },
  required: 48,
  signed: 46,
  percent: 95.8,
  units: [
    {
      unitId: 7,
      code: 'DISKOMINFO',
      name: 'Dinas Komunikasi dan Informatika',
      kind: 'dinas',
      required: 1,
      signed: 1,
      percent: 100,
      state: 'complete',
      head: {
        name: 'Bambang Setiawan',
        position: 'Kepala Dinas Komunikasi dan Informatika',
        nipMasked: '******** ****** * 003',
        signedAt: '2023-09-26T03:15:00.000Z',
      },
    },
    {
      unitId: 12,
      code: 'BAPPEDA',
      name: 'Badan Perencanaan Pembangunan Daerah',
      kind: 'badan',
      required: 1,
      signed: 0,
      percent: 0,
      state: 'none',
      head: {
        name: 'Siti Rahmawati',
        position: 'Kepala Badan Perencanaan Pembangunan Daerah',
        nipMasked: '******** ****** * 001',
        signedAt: null,
      },
    },
  ],
  links: {
    compliance: `${EXAMPLE_BASE}/api/v1/pacts/2/compliance`,
    page: `${EXAMPLE_BASE}/kepatuhan/2`,
  },
};

const EXAMPLE_RECEIPT = {
  code: 'K7QM-3XRT-9WDP-HF2C',
  status: 'valid',
  fullName: 'Bambang Setiawan',
  nipMasked: '******** ****** * 003',
  position: 'Kepala Dinas Komunikasi dan Informatika',
  unitName: 'Dinas Komunikasi dan Informatika',
  pact: { id: 2, title: 'Pakta Integritas Netralitas Kepala OPD', version: 1 },
  signedAt: '2023-09-26T03:15:00.000Z',
  voidedAt: null,
  ledger: {
    seq: 41,
    hash: '9f2c6a0d4be1c7f35a8e0b92d6417c3e58a1f0d29b7c4e6a13d85f2b0c9e7a64',
    matchesChain: true,
  },
};

const EXAMPLE_LEDGER_HEAD = {
  seq: 41,
  hash: '9f2c6a0d4be1c7f35a8e0b92d6417c3e58a1f0d29b7c4e6a13d85f2b0c9e7a64',
  at: '2023-09-26T03:15:00.000Z',
};

// --- The document ------------------------------------------------------------------------------------------

const ref = (kind: 'schemas' | 'parameters' | 'headers' | 'responses', name: string): Reference => ({
  $ref: `#/components/${kind}/${name}`,
});
const nullableRef = (name: string): SchemaObject => ({ allOf: [ref('schemas', name)], nullable: true });
const integer = (description?: string): SchemaObject => ({
  type: 'integer',
  minimum: 0,
  ...(description ? { description } : {}),
});
const dateTime = (description: string, nullable = false): SchemaObject => ({
  type: 'string',
  format: 'date-time',
  description,
  ...(nullable ? { nullable } : {}),
});
const json = (schema: SchemaObject | Reference, example?: unknown): Record<string, MediaTypeObject> => ({
  'application/json': example === undefined ? { schema } : { schema, example },
});

/** The OpenAPI 3.0.3 description of the public API, with Indonesian text from the catalogue. */
export function openApiDocument(options: { baseUrl: string; t: Translate }): OpenApiDocument {
  const { t } = options;
  const percent: SchemaObject = {
    type: 'number',
    minimum: 0,
    maximum: 100,
    nullable: true,
    description: t('api.schema.percent'),
  };
  const cachedHeaders = { ETag: ref('headers', 'ETag'), 'Cache-Control': ref('headers', 'CacheControl') };
  const errors = (...statuses: number[]) =>
    Object.fromEntries(statuses.map((status) => [String(status), ref('responses', `Error${status}`)]));

  return {
    openapi: '3.0.3',
    info: { title: t('api.spec.title'), version: '1.0.0', description: t('api.spec.description') },
    servers: [{ url: options.baseUrl, description: t('api.spec.server') }],
    tags: [
      { name: 'kepatuhan', description: t('api.tag.compliance') },
      { name: 'verifikasi', description: t('api.tag.verify') },
    ],
    paths: {
      [openApiPath(API_PATHS.pacts)]: {
        get: {
          operationId: 'listOpenPacts',
          summary: t('api.op.pacts.summary'),
          description: t('api.op.pacts.description'),
          tags: ['kepatuhan'],
          parameters: [ref('parameters', 'IfNoneMatch')],
          responses: {
            '200': {
              description: t('api.op.pacts.ok'),
              headers: cachedHeaders,
              content: json(ref('schemas', 'PactList'), EXAMPLE_PACT_LIST),
            },
            '304': ref('responses', 'NotModified'),
            ...errors(405, 429),
          },
        },
      },
      [openApiPath(API_PATHS.compliance)]: {
        get: {
          operationId: 'getPactCompliance',
          summary: t('api.op.compliance.summary'),
          description: t('api.op.compliance.description'),
          tags: ['kepatuhan'],
          parameters: [ref('parameters', 'PactId'), ref('parameters', 'IfNoneMatch')],
          responses: {
            '200': {
              description: t('api.op.compliance.ok'),
              headers: cachedHeaders,
              content: json(ref('schemas', 'PactCompliance'), EXAMPLE_COMPLIANCE),
            },
            '304': ref('responses', 'NotModified'),
            ...errors(404, 405, 429),
          },
        },
      },
      [openApiPath(API_PATHS.verify)]: {
        get: {
          operationId: 'verifyReceipt',
          summary: t('api.op.verify.summary'),
          description: t('api.op.verify.description'),
          tags: ['verifikasi'],
          parameters: [ref('parameters', 'ReceiptCode')],
          responses: {
            '200': {
              description: t('api.op.verify.ok'),
              content: json(ref('schemas', 'Receipt'), EXAMPLE_RECEIPT),
            },
            ...errors(404, 405, 429),
          },
        },
      },
      [openApiPath(API_PATHS.ledgerHead)]: {
        get: {
          operationId: 'getLedgerHead',
          summary: t('api.op.ledger_head.summary'),
          description: t('api.op.ledger_head.description'),
          tags: ['verifikasi'],
          responses: {
            '200': {
              description: t('api.op.ledger_head.ok'),
              content: json(ref('schemas', 'LedgerHead'), EXAMPLE_LEDGER_HEAD),
            },
            ...errors(405),
          },
        },
      },
    },
    components: {
      schemas: {
        Links: {
          type: 'object',
          required: ['compliance', 'page'],
          properties: {
            compliance: { type: 'string', format: 'uri', description: t('api.schema.link_compliance') },
            page: { type: 'string', format: 'uri', description: t('api.schema.link_page') },
          },
        },
        PactSummary: {
          type: 'object',
          required: [
            'id',
            'title',
            'version',
            'audience',
            'opensAt',
            'deadline',
            'required',
            'signed',
            'percent',
            'links',
          ],
          properties: {
            id: { type: 'integer', minimum: 1 },
            title: { type: 'string' },
            version: { type: 'integer', minimum: 1 },
            audience: { type: 'string', enum: ['heads', 'all'], description: t('api.schema.audience') },
            opensAt: dateTime(t('api.schema.opens_at')),
            deadline: dateTime(t('api.schema.deadline')),
            required: integer(t('api.schema.required')),
            signed: integer(t('api.schema.signed')),
            percent,
            links: ref('schemas', 'Links'),
          },
        },
        PactList: {
          type: 'object',
          required: ['pacts'],
          properties: { pacts: { type: 'array', items: ref('schemas', 'PactSummary') } },
        },
        UnitHead: {
          type: 'object',
          description: t('api.schema.head'),
          required: ['name', 'position', 'nipMasked', 'signedAt'],
          properties: {
            name: { type: 'string' },
            position: { type: 'string', nullable: true },
            nipMasked: { type: 'string', nullable: true, description: t('api.schema.nip_masked') },
            signedAt: dateTime(t('api.schema.signed_at'), true),
          },
        },
        UnitCompliance: {
          type: 'object',
          required: ['unitId', 'code', 'name', 'kind', 'required', 'signed', 'percent', 'state'],
          properties: {
            unitId: { type: 'integer', minimum: 1 },
            code: { type: 'string' },
            name: { type: 'string' },
            kind: { type: 'string', description: t('api.schema.kind') },
            required: integer(t('api.schema.required')),
            signed: integer(t('api.schema.signed')),
            percent,
            state: {
              type: 'string',
              enum: ['complete', 'partial', 'none', 'not_required'],
              description: t('api.schema.state'),
            },
            head: nullableRef('UnitHead'),
          },
        },
        PactCompliance: {
          type: 'object',
          required: ['pact', 'required', 'signed', 'percent', 'units', 'links'],
          properties: {
            pact: {
              type: 'object',
              required: ['id', 'title', 'version', 'audience', 'status', 'opensAt', 'deadline', 'closedAt'],
              properties: {
                id: { type: 'integer', minimum: 1 },
                title: { type: 'string' },
                version: { type: 'integer', minimum: 1 },
                audience: { type: 'string', enum: ['heads', 'all'], description: t('api.schema.audience') },
                status: { type: 'string', enum: ['open', 'closed'] },
                opensAt: dateTime(t('api.schema.opens_at')),
                deadline: dateTime(t('api.schema.deadline')),
                closedAt: dateTime(t('api.schema.closed_at'), true),
              },
            },
            required: integer(t('api.schema.required')),
            signed: integer(t('api.schema.signed')),
            percent,
            units: { type: 'array', items: ref('schemas', 'UnitCompliance') },
            links: ref('schemas', 'Links'),
          },
        },
        Receipt: {
          type: 'object',
          required: [
            'code',
            'status',
            'fullName',
            'nipMasked',
            'position',
            'unitName',
            'pact',
            'signedAt',
            'voidedAt',
            'ledger',
          ],
          properties: {
            code: { type: 'string', pattern: '^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$' },
            status: {
              type: 'string',
              enum: ['valid', 'voided', 'unverified'],
              description: t('api.schema.receipt_status'),
            },
            fullName: { type: 'string' },
            nipMasked: { type: 'string', nullable: true, description: t('api.schema.nip_masked') },
            position: { type: 'string' },
            unitName: { type: 'string' },
            pact: {
              type: 'object',
              required: ['id', 'title', 'version'],
              properties: {
                id: { type: 'integer', minimum: 1 },
                title: { type: 'string' },
                version: { type: 'integer', minimum: 1 },
              },
            },
            signedAt: dateTime(t('api.schema.signed_at')),
            voidedAt: dateTime(t('api.schema.voided_at'), true),
            ledger: {
              type: 'object',
              nullable: true,
              required: ['seq', 'hash', 'matchesChain'],
              properties: {
                seq: { type: 'integer', minimum: 1 },
                hash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
                matchesChain: { type: 'boolean' },
              },
            },
          },
        },
        LedgerHead: {
          type: 'object',
          required: ['seq', 'hash', 'at'],
          properties: {
            seq: integer(t('api.schema.ledger_seq')),
            hash: { type: 'string', pattern: '^[0-9a-f]{64}$', description: t('api.schema.ledger_hash') },
            at: dateTime(t('api.schema.ledger_at'), true),
          },
        },
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['status', 'message'],
              properties: {
                status: { type: 'integer', minimum: 400, maximum: 599 },
                message: { type: 'string', description: t('api.schema.error_message') },
              },
            },
          },
        },
      },
      parameters: {
        PactId: {
          name: 'id',
          in: 'path',
          required: true,
          description: t('api.param.pact_id'),
          schema: { type: 'string', pattern: '^[1-9][0-9]{0,14}$' },
          example: '2',
        },
        ReceiptCode: {
          name: 'code',
          in: 'path',
          required: true,
          description: t('api.param.receipt_code'),
          schema: { type: 'string' },
          example: 'K7QM-3XRT-9WDP-HF2C',
        },
        IfNoneMatch: {
          name: 'If-None-Match',
          in: 'header',
          required: false,
          description: t('api.param.if_none_match'),
          schema: { type: 'string' },
        },
      },
      headers: {
        ETag: { description: t('api.header.etag'), schema: { type: 'string' } },
        CacheControl: { description: t('api.header.cache_control'), schema: { type: 'string' } },
        Allow: { description: t('api.header.allow'), schema: { type: 'string' } },
      },
      responses: {
        NotModified: { description: t('api.response.304'), headers: { ETag: ref('headers', 'ETag') } },
        Error404: {
          description: t('api.response.404'),
          content: json(ref('schemas', 'Error'), {
            error: { status: 404, message: t('api.error.pact_not_found') },
          }),
        },
        Error405: {
          description: t('api.response.405'),
          headers: { Allow: ref('headers', 'Allow') },
          content: json(ref('schemas', 'Error'), {
            error: { status: 405, message: t('api.error.method_not_allowed') },
          }),
        },
        Error429: {
          description: t('api.response.429'),
          content: json(ref('schemas', 'Error'), { error: { status: 429, message: t('error.429.message') } }),
        },
      },
    },
  };
}

// --- For the documentation page ----------------------------------------------------------------------------

export interface EndpointDoc {
  /** An id for links within the page, e.g. `api-v1-pacts`. */
  anchor: string;
  method: 'GET';
  path: string;
  summary: string;
  description: string;
  parameters: { name: string; in: string; required: boolean; description: string; example: string }[];
  responses: { status: string; description: string }[];
  curl: string;
  example: string;
}

const resolve = <T>(doc: OpenApiDocument, item: T | Reference): T => {
  if (!item || typeof item !== 'object' || !('$ref' in item)) return item as T;
  const [, , kind, name] = item.$ref.split('/') as [
    string,
    string,
    keyof OpenApiDocument['components'],
    string,
  ];
  return doc.components[kind][name] as T;
};

/** Each path of the document as the documentation page lists it, with an example `curl` and example answer. */
export function describeEndpoints(doc: OpenApiDocument, baseUrl: string): EndpointDoc[] {
  return Object.entries(doc.paths).map(([path, item]) => {
    const op = item.get;
    const parameters = (op.parameters ?? []).map((p) => resolve<ParameterObject>(doc, p));
    const url = parameters
      .filter((p) => p.in === 'path')
      .reduce((acc, p) => acc.replace(`{${p.name}}`, String(p.example ?? p.name)), `${baseUrl}${path}`);
    const ok = resolve<ResponseObject>(doc, op.responses['200'] as ResponseObject | Reference);
    return {
      anchor: path.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, ''),
      method: 'GET',
      path,
      summary: op.summary,
      description: op.description,
      parameters: parameters.map((p) => ({
        name: p.name,
        in: p.in,
        required: p.required,
        description: p.description,
        example: p.example === undefined ? '' : String(p.example),
      })),
      responses: Object.entries(op.responses).map(([status, response]) => ({
        status,
        description: resolve<ResponseObject>(doc, response).description,
      })),
      curl: `curl -s -H 'Accept: application/json' '${url}'`,
      example: JSON.stringify(ok.content?.['application/json']?.example ?? null, null, 2),
    };
  });
}
