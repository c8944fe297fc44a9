import type { Response } from 'express';
import type { DetailRow } from '../compliance/people-repository.js';
import type { UnitCompliance } from '../compliance/summary.js';
import type { Clock } from '../core/clock.js';
import type { TimeZone } from '../core/time-zone.js';
import { formatNip } from '../directory/nip.js';
import type { User } from '../directory/types.js';
import type { Pact } from '../pledges/types.js';
import type { InstanceSettings } from '../settings/instance.js';
import { formatterFor } from '../web/format.js';
import type { Translate } from '../web/i18n.js';
import { signingSheetPdf } from './signing-sheet-pdf.js';

/**
 * Sends the ceremony's signing sheet of these units as a PDF: everyone the pact requires in them (signed or not:
 * the sheet is printed before the ceremony), unit by unit in the order chosen, with the instance's letterhead and
 * its official under "Mengetahui".
 */
export async function sendSigningSheet(
  services: { clock: Clock; timeZone: TimeZone; instanceSettings: () => Promise<InstanceSettings> },
  res: Response,
  options: { pact: Pact; units: readonly UnitCompliance[]; people: readonly DetailRow[]; printedBy: User },
): Promise<void> {
  const { pact } = options;
  const t: Translate = res.locals.t;
  const fmt = formatterFor(services.timeZone);
  const instance = await services.instanceSettings();
  const now = services.clock.now();
  const byUnit = new Map<string, DetailRow[]>();
  for (const person of options.people) {
    const list = byUnit.get(person.unitCode) ?? [];
    list.push(person);
    byUnit.set(person.unitCode, list);
  }
  const pdf = await signingSheetPdf(
    {
      instanceName: instance.name,
      instanceAddress: instance.address,
      pactTitle: pact.title,
      pactVersion: pact.version,
      pactBody: pact.body,
      ceremony: pact.ceremonyOn
        ? {
            dateText: fmt.formatDay(pact.ceremonyOn),
            place: pact.ceremonyPlace ?? pact.place,
            city: pact.place,
          }
        : null,
      units: options.units.map((unit) => ({
        name: unit.name,
        people: (byUnit.get(unit.code) ?? []).map((person) => ({
          fullName: person.fullName,
          nip: person.nip ? formatNip(person.nip) : null,
          position: person.position,
          pangkat: person.pangkat,
        })),
      })),
      acknowledgedBy: {
        title: instance.officialTitle,
        name: instance.officialName || null,
        nip: instance.officialNip ? formatNip(instance.officialNip) : null,
      },
      printedText: t('paper.sheet.printed', {
        name: options.printedBy.fullName,
        at: fmt.formatDateTime(now),
      }),
      reference: t('paper.sheet.reference', {
        id: pact.id,
        version: pact.version,
        day: services.timeZone.dayOf(now),
      }),
    },
    t,
  );
  res
    .type('application/pdf')
    .attachment(`lembar-tanda-tangan-${pact.id}-${services.timeZone.dayOf(now)}.pdf`)
    .set('Cache-Control', 'no-store')
    .send(pdf);
}
