import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** A cell someone could not read without scrolling sideways, as findClippedCells reports it. */
interface ClippedCell {
  text: string;
  column: string;
  why: string;
}

/**
 * Runs in the page (as text: the test project has no DOM types), given a selector: every visible td/th under it
 * whose content overflows the cell, or which lies (even partly) outside the viewport or outside the visible box of
 * an ancestor that scrolls or clips sideways (a `.table-responsive`). Cells a sighted reader never sees are left
 * out: hidden ones, and those inside something clipped down to a pixel (the visually hidden `thead` of a stacked
 * table). A cell's column is its `data-label`, or else the text of the header cell above it in the `thead`.
 */
const FIND_CLIPPED_CELLS = `(selector) => {
  const clean = (s) => (s || '').replace(/\\s+/g, ' ').trim();
  const seenByEye = (el) => {
    if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return false;
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const box = e.getBoundingClientRect();
      if (box.width <= 1 || box.height <= 1) return false;
    }
    return true;
  };
  const columnOf = (cell) => {
    const label = cell.getAttribute('data-label');
    if (label) return label;
    const table = cell.closest('table');
    if (!table || !table.tHead) return '?';
    let start = 0;
    for (const c of cell.parentElement.cells) {
      if (c === cell) break;
      start += c.colSpan;
    }
    let at = 0;
    for (const header of table.tHead.rows[table.tHead.rows.length - 1].cells) {
      if (start < at + header.colSpan) return clean(header.textContent) || '?';
      at += header.colSpan;
    }
    return '?';
  };
  const describe = (e) => e.tagName.toLowerCase() + [...e.classList].map((c) => '.' + c).join('');
  const viewport = window.innerWidth;
  const found = [];
  for (const root of document.querySelectorAll(selector)) {
    for (const cell of root.matches('td, th') ? [root] : root.querySelectorAll('td, th')) {
      if (!seenByEye(cell)) continue;
      const box = cell.getBoundingClientRect();
      const span = Math.round(box.left) + '–' + Math.round(box.right) + ' px';
      const why = [];
      if (cell.scrollWidth > cell.clientWidth + 1)
        why.push('its content is ' + cell.scrollWidth + ' px wide in a cell of ' + cell.clientWidth + ' px');
      if (box.left < -1 || box.right > viewport + 1)
        why.push('it spans ' + span + ' of a viewport of ' + viewport + ' px');
      for (let e = cell.parentElement; e && e !== document.documentElement; e = e.parentElement) {
        if (getComputedStyle(e).overflowX === 'visible') continue;
        const left = e.getBoundingClientRect().left + e.clientLeft;
        const right = left + e.clientWidth;
        if (box.left < left - 1 || box.right > right + 1)
          why.push('it spans ' + span + ' but ' + describe(e) + ' shows ' + Math.round(left) + '–' + Math.round(right) + ' px');
      }
      if (why.length > 0) found.push({ text: clean(cell.textContent).slice(0, 80), column: columnOf(cell), why: why.join('; ') });
    }
  }
  return found;
}`;

/**
 * Every table cell under `selector` can be read as it is on screen: its content fits the cell, and the cell lies
 * within the viewport and within any scrolling box around it, so nobody has to scroll sideways to read it; and the
 * page itself does not scroll sideways. A failure names the page (`name`), and each clipped cell's text and column.
 */
export async function expectNoClippedCells(page: Page, selector: string, name = page.url()): Promise<void> {
  const clipped = await page.evaluate<ClippedCell[]>(`(${FIND_CLIPPED_CELLS})(${JSON.stringify(selector)})`);
  const cells = clipped.map((c) => `\n  "${c.text}" in column "${c.column}": ${c.why}`);
  expect(clipped.length, `clipped cells of ${selector} on ${name}:${cells.join('')}`).toBe(0);
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
  expect(overflow, `${name} scrolls sideways by ${overflow} px`).toBeLessThanOrEqual(0);
}
