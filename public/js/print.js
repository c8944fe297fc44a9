// "Cetak": prints the page (the receipt's print view leaves out the site's menus and buttons). The button stays
// hidden without JavaScript, where the browser's own print menu does the same.
for (const button of document.querySelectorAll('[data-print]')) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}
