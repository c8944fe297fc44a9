// Every page's forms (GOV.UK's error summary pattern, and one tap per submit):
// - a form that came back with problems: focus goes to its summary, so that a phone shows it (not the top of a long
//   pact) and a screen reader reads it; a link in the summary puts the cursor in its field, with the label in view;
// - a form sent by POST: its buttons are disabled and the one pressed says so ("Menyimpan…"): a second tap is not
//   sent again (the server would make it harmless anyway), and the person sees that something is happening. A form
//   whose answer is a file (the page stays) carries data-no-busy. The text comes from the page (data-busy-label on
//   this script's tag, or on the button), never from here.
// Without JavaScript the forms work the same: the summary sits at the top of the page and links to the fields.
// (A block, so that its names do not meet those of the page's other scripts.)
{
  const defaultBusyLabel = document.currentScript?.dataset.busyLabel ?? '';

  // The label (or a fieldset's legend) of a field, brought into view with it: a field alone at the top of the
  // screen does not say what it asks for.
  const labelOf = (field) =>
    field.closest('fieldset')?.querySelector('legend') ??
    (field.id ? document.querySelector(`label[for="${CSS.escape(field.id)}"]`) : null);

  const summary = document.querySelector('[data-error-summary]');
  if (summary) {
    summary.focus({ preventScroll: true });
    summary.scrollIntoView({ block: 'start' });
    summary.addEventListener('click', (event) => {
      const link = event.target instanceof Element ? event.target.closest('a[href^="#"]') : null;
      if (!link) return;
      const id = decodeURIComponent(link.getAttribute('href').slice(1));
      const target = document.getElementById(id);
      // A field the person can reach (not a hidden one, such as the drawing's): the cursor goes in it. Otherwise
      // the field's own message is brought into view.
      if (target && target.type !== 'hidden' && typeof target.focus === 'function') {
        event.preventDefault();
        (labelOf(target) ?? target).scrollIntoView({ block: 'start' });
        target.focus({ preventScroll: true });
      } else {
        const message = document.getElementById(`${id}-error`);
        if (message) {
          event.preventDefault();
          message.scrollIntoView({ block: 'center' });
        }
      }
    });
  }

  const submitButtons = (form) =>
    Array.from(form.elements).filter(
      (el) => (el instanceof HTMLButtonElement || el instanceof HTMLInputElement) && el.type === 'submit',
    );

  const setLabel = (button, text) => {
    if (button instanceof HTMLInputElement) button.value = text;
    else button.textContent = text;
  };

  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method !== 'post' || 'noBusy' in form.dataset) return;
    if (form.target && form.target !== '_self') return;
    const pressed = event.submitter ?? submitButtons(form)[0];
    // After every listener has run (one may have stopped the submit), and after the browser has taken the form's
    // data: a disabled button's name and value would otherwise be left out of what is sent.
    setTimeout(() => {
      if (event.defaultPrevented) return;
      for (const button of submitButtons(form)) {
        if (button.disabled) continue;
        button.disabled = true;
        button.dataset.busy = '';
        if (button !== pressed) continue;
        const busyLabel = button.dataset.busyLabel || defaultBusyLabel;
        if (!busyLabel) continue;
        button.dataset.idleLabel = button instanceof HTMLInputElement ? button.value : button.textContent;
        setLabel(button, busyLabel);
      }
    }, 0);
  });

  // Back to a page the browser kept as it was left: its buttons work again.
  window.addEventListener('pageshow', (event) => {
    if (!event.persisted) return;
    for (const button of document.querySelectorAll('[data-busy]')) {
      button.disabled = false;
      delete button.dataset.busy;
      if (button.dataset.idleLabel !== undefined) setLabel(button, button.dataset.idleLabel);
      delete button.dataset.idleLabel;
    }
  });
}
