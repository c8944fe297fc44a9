// Activation letters: the PDF downloads as it is drawn (the page stays), and this shows how far printing got by
// asking the server every second. Without JavaScript the download works the same, without a progress bar.
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.letterProgress) return;
  const box = form.querySelector('[data-progress]');
  const bar = box.querySelector('progress');
  const line = box.querySelector('[role="status"]');
  const labels = JSON.parse(form.dataset.labels);
  // Numbers as the page's language writes them ('1.250' or '1,250').
  const number = new Intl.NumberFormat(document.documentElement.lang);
  const say = (text, printed, total) =>
    text.replace('{printed}', number.format(printed)).replace('{total}', number.format(total));
  box.hidden = false;
  setTimeout(() => {
    for (const button of form.querySelectorAll('button[type="submit"]')) button.disabled = true;
  }, 0);
  const poll = async () => {
    try {
      const response = await fetch(form.dataset.letterProgress, { headers: { Accept: 'application/json' } });
      // Signed out meanwhile, or the run is gone: nothing more to show.
      if (!response.ok) return;
      const state = await response.json();
      bar.max = state.total;
      bar.value = state.printed;
      if (state.status === 'done') {
        line.textContent = say(labels.done, state.printed, state.total);
        return;
      }
      if (state.status === 'failed') {
        line.textContent = say(labels.failed, state.printed, state.total);
        for (const button of form.querySelectorAll('button[type="submit"]')) button.disabled = false;
        return;
      }
      line.textContent = say(labels.printing, state.printed, state.total);
    } catch {
      // A missed answer is asked again next second.
    }
    setTimeout(poll, 1000);
  };
  setTimeout(poll, 500);
});
