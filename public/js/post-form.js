// The post form: a live preview of the Markdown body, rendered and sanitised by the server (the same code that
// renders the published post), the address the slug gives, and a confirmation before deleting. Without JavaScript
// the "Pratinjau" button shows the preview through a normal submit.
const body = document.querySelector('[data-preview-target]');
if (body) {
  const target = document.getElementById(body.dataset.previewTarget);
  const status = document.getElementById('pratinjau-status');
  const hint = status.textContent;
  let timer;
  let latest = 0;
  const refresh = async () => {
    const request = ++latest;
    try {
      const response = await fetch(body.dataset.previewUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'x-csrf-token': body.dataset.csrf },
        body: new URLSearchParams({ body: body.value }),
        credentials: 'same-origin',
      });
      const result = await response.json();
      if (request !== latest) return;
      if (response.ok) target.innerHTML = result.html;
      status.textContent = response.ok ? hint : result.error || status.dataset.failed;
    } catch {
      if (request === latest) status.textContent = status.dataset.failed;
    }
  };
  body.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
  if (target.innerHTML.trim() === '' && body.value.trim() !== '') void refresh();
}

// The address the post will have, shown under the slug field as it is typed (the server checks it on saving).
const slug = document.getElementById('slug');
const address = document.getElementById('slug-address');
if (slug && address) {
  slug.addEventListener('input', () => {
    address.textContent = address.dataset.base + (slug.value.trim().toLowerCase() || address.dataset.empty);
  });
}

for (const form of document.querySelectorAll('form[data-confirm]')) {
  form.addEventListener('submit', (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
}
