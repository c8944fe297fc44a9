import type { Response } from 'express';

/** What the admin layout itself reads; everything else is the page's own. */
export interface AdminPageLocals {
  /** The page's title: `<title>` and the social cards. */
  title: string;
  /** Printed across the whole sheet (the compliance reports): the column takes the menu's room, links lose colour. */
  printWide?: boolean;
  [local: string]: unknown;
}

/**
 * Renders a page of the admin area: `view` (a path under views/, as `res.render` takes it) inside the one admin
 * layout, views/admin/layout.ejs: head, admin menu with the current item marked, the view's content, foot. The view
 * is an ordinary EJS include, so it escapes as any view does and sees the same locals.
 */
export function renderAdminPage(res: Response, view: string, locals: AdminPageLocals): void {
  res.render('admin/layout', { ...locals, adminView: view });
}
