import type { ComplianceCache } from '../compliance/compliance-cache.js';
import type { PeopleRepository, ReportPerson, ReportSigning } from '../compliance/people-repository.js';
import { type Page, pageFromQuery } from '../web/pagination.js';

type Services = { complianceCache: ComplianceCache; compliancePeople: PeopleRepository };

/**
 * People on one page of a unit's drill-down, in each of its lists (outstanding, signings). Fifty: a page of a
 * hundred of each was 130 kB and cost 8–9 ms of a worker to make; the clicking-through admin wants the first few.
 */
export const PEOPLE_PAGE_SIZE = 50;

/** Signings on one page of the drill-down: the newest first, and fewer, since those people need no chasing. */
export const SIGNINGS_PAGE_SIZE = 20;

export interface PeoplePage<T> {
  page: Page;
  items: T[];
}

/** Page `requested` (`?halaman=`, validated) of a list of ids, read whole only for the rows it shows. */
async function pageOfIds<T>(
  ids: Int32Array,
  requested: unknown,
  size: number,
  load: (ids: readonly number[]) => Promise<T[]>,
): Promise<PeoplePage<T>> {
  const page = pageFromQuery(requested, ids.length, size);
  return { page, items: await load(Array.from(ids.subarray(page.offset, page.offset + size))) };
}

/**
 * A page of a unit's outstanding people by name. The order of all of them is computed once per change (the
 * compliance cache's epoch: a signing, a name, who is required) and paged from memory, so clicking through a unit
 * of 50,000 reads 50 people a page, not 50,000. `notActivated` (the rarer "belum aktivasi" filter) is read afresh:
 * a letter printed or an account activated does not move the epoch.
 */
export async function outstandingPeoplePage(
  services: Services,
  pactId: number,
  unitId: number,
  options: { requested: unknown; notActivated: boolean; size?: number },
): Promise<PeoplePage<ReportPerson>> {
  const people = services.compliancePeople;
  const ids = options.notActivated
    ? await people.notActivatedIds(pactId, unitId)
    : await services.complianceCache.derived(`outstanding:${pactId}:${unitId}`, () =>
        people.outstandingIds(pactId, unitId),
      );
  return pageOfIds(ids, options.requested, options.size ?? PEOPLE_PAGE_SIZE, people.peopleByIds);
}

/** A page of the signatures (valid and voided) by a unit's required people, newest first; ordered as above. */
export async function signingsPage(
  services: Services,
  pactId: number,
  unitId: number,
  requested: unknown,
): Promise<PeoplePage<ReportSigning>> {
  const people = services.compliancePeople;
  const ids = await services.complianceCache.derived(`signings:${pactId}:${unitId}`, () =>
    people.signingIds(pactId, unitId),
  );
  return pageOfIds(ids, requested, SIGNINGS_PAGE_SIZE, people.signingsByIds);
}
