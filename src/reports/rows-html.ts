import type { Response } from 'express';
import type { Formatter } from '../web/format.js';
import type { Translate } from '../web/i18n.js';
import type { Page } from '../web/pagination.js';
import type { Report } from './report.js';

/**
 * The report's rows rendered, kept with the report they show (per page, and per the reader's formatter and
 * translator: the zone that writes the times, the language of the labels). An admin's report is kept by buildReport until a number moves, so clicking back to it renders
 * its hundred rows once per change, not per view: they were two thirds of the page's cost at national scale.
 */
const kept = new WeakMap<Report, Map<string, Promise<string>>>();
const ids = new WeakMap<object, number>();
let lastId = 0;
/** A number for each formatter and translator (each made once per zone or language and kept). */
const idOf = (value: object): number => {
  let id = ids.get(value);
  if (id === undefined) {
    lastId += 1;
    id = lastId;
    ids.set(value, id);
  }
  return id;
};

export function reportRowsHtml(res: Response, report: Report, page: Page, locals: object): Promise<string> {
  const key = `${page.number}:${idOf(res.locals.fmt as Formatter)}:${idOf(res.locals.t as Translate)}`;
  let pages = kept.get(report);
  if (pages === undefined) {
    pages = new Map();
    kept.set(report, pages);
  }
  let html = pages.get(key);
  if (html === undefined) {
    html = new Promise<string>((resolve, reject) =>
      res.render('reports/_report-rows', locals, (err, out) => (err ? reject(err) : resolve(out))),
    );
    const rendered = html;
    const all = pages;
    rendered.catch(() => all.get(key) === rendered && all.delete(key));
    pages.set(key, html);
  }
  return html;
}
