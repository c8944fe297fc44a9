import { z } from 'zod';
import type { Translate } from '../web/i18n.js';
import {
  ApiAgreementId,
  type ApiError,
  ApiIfNoneMatch,
  ApiPactId,
  ApiReceiptCode,
  COMPONENT_SCHEMAS,
} from './schemas.js';

/** Every address of the JSON API, in Express syntax; the OpenAPI paths are these with `{name}` parameters. */
export const API_PATHS = {
  pacts: '/api/v1/pacts',
  compliance: '/api/v1/pacts/:id/compliance',
  agreements: '/api/v1/agreements',
  agreement: '/api/v1/agreements/:id',
  verify: '/api/v1/verify/:code',
  ledgerHead: '/api/v1/ledger/head',
  seal: '/api/v1/seal',
  openapi: '/api/v1/openapi.json',
  docs: '/api/v1/docs',
} as const;

const openApiPath = (path: string): string => path.replace(/:(\w+)/g, '{$1}');

// --- The subset of OpenAPI 3.0.3 this document uses --------------------------------------------------------

export interface Reference {
  $ref: string;
}

/** An OpenAPI 3.0 Schema Object, as `z.toJSONSchema` writes it for the `openapi-3.0` target. */
export type SchemaObject = z.core.JSONSchema.BaseSchema;

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

// --- From zod to OpenAPI -----------------------------------------------------------------------------------

/** The document's named schemas: each is written once and referenced as `#/components/schemas/<name>`. */
const components = z.registry<{ id: string }>();
for (const [id, schema] of Object.entries(COMPONENT_SCHEMAS)) components.add(schema, { id });

/** The first example `.meta({ examples })` gave a schema. */
const exampleOf = (schema: z.ZodType): unknown =>
  (z.globalRegistry.get(schema)?.examples as unknown[] | undefined)?.[0];

/**
 * Options for `z.toJSONSchema`: OpenAPI 3.0 Schema Objects (`nullable: true`, no `$schema`) of what the server
 * sends (`io: 'output'`). The override translates each description key and leaves out what zod adds but this
 * document does not promise: the closed objects of the output side (a body may gain a field without breaking a
 * client that follows the document), the safe-integer bounds of `z.int()`, the regex beside `format: date-time`,
 * and the examples, which go beside the schema (media type, parameter) rather than inside it.
 */
function jsonSchemaOptions(t: Translate) {
  return {
    target: 'openapi-3.0',
    io: 'output',
    unrepresentable: 'throw',
    override: ({ jsonSchema: s }: { jsonSchema: SchemaObject }) => {
      if (typeof s.description === 'string') s.description = t(s.description);
      delete s.examples;
      if (s.additionalProperties === false) delete s.additionalProperties;
      if (s.type === 'integer' && s.minimum === Number.MIN_SAFE_INTEGER) delete s.minimum;
      if (s.type === 'integer' && s.maximum === Number.MAX_SAFE_INTEGER) delete s.maximum;
      if (s.format === 'date-time') delete s.pattern;
    },
  } as const;
}

/** `components/schemas`: each named schema, its references to the others as `#/components/schemas/<name>`. */
function componentSchemas(t: Translate): Record<string, SchemaObject> {
  const { schemas } = z.toJSONSchema(components, {
    ...jsonSchemaOptions(t),
    uri: (id) => `#/components/schemas/${id}`,
  });
  // Reused schemas are written out where used unless named; only a recursive one would land in `__shared`.
  if ('__shared' in schemas) throw new Error('name every recursive schema in COMPONENT_SCHEMAS');
  return Object.fromEntries(
    // `uri` also sets each schema's `$id`, which a component does not carry.
    Object.entries(schemas).map(([id, { $id: _uri, ...schema }]) => [id, schema as SchemaObject]),
  );
}

/** A parameter whose value is `schema`; its description and example come from the schema's metadata. */
function parameter(
  t: Translate,
  name: string,
  location: ParameterObject['in'],
  schema: z.ZodType,
): ParameterObject {
  const { description, ...valueSchema } = z.toJSONSchema(schema, jsonSchemaOptions(t));
  const example = exampleOf(schema);
  return {
    name,
    in: location,
    required: !schema.safeParse(undefined).success,
    description: description ?? '',
    schema: valueSchema,
    ...(typeof example === 'string' ? { example } : {}),
  };
}

// --- The document ------------------------------------------------------------------------------------------

