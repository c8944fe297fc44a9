import type { Request } from 'express';
import { type HttpError, notFound } from '../web/http-error.js';
import { parseId } from '../web/params.js';
import type { PactRepository } from './pact-repository.js';
import type { Pact, PublishedPact } from './types.js';

export interface PactLoaderOptions {
  /** The route parameter that holds the pact's id (`/pakta/:id`, `/kepatuhan/:pactId`). */
  param: string;
  /**
   * `shown` for the admins who write drafts; `hidden` for everyone else (signers, the public, the reports, the API):
   * a draft is then refused exactly as a pact that does not exist.
   */
  drafts: 'shown' | 'hidden';
  /** The refusal for a missing (or hidden) pact; the 404 page unless the router answers in its own way. */
  notFound?: () => HttpError;
}

/** Loads the pact named in the URL, or throws a 404: one function per router, made once with its options. */
export function pactLoader(
  pacts: Pick<PactRepository, 'findById'>,
  options: PactLoaderOptions & { drafts: 'hidden' },
): (req: Request) => Promise<PublishedPact>;
export function pactLoader(
  pacts: Pick<PactRepository, 'findById'>,
  options: PactLoaderOptions,
): (req: Request) => Promise<Pact>;
export function pactLoader(
  pacts: Pick<PactRepository, 'findById'>,
  { param, drafts, notFound: refusal = notFound }: PactLoaderOptions,
): (req: Request) => Promise<Pact> {
  return async (req) => {
    const id = parseId(req.params[param]);
    const pact = id ? await pacts.findById(id) : undefined;
    if (!pact || (drafts === 'hidden' && pact.status === 'draft')) throw refusal();
    return pact;
  };
}
