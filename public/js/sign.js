// Signature pad on the signing form. Without JavaScript (or without drawing) the typed name alone signs.
(() => {
  const form = document.querySelector('form.needs-signature-pad');
  const canvas = form?.querySelector('canvas.signature-pad');
  const field = form?.querySelector('input[name="signature"]');
  if (!form || !canvas || !field || typeof window.SignaturePad !== 'function') return;

  const pad = new window.SignaturePad(canvas, { penColor: '#0b1f44', backgroundColor: 'rgba(0,0,0,0)' });

  // Match the canvas to its size on screen and the device's pixel density. redraw() keeps both the strokes and a
  // drawing restored from a returned form (a phone resizes when its keyboard opens or it turns).
  const resize = () => {
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    canvas.width = canvas.offsetWidth * ratio;
    canvas.height = canvas.offsetHeight * ratio;
    canvas.getContext('2d').scale(ratio, ratio);
    pad.redraw();
  };
  window.addEventListener('resize', resize);
  resize();

  // A drawing kept from a form that came back with an error.
  if (field.value.startsWith('data:image/png;base64,')) {
    pad.fromDataURL(field.value, { ratio: 1, width: canvas.offsetWidth, height: canvas.offsetHeight });
  }

  form.querySelector('.signature-clear')?.addEventListener('click', () => {
    pad.clear();
    field.value = '';
  });

  form.addEventListener('submit', () => {
    field.value = pad.isEmpty() ? '' : pad.toDataURL('image/png');
  });
})();
