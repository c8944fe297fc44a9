import { createHash } from 'node:crypto';
import { type RequestHandler, type Response, Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { AgreementRepository } from '../agreements/repository.js';
import { publishedSummaries, summaryOf } from '../agreements/summaries.js';
import { type AgreementSummary, type AgreementUnit, isPublished } from '../agreements/types.js';
import type { ComplianceCache } from '../compliance/compliance-cache.js';
import type { PactCompliance, UnitCompliance } from '../compliance/summary.js';
import type { Config } from '../core/config.js';
import { maskNip } from '../directory/nip.js';
import { pactLoader } from '../pledges/pact-loader.js';
import type { PactRepository } from '../pledges/pact-repository.js';
import { type PublishedPact, pactHeading } from '../pledges/types.js';
import { HttpError } from '../web/http-error.js';
import type { Translate } from '../web/i18n.js';
import { parseId } from '../web/params.js';
import type { RateLimits } from '../web/rate-limit-store.js';
import { API_PATHS, describeEndpoints, type OpenApiDocument, openApiDocument } from './openapi.js';
import type {
  ApiAgreement,
  ApiAgreementList,
  ApiAgreementSummary,
  ApiAgreementUnit,
  ApiAgreementUnitRef,
  ApiLinks,
  ApiPactCompliance,
  ApiPactList,
  ApiPactSummary,
  ApiUnitCompliance,
} from './schemas.js';

/** Requests per IP address per minute on the compliance endpoints: far above any dashboard, below a flood. */
export const API_RATE_LIMIT = 300;
const READ_METHODS = 'GET, HEAD, OPTIONS';
const CACHE_CONTROL = 'public, max-age=60';

const linksFor = (baseUrl: string, pactId: number): ApiLinks => ({
  compliance: `${baseUrl}/api/v1/pacts/${pactId}/compliance`,
  page: `${baseUrl}/kepatuhan/${pactId}`,
});

export function pactSummaryBody(summary: PactCompliance, baseUrl: string): ApiPactSummary {
  const { pact } = summary;
  return {
    id: pact.id,
    title: pact.title,
    version: pact.version,
    audience: pact.audience,
    opensAt: pact.opensAt,
    deadline: pact.deadline,
    required: summary.required,
    signed: summary.signed,
    unsigned: summary.unsigned,
    percent: summary.percent,
    links: linksFor(baseUrl, pact.id),
  };
}

/**
 * The same privacy tiers as the public list (DESIGN.md, UU 27/2022): a heads pact names each unit's head with
 * position, masked NIP and signing time; an all-ASN pact gives only counts, never a staff member.
 */
function unitBody(unit: UnitCompliance, heads: boolean): ApiUnitCompliance {
  const body: ApiUnitCompliance = {
    unitId: unit.unitId,
    code: unit.code,
    name: unit.name,
    kind: unit.kind,
    required: unit.required,
    signed: unit.signed,
    unsigned: unit.unsigned,
    percent: unit.percent,
    state: unit.state,
  };
  if (heads) {
    body.head =
      unit.headId === null
        ? null
        : {
            name: unit.headName ?? '',
            position: unit.headPosition,
            nipMasked: unit.headNip ? maskNip(unit.headNip) : null,
            signedAt: unit.headSignedAt,
          };
  }
  return body;
}

export function pactComplianceBody(
  pact: PublishedPact,
  summary: PactCompliance,
  baseUrl: string,
): ApiPactCompliance {
  const heads = pact.audience === 'heads';
  return {
    pact: { ...pactHeading(pact), closedAt: pact.closedAt },
    required: summary.required,
    signed: summary.signed,
    unsigned: summary.unsigned,
    percent: summary.percent,
    units: summary.units.map((unit) => unitBody(unit, heads)),
    links: linksFor(baseUrl, pact.id),
  };
}

const agreementLinks = (baseUrl: string, id: number) => ({
  agreement: `${baseUrl}/api/v1/agreements/${id}`,
  page: `${baseUrl}/kepatuhan/kesepakatan/${id}`,
});

const unitRef = (unit: AgreementUnit): ApiAgreementUnitRef => ({
  unitId: unit.unitId,
  code: unit.code,
  name: unit.name,
});

/** A published agreement's heading: the scope as stored and as the pages say it ('kabupaten/kota'). */
function agreementHeading(summary: AgreementSummary, t: Translate) {
  const { agreement } = summary;
  return {
    id: agreement.id,
    title: agreement.title,
    status: agreement.status === 'closed' ? ('closed' as const) : ('open' as const),
    scope: agreement.scope,
    scopeLabel: t(`agreements.scope_noun.${agreement.scope}`),
    deadline: agreement.deadlineOn,
    openedAt: agreement.openedAt ?? agreement.createdAt,
    closedAt: agreement.closedAt,
  };
}

export function agreementSummaryBody(
  summary: AgreementSummary,
  baseUrl: string,
  t: Translate,
): ApiAgreementSummary {
  return {
    ...agreementHeading(summary, t),
    total: summary.total,
    signed: summary.signed,
    outstanding: summary.outstanding.map(unitRef),
    links: agreementLinks(baseUrl, summary.agreement.id),
  };
}

/** Every unit in scope with what the public page shows of its record: never the scan or the admin's note. */
export function agreementBody(summary: AgreementSummary, baseUrl: string, t: Translate): ApiAgreement {
  return {
    agreement: { ...agreementHeading(summary, t), description: summary.agreement.description },
    total: summary.total,
    signed: summary.signed,
    outstanding: summary.outstanding.map(unitRef),
    units: summary.units.map((unit): ApiAgreementUnit => {
      const record = unit.state === 'signed' ? unit.record : null;
      return {
        ...unitRef(unit),
        kind: unit.kind,
        status: unit.state,
        signedOn: record?.signedOn ?? null,
        documentNumber: record?.documentNumber ?? null,
        parties: record?.parties ?? null,
      };
    }),
    links: agreementLinks(baseUrl, summary.agreement.id),
  };
}

interface Serialised {
  /** What else the body was built from (a pact's last change), when the source object alone does not say. */
  stamp: string;
  /** The body as bytes: encoded once, not on every answer (the national one is 100 kB). */
  json: Buffer;
  etag: string;
}

/**
 * Public JSON bodies serialised once per source object: the compliance cache hands out the same summary object
 * until a number moves (its epoch), so a body and its ETag are built once per change rather than once per request
 * (at national scale, 600 units' JSON and its hash cost more than everything else in the request).
 */
function publicJson() {
  const serialised = new WeakMap<object, Serialised>();
  /**
   * Sends the body built from `source` with a weak ETag of its bytes; Express answers 304 when `If-None-Match`
   * matches (and leaves out the body for HEAD).
   */
  return (res: Response, source: object, build: () => unknown, stamp = ''): void => {
    let body = serialised.get(source);
    if (body?.stamp !== stamp) {
      const json = Buffer.from(JSON.stringify(build()));
      body = { stamp, json, etag: `W/"${createHash('sha1').update(json).digest('base64url')}"` };
      serialised.set(source, body);
    }
    res.set('Cache-Control', CACHE_CONTROL);
    res.set('ETag', body.etag);
    res.type('application/json').send(body.json);
  };
}

/**
 * Read-only CORS for all of /api/v1: any origin may read, without credentials (no cookie is needed or honoured
 * for these answers). helmet's same-origin resource policy is relaxed for the same reason.
 */
const readOnlyCors: RequestHandler = (_req, res, next) => {
  res.set('Access-Control-Allow-Origin', '*');
  res.set('Access-Control-Allow-Methods', READ_METHODS);
  res.set('Access-Control-Expose-Headers', 'ETag');
  res.set('Cross-Origin-Resource-Policy', 'cross-origin');
  next();
};

const preflight: RequestHandler = (_req, res) => {
  res.set('Access-Control-Allow-Headers', 'If-None-Match');
  res.set('Access-Control-Max-Age', '86400');
  res.set('Allow', READ_METHODS);
  res.status(204).end();
};

/** Only GET and HEAD read the API; anything else is refused as a JSON 405 that says what is allowed. */
const readOnly: RequestHandler = (req, res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD') return next();
  res.set('Allow', READ_METHODS);
  next(new HttpError(405, 'api.error.method_not_allowed'));
};

/**
 * The read-only JSON API (DESIGN.md): open pacts with totals, one pact's per-unit compliance, the OpenAPI
 * description and its Indonesian documentation page. Receipt verification and the ledger head stay in
 * src/pledges/verification/routes.ts; this router only adds CORS and the method rules in front of them.
 */
export function apiRoutes(
  services: {
    agreements: AgreementRepository;
    complianceCache: ComplianceCache;
    pacts: PactRepository;
    rateLimits: RateLimits;
  },
  config: Config,
): Router {
  const router = Router();
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: API_RATE_LIMIT,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    ...services.rateLimits('api'),
    handler: (_req, _res, next) => next(new HttpError(429, 'error.429.message')),
  });
  // One document per language: the JSON is always Indonesian (src/web/language.ts), its documentation page the reader's.
  const specs = new Map<Translate['language'], OpenApiDocument>();
  const specFor = (t: Translate) => {
    let spec = specs.get(t.language);
    if (spec === undefined) {
      spec = openApiDocument({ baseUrl: config.baseUrl, t });
      specs.set(t.language, spec);
    }
    return spec;
  };

  const known = Object.values(API_PATHS);
  router.use('/api/v1', readOnlyCors);
  router.options(known, preflight);
  router.all(known, readOnly);

  const sendPublicJson = publicJson();

  router.get(API_PATHS.pacts, limiter, async (_req, res) => {
    const open = await services.complianceCache.openPacts();
    sendPublicJson(
      res,
      open,
      (): ApiPactList => ({ pacts: open.map((summary) => pactSummaryBody(summary, config.baseUrl)) }),
    );
  });

  const loadPact = pactLoader(services.pacts, {
    param: 'id',
    drafts: 'hidden',
    notFound: () => new HttpError(404, 'api.error.pact_not_found'),
  });

  router.get(API_PATHS.compliance, limiter, async (req, res) => {
    const pact = await loadPact(req);
    const summary = await services.complianceCache.forPact(pact);
    // The summary is recomputed when the pact changes (a trigger bumps the epoch), but the pact row is read apart
    // from it: its last change is part of the key, so a pact closed between the two reads is never served stale.
    sendPublicJson(res, summary, () => pactComplianceBody(pact, summary, config.baseUrl), pact.updatedAt);
  });

  router.get(API_PATHS.agreements, limiter, async (_req, res) => {
    const summaries = await publishedSummaries(services.agreements);
    const t = res.locals.t as Translate;
    sendPublicJson(
      res,
      summaries,
      (): ApiAgreementList => ({
        agreements: summaries.map((summary) => agreementSummaryBody(summary, config.baseUrl, t)),
      }),
    );
  });

  router.get(API_PATHS.agreement, limiter, async (req, res) => {
    const id = parseId(req.params.id);
    const agreement = id ? await services.agreements.findById(id) : undefined;
    if (!agreement || !isPublished(agreement)) throw new HttpError(404, 'api.error.agreement_not_found');
    const summary = await summaryOf(services.agreements, agreement);
    sendPublicJson(res, summary, () => agreementBody(summary, config.baseUrl, res.locals.t as Translate));
  });

  router.get(API_PATHS.openapi, (_req, res) => {
    const doc = specFor(res.locals.t as Translate);
    sendPublicJson(res, doc, () => doc);
  });

  router.get(API_PATHS.docs, (_req, res) => {
    const t = res.locals.t as Translate;
    const doc = specFor(t);
    res.set('Cache-Control', res.locals.currentUser ? 'no-store' : CACHE_CONTROL);
    res.render('api/docs', {
      title: t('api.docs.title'),
      baseUrl: config.baseUrl,
      openapiUrl: `${config.baseUrl}${API_PATHS.openapi}`,
      endpoints: describeEndpoints(doc, config.baseUrl),
    });
  });

  return router;
}