const ref = (kind: 'schemas' | 'parameters' | 'headers' | 'responses', name: string): Reference => ({
  $ref: `#/components/${kind}/${name}`,
});
const json = (schema: SchemaObject | Reference, example?: unknown): Record<string, MediaTypeObject> => ({
  'application/json': example === undefined ? { schema } : { schema, example },
});
/** The JSON content of a named schema, with the example its metadata holds. */
const body = (name: keyof typeof COMPONENT_SCHEMAS) =>
  json(ref('schemas', name), exampleOf(COMPONENT_SCHEMAS[name]));

/** The OpenAPI 3.0.3 description of the public API, with Indonesian text from the catalogue. */
export function openApiDocument(options: { baseUrl: string; t: Translate }): OpenApiDocument {
  const { t } = options;
  const cachedHeaders = { ETag: ref('headers', 'ETag'), 'Cache-Control': ref('headers', 'CacheControl') };
  const errors = (...statuses: number[]) =>
    Object.fromEntries(statuses.map((status) => [String(status), ref('responses', `Error${status}`)]));
  const errorBody = (status: number, messageKey: string) =>
    json(ref('schemas', 'Error'), { error: { status, message: t(messageKey) } } satisfies ApiError);

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
              content: body('PactList'),
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
              content: body('PactCompliance'),
            },
            '304': ref('responses', 'NotModified'),
            ...errors(404, 405, 429),
          },
        },
      },
      [openApiPath(API_PATHS.agreements)]: {
        get: {
          operationId: 'listAgreements',
          summary: t('api.op.agreements.summary'),
          description: t('api.op.agreements.description'),
          tags: ['kepatuhan'],
          parameters: [ref('parameters', 'IfNoneMatch')],
          responses: {
            '200': {
              description: t('api.op.agreements.ok'),
              headers: cachedHeaders,
              content: body('AgreementList'),
            },
            '304': ref('responses', 'NotModified'),
            ...errors(405, 429),
          },
        },
      },
      [openApiPath(API_PATHS.agreement)]: {
        get: {
          operationId: 'getAgreement',
          summary: t('api.op.agreement.summary'),
          description: t('api.op.agreement.description'),
          tags: ['kepatuhan'],
          parameters: [ref('parameters', 'AgreementId'), ref('parameters', 'IfNoneMatch')],
          responses: {
            '200': {
              description: t('api.op.agreement.ok'),
              headers: cachedHeaders,
              content: body('Agreement'),
            },
            '304': ref('responses', 'NotModified'),
            '404': ref('responses', 'AgreementNotFound'),
            ...errors(405, 429),
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
            '200': { description: t('api.op.verify.ok'), content: body('Receipt') },
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
            '200': { description: t('api.op.ledger_head.ok'), content: body('LedgerHead') },
            ...errors(405),
          },
        },
      },
      [openApiPath(API_PATHS.seal)]: {
        get: {
          operationId: 'getSeal',
          summary: t('api.op.seal.summary'),
          description: t('api.op.seal.description'),
          tags: ['verifikasi'],
          responses: {
            '200': { description: t('api.op.seal.ok'), content: body('Seal') },
            ...errors(405),
          },
        },
      },
    },
    components: {
      schemas: componentSchemas(t),
      parameters: {
        PactId: parameter(t, 'id', 'path', ApiPactId),
        AgreementId: parameter(t, 'id', 'path', ApiAgreementId),
        ReceiptCode: parameter(t, 'code', 'path', ApiReceiptCode),
        IfNoneMatch: parameter(t, 'If-None-Match', 'header', ApiIfNoneMatch),
      },
      headers: {
        ETag: { description: t('api.header.etag'), schema: { type: 'string' } },
        CacheControl: { description: t('api.header.cache_control'), schema: { type: 'string' } },
        Allow: { description: t('api.header.allow'), schema: { type: 'string' } },
      },
      responses: {
        NotModified: { description: t('api.response.304'), headers: { ETag: ref('headers', 'ETag') } },
        Error404: { description: t('api.response.404'), content: errorBody(404, 'api.error.pact_not_found') },
        AgreementNotFound: {
          description: t('api.response.404'),
          content: errorBody(404, 'api.error.agreement_not_found'),
        },
        Error405: {
          description: t('api.response.405'),
          headers: { Allow: ref('headers', 'Allow') },
          content: errorBody(405, 'api.error.method_not_allowed'),
        },
        Error429: { description: t('api.response.429'), content: errorBody(429, 'error.429.message') },
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
