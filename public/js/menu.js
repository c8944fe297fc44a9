// The menu button of narrow screens opens and closes the menu and says which it is (aria-expanded). Bootstrap's
// collapse script would do the same but weighs 60 KB on every page of a cheap phone; its styles are kept.
// (A block, so that its names do not meet those of the page's other scripts.)
{
  const button = document.querySelector('[data-menu-toggle]');
  const menu = button && document.getElementById(button.getAttribute('aria-controls'));
  if (menu) {
    button.addEventListener('click', () => {
      button.setAttribute('aria-expanded', String(menu.classList.toggle('show')));
    });
  }
}
