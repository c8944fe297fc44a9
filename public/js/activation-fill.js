// Activation: a letter's QR code opens /aktivasi#nip=…&kode=… (the fragment never reaches a server). Fill the form
// in from it and take it out of the address bar and the history, so that the code is not left where the next
// person at the device could read it. Without JavaScript the person types both from the letter.
const filled = new URLSearchParams(window.location.hash.slice(1));
if (filled.has('nip') || filled.has('kode')) {
  const nip = document.getElementById('nip');
  const code = document.getElementById('code');
  if (nip && filled.get('nip')) nip.value = filled.get('nip');
  if (code && filled.get('kode')) code.value = filled.get('kode');
  window.history.replaceState(null, '', window.location.pathname);
  document.querySelector('form button[type="submit"]')?.focus();
}
