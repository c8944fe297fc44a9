import type { AgreementRepository } from './repository.js';
import { type Agreement, type AgreementSummary, summarise } from './types.js';

/** One agreement's units, counted. */
export const summaryOf = async (
  agreements: Pick<AgreementRepository, 'units'>,
  agreement: Agreement,
): Promise<AgreementSummary> => summarise(agreement, await agreements.units(agreement));

/**
 * The agreements the public sees, counted: the open ones (`open`: for the home page's cards) or the open and then the
 * closed (the compliance page, the API). One query per agreement: a province has a handful at a time.
 */
export async function publishedSummaries(
  agreements: Pick<AgreementRepository, 'listPublished' | 'units'>,
  which: 'open' | 'published' = 'published',
): Promise<AgreementSummary[]> {
  const published = await agreements.listPublished();
  const shown = which === 'open' ? published.filter((a) => a.status === 'open') : published;
  return Promise.all(shown.map((agreement) => summaryOf(agreements, agreement)));
}
