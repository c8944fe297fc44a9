// "Salin tautan": copies the post's address. Without JavaScript (or clipboard access) the address stays in the
// read-only field beside the button, ready to select and copy by hand.
for (const button of document.querySelectorAll('[data-copy-target]')) {
  const field = document.getElementById(button.dataset.copyTarget);
  const status = button.parentElement.querySelector('[data-copy-status]');
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(field.value);
      status.textContent = button.dataset.copiedText;
    } catch {
      field.select();
    }
  });
}
