import { z } from 'zod';
import { LedgerHeadBody, ReceiptBody } from '../pledges/verification/verify-bodies.js';
import { SealBody, SealCertificateBody } from '../seal/seal-body.js';

/*
 * Every body and path parameter of the read-only JSON API as a zod schema. The routes take their types from here
 * (z.infer) and openapi.ts turns them into the OpenAPI document (z.toJSONSchema); nothing here imports either.
 * Descriptions (`.describe()`) are keys of locales/id.json, which the document translates; `.meta({ examples })`
 * holds the example the document and its page show (made-up people; NIPs masked as the API masks them).
 */

const EXAMPLE_BASE = 'https://ikrar.example.go.id';

const audience = z.enum(['heads', 'all']).describe('api.schema.audience');
const opensAt = z.iso.datetime().describe('api.schema.opens_at');
const deadline = z.iso.datetime().describe('api.schema.deadline');
const required = z.int().min(0).describe('api.schema.required');
const signed = z.int().min(0).describe('api.schema.signed');
/** required − signed: who is still to sign ('Belum'). */
const unsigned = z.int().min(0).describe('api.schema.unsigned');
/** 0–100 to one decimal, half up, but 100 only when all have signed and 0 only when none has; null when nobody is required. */
const percent = z.number().min(0).max(100).nullable().describe('api.schema.percent');

export const ApiLinks = z.object({
  /** The JSON resource with per-unit numbers. */
  compliance: z.url().describe('api.schema.link_compliance'),
  /** The public page (HTML) with the same numbers. */
  page: z.url().describe('api.schema.link_page'),
});
export type ApiLinks = z.infer<typeof ApiLinks>;

/** One open pact in `GET /api/v1/pacts`. */
export const ApiPactSummary = z.object({
  id: z.int().min(1),
  title: z.string(),
  version: z.int().min(1),
  audience,
  opensAt,
  deadline,
  required,
  signed,
  unsigned,
  percent,
  links: ApiLinks,
});
export type ApiPactSummary = z.infer<typeof ApiPactSummary>;

const pactList = z.object({ pacts: z.array(ApiPactSummary) });
export type ApiPactList = z.infer<typeof pactList>;

const EXAMPLE_PACT_LIST: ApiPactList = {
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
      unsigned: 2,
      percent: 95.8,
      links: {
        compliance: `${EXAMPLE_BASE}/api/v1/pacts/2/compliance`,
        page: `${EXAMPLE_BASE}/kepatuhan/2`,
      },
    },
  ],
};

export const ApiPactList = pactList.meta({ examples: [EXAMPLE_PACT_LIST] });

/** The head of a unit as the public list shows them: never an email or a full NIP. */
export const ApiUnitHead = z
  .object({
    name: z.string(),
    position: z.string().nullable(),
    nipMasked: z.string().nullable().describe('api.schema.nip_masked'),
    signedAt: z.iso.datetime().nullable().describe('api.schema.signed_at'),
  })
  .describe('api.schema.head');
export type ApiUnitHead = z.infer<typeof ApiUnitHead>;

export const ApiUnitCompliance = z.object({
  unitId: z.int().min(1),
  code: z.string(),
  name: z.string(),
  kind: z.string().describe('api.schema.kind'),
  required,
  signed,
  unsigned,
  percent,
  state: z.enum(['complete', 'partial', 'none', 'not_required']).describe('api.schema.state'),
  /** Heads pact only: the current head (null when the unit has none). Absent for an all-ASN pact. */
  head: ApiUnitHead.nullable().optional(),
});
export type ApiUnitCompliance = z.infer<typeof ApiUnitCompliance>;

const pactCompliance = z.object({
  pact: z.object({
    id: z.int().min(1),
    title: z.string(),
    version: z.int().min(1),
    audience,
    status: z.enum(['open', 'closed']),
    opensAt,
    deadline,
    closedAt: z.iso.datetime().nullable().describe('api.schema.closed_at'),
  }),
  required,
  signed,
  unsigned,
  percent,
  units: z.array(ApiUnitCompliance),
  links: ApiLinks,
});
export type ApiPactCompliance = z.infer<typeof pactCompliance>;

