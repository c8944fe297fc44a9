import { z } from 'zod';

/*
 * The JSON bodies of GET /api/v1/verify/:code and GET /api/v1/ledger/head, as zod schemas: routes.ts here takes
 * their types, and src/api/openapi.ts turns them into the OpenAPI document (src/api imports this file, never the
 * other way). Descriptions are keys of locales/id.json; the document translates them.
 */

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

const receiptFields = z.object({
  code: z.string().regex(/^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$/),
  status: z.enum(['valid', 'voided', 'unverified']).describe('api.schema.receipt_status'),
  fullName: z.string(),
  nipMasked: z.string().nullable().describe('api.schema.nip_masked'),
  position: z.string(),
  unitName: z.string(),
  pact: z.object({ id: z.int().min(1), title: z.string(), version: z.int().min(1) }),
  signedAt: z.iso.datetime().describe('api.schema.signed_at'),
  method: z.enum(['online', 'paper']).describe('api.schema.signing_method'),
  paperSignedOn: z.iso.date().nullable().describe('api.schema.paper_signed_on'),
  voidedAt: z.iso.datetime().nullable().describe('api.schema.voided_at'),
  anonymised: z.boolean().describe('api.schema.signer_anonymised'),
  ledger: z
    .object({
      seq: z.int().min(1),
      hash: sha256Hex,
      legacyHash: sha256Hex.nullable().describe('api.schema.ledger_legacy_hash'),
      matchesChain: z.boolean(),
    })
    .nullable(),
});

/**
 * What the public may know of a signing: no signature image, no IP, the NIP masked; for an anonymised signer the
 * name 'Anonim #<id>' and nothing else of them. `legacyHash`: the entry's hash before the ledger's one-time upgrade
 * (what receipts printed before it show), null for an entry written since.
 */
export type ReceiptBody = z.infer<typeof receiptFields>;

const EXAMPLE_RECEIPT: ReceiptBody = {
  code: 'K7QM-3XRT-9WDP-HF2C',
  status: 'valid',
  fullName: 'Bambang Setiawan',
  nipMasked: '******** ****** * 003',
  position: 'Kepala Dinas Komunikasi dan Informatika',
  unitName: 'Dinas Komunikasi dan Informatika',
  pact: { id: 2, title: 'Pakta Integritas Netralitas Kepala OPD', version: 1 },
  signedAt: '2023-09-26T05:00:00.000Z',
  method: 'paper',
  paperSignedOn: '2023-09-26',
  voidedAt: null,
  anonymised: false,
  ledger: {
    seq: 41,
    hash: '9f2c6a0d4be1c7f35a8e0b92d6417c3e58a1f0d29b7c4e6a13d85f2b0c9e7a64',
    legacyHash: '3b7e91c04d2a6f8e15c9b0a7d3e64f2819c5a0e7b4d1f6a93e28c0b5d7f1a4e6',
    matchesChain: true,
  },
};

export const ReceiptBody = receiptFields.meta({ examples: [EXAMPLE_RECEIPT] });

const ledgerHeadFields = z.object({
  seq: z.int().min(0).describe('api.schema.ledger_seq'),
  hash: sha256Hex.describe('api.schema.ledger_hash'),
  at: z.iso.datetime().nullable().describe('api.schema.ledger_at'),
  formatUpgrade: z
    .object({
      at: z.iso.datetime(),
      oldHeadSeq: z.int().min(1),
      oldHeadHash: sha256Hex,
      newHeadHash: sha256Hex,
    })
    .nullable()
    .describe('api.schema.ledger_format_upgrade'),
});

/**
 * The last entry of the ledger; seq 0 and the genesis hash when it is empty. `formatUpgrade`: the one-time rewrite of
 * the entries written before migration 028 (their old head and the head it made), null when there was none.
 */
export type LedgerHeadBody = z.infer<typeof ledgerHeadFields>;

const EXAMPLE_LEDGER_HEAD: LedgerHeadBody = {
  seq: 41,
  hash: '9f2c6a0d4be1c7f35a8e0b92d6417c3e58a1f0d29b7c4e6a13d85f2b0c9e7a64',
  at: '2023-09-26T03:15:00.000Z',
  formatUpgrade: null,
};

export const LedgerHeadBody = ledgerHeadFields.meta({ examples: [EXAMPLE_LEDGER_HEAD] });
