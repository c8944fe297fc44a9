// The strength meter under a new-password field (views/partials/password-meter.ejs): zxcvbn-ts with its common and
// Indonesian dictionaries, the estimate the server checks too (src/credentials/password-strength.ts). The
// dictionaries weigh about 400 KB on the wire, so they are fetched when the person first reaches the field, not
// with the page. (A block, so that its names do not meet those of the page's other scripts.)
{
  const meterBox = document.querySelector('[data-password-meter]');
  const field = meterBox && document.getElementById(meterBox.dataset.passwordMeter);
  const loadScript = (src) =>
    new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.append(script);
    });
  const load = async () => {
    // In order: the language packs add themselves to the global the core made.
    for (const src of meterBox.dataset.scripts.split(' ')) await loadScript(src);
    const { core } = window.zxcvbnts;
    const common = window.zxcvbnts['language-common'];
    const id = window.zxcvbnts['language-id'];
    return new core.ZxcvbnFactory({
      translations: id.translations,
      graphs: common.adjacencyGraphs,
      dictionary: { ...common.dictionary, ...id.dictionary },
    });
  };
  if (field) {
    const labels = JSON.parse(meterBox.dataset.labels);
    const userInputs = JSON.parse(meterBox.dataset.userInputs);
    const meter = meterBox.querySelector('meter');
    const text = meterBox.querySelector('[aria-live]');
    let timer = null;
    let estimator = null;
    let loading = false;
    const show = () => {
      if (field.value === '') {
        meter.value = 0;
        text.textContent = '';
        return;
      }
      const { score } = estimator.check(field.value, userInputs);
      meter.value = score;
      text.textContent = labels[score];
    };
    const start = () => {
      if (loading) return;
      loading = true;
      // Without the dictionaries (a network that dropped them) the form works as before: the server checks.
      load()
        .then((loaded) => {
          estimator = loaded;
          meterBox.hidden = false;
          show();
        })
        .catch(() => {});
    };
    field.addEventListener('focus', start, { once: true });
    field.addEventListener('input', () => {
      start();
      if (estimator) {
        clearTimeout(timer);
        timer = setTimeout(show, 150);
      }
    });
  }
}