const EXAMPLE_COMPLIANCE: ApiPactCompliance = {
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
  unsigned: 2,
  percent: 95.8,
  units: [
    {
      unitId: 7,
      code: 'DISKOMINFO',
      name: 'Dinas Komunikasi dan Informatika',
      kind: 'dinas',
      required: 1,
      signed: 1,
      unsigned: 0,
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
      unsigned: 1,
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

export const ApiPactCompliance = pactCompliance.meta({ examples: [EXAMPLE_COMPLIANCE] });

// --- Unit agreements (NPHD and the like): the unit, not a person, signs; nothing here is personal -------------

const agreementStatus = z.enum(['open', 'closed']).describe('api.schema.agreement_status');
const agreementScope = z.string().describe('api.schema.agreement_scope');
const agreementDeadline = z.iso.date().nullable().describe('api.schema.agreement_deadline');
const agreementTotal = z.int().min(0).describe('api.schema.agreement_total');
const agreementSigned = z.int().min(0).describe('api.schema.agreement_signed');

export const ApiAgreementLinks = z.object({
  /** The JSON resource with every unit's record. */
  agreement: z.url().describe('api.schema.link_agreement'),
  /** The public page (HTML) with the same table. */
  page: z.url().describe('api.schema.link_agreement_page'),
});
export type ApiAgreementLinks = z.infer<typeof ApiAgreementLinks>;

/** A unit still to sign, named. */
export const ApiAgreementUnitRef = z.object({ unitId: z.int().min(1), code: z.string(), name: z.string() });
export type ApiAgreementUnitRef = z.infer<typeof ApiAgreementUnitRef>;

/** What both agreement answers say of the agreement itself. */
const agreementHeading = {
  id: z.int().min(1),
  title: z.string(),
  status: agreementStatus,
  scope: agreementScope,
  scopeLabel: z.string().describe('api.schema.agreement_scope_label'),
  deadline: agreementDeadline,
  openedAt: z.iso.datetime().describe('api.schema.agreement_opened_at'),
  closedAt: z.iso.datetime().nullable().describe('api.schema.agreement_closed_at'),
};

/** How far it is: units in scope, signed, and the ones still to sign, named. */
const agreementTally = {
  total: agreementTotal,
  signed: agreementSigned,
  outstanding: z.array(ApiAgreementUnitRef).describe('api.schema.agreement_outstanding'),
};

/** One published unit agreement in `GET /api/v1/agreements`. */
export const ApiAgreementSummary = z.object({
  ...agreementHeading,
  ...agreementTally,
  links: ApiAgreementLinks,
});
export type ApiAgreementSummary = z.infer<typeof ApiAgreementSummary>;

const agreementList = z.object({ agreements: z.array(ApiAgreementSummary) });
export type ApiAgreementList = z.infer<typeof agreementList>;

const EXAMPLE_AGREEMENT_LINKS: ApiAgreementLinks = {
  agreement: `${EXAMPLE_BASE}/api/v1/agreements/1`,
  page: `${EXAMPLE_BASE}/kepatuhan/kesepakatan/1`,
};
const EXAMPLE_OUTSTANDING: ApiAgreementUnitRef[] = [
  { unitId: 70, code: '33.18', name: 'Kabupaten Pati' },
  { unitId: 79, code: '33.27', name: 'Kabupaten Pemalang' },
];
const EXAMPLE_AGREEMENT_LIST: ApiAgreementList = {
  agreements: [
    {
      id: 1,
      title: 'Penandatanganan NPHD Pilkada Serentak 2024',
      status: 'open',
      scope: 'kabkota',
      scopeLabel: 'kabupaten/kota',
      deadline: '2023-11-10',
      openedAt: '2023-10-02T01:00:00.000Z',
      closedAt: null,
      total: 35,
      signed: 33,
      outstanding: EXAMPLE_OUTSTANDING,
      links: EXAMPLE_AGREEMENT_LINKS,
    },
  ],
};
export const ApiAgreementList = agreementList.meta({ examples: [EXAMPLE_AGREEMENT_LIST] });

/** A unit in scope and its record as the public sees it: never the scan or the admin's note. */
export const ApiAgreementUnit = z.object({
  unitId: z.int().min(1),
  code: z.string(),
  name: z.string(),
  kind: z.string().describe('api.schema.kind'),
  status: z.enum(['signed', 'outstanding']).describe('api.schema.agreement_unit_status'),
  signedOn: z.iso.date().nullable().describe('api.schema.agreement_signed_on'),
  documentNumber: z.string().nullable().describe('api.schema.agreement_document_number'),
  parties: z.string().nullable().describe('api.schema.agreement_parties'),
});
export type ApiAgreementUnit = z.infer<typeof ApiAgreementUnit>;

const agreementBody = z.object({
  agreement: z.object({ ...agreementHeading, description: z.string() }),
  ...agreementTally,
  units: z.array(ApiAgreementUnit),
  links: ApiAgreementLinks,
});
export type ApiAgreement = z.infer<typeof agreementBody>;

const EXAMPLE_AGREEMENT: ApiAgreement = {
  agreement: {
    id: 1,
    title: 'Penandatanganan NPHD Pilkada Serentak 2024',
    description:
      'Naskah Perjanjian Hibah Daerah dengan KPU dan Bawaslu kabupaten/kota. Data per 21 November 2023.',
    status: 'open',
    scope: 'kabkota',
    scopeLabel: 'kabupaten/kota',
    deadline: '2023-11-10',
    openedAt: '2023-10-02T01:00:00.000Z',
    closedAt: null,
  },
  total: 35,
  signed: 33,
  outstanding: EXAMPLE_OUTSTANDING,
  units: [
    {
      unitId: 70,
      code: '33.18',
      name: 'Kabupaten Pati',
      kind: 'kabupaten',
      status: 'outstanding',
      signedOn: null,
      documentNumber: null,
      parties: null,
    },
    {
      unitId: 53,
      code: '33.01',
      name: 'Kabupaten Cilacap',
      kind: 'kabupaten',
      status: 'signed',
      signedOn: '2023-11-08',
      documentNumber: '900/1035/XI/2023',
      parties: 'KPU Kabupaten Cilacap; Bawaslu Kabupaten Cilacap',
    },
  ],
  links: EXAMPLE_AGREEMENT_LINKS,
};
export const ApiAgreement = agreementBody.meta({ examples: [EXAMPLE_AGREEMENT] });

/** Every refusal under /api (src/web/errors.ts): the status again and an Indonesian message. */
export const ApiError = z.object({
  error: z.object({
    status: z.int().min(400).max(599),
    message: z.string().describe('api.schema.error_message'),
  }),
});
export type ApiError = z.infer<typeof ApiError>;

/**
 * The named schemas of the document (`#/components/schemas/<name>`), in the order it lists them. A schema used
 * inside another one is referenced by this name rather than written out again.
 */
export const COMPONENT_SCHEMAS = {
  Links: ApiLinks,
  PactSummary: ApiPactSummary,
  PactList: ApiPactList,
  UnitHead: ApiUnitHead,
  UnitCompliance: ApiUnitCompliance,
  PactCompliance: ApiPactCompliance,
  AgreementLinks: ApiAgreementLinks,
  AgreementUnitRef: ApiAgreementUnitRef,
  AgreementSummary: ApiAgreementSummary,
  AgreementList: ApiAgreementList,
  AgreementUnit: ApiAgreementUnit,
  Agreement: ApiAgreement,
  Receipt: ReceiptBody,
  LedgerHead: LedgerHeadBody,
  SealCertificate: SealCertificateBody,
  Seal: SealBody,
  Error: ApiError,
} satisfies Record<string, z.ZodType>;

// --- Parameters: the schema of the value, its description key and an example -------------------------------

/** A pact id in the URL, in canonical form only ('2', not '02', '2.0' or '1e1'). */
export const ApiPactId = z
  .string()
  .regex(/^[1-9][0-9]{0,14}$/)
  .meta({ description: 'api.param.pact_id', examples: ['2'] });

/** A unit agreement's id in the URL, in canonical form only. */
export const ApiAgreementId = z
  .string()
  .regex(/^[1-9][0-9]{0,14}$/)
  .meta({ description: 'api.param.agreement_id', examples: ['1'] });

/** A receipt code as typed or scanned: any string, since findReceipt() ignores case, spaces and dashes. */
export const ApiReceiptCode = z
  .string()
  .meta({ description: 'api.param.receipt_code', examples: ['K7QM-3XRT-9WDP-HF2C'] });

export const ApiIfNoneMatch = z.string().optional().describe('api.param.if_none_match');
