// Roster import: once a form is sent, say that it is being processed (a large file takes some seconds) and keep
// the button from being pressed twice. Without JavaScript the forms work the same, silently.
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.processing) return;
  const status = document.getElementById(form.dataset.processing);
  if (status) status.hidden = false;
  // After this event the browser has taken the form's data: disabling now does not change what is sent.
  setTimeout(() => {
    for (const button of form.querySelectorAll('button[type="submit"]')) button.disabled = true;
  }, 0);
});
