// The strength meter under a new-password field (views/partials/password-meter.ejs). It says what the server's rules
// will (src/credentials/password.ts): too short, containing the person's NIP, email name or name, or how guessable
// by zxcvbn-ts with its common and Indonesian dictionaries and the same first guesses. The dictionaries weigh about
// 400 KB on the wire, so they are fetched when the person first reaches the field, not with the page.
// (A block, so that its names do not meet those of the page's other scripts.)
{
  const box = document.querySelector('[data-password-meter]');
  const field = box && document.getElementById(box.dataset.passwordMeter);
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
    for (const src of box.dataset.scripts.split(' ')) await loadScript(src);
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
    const labels = JSON.parse(box.dataset.labels);
    const identities = JSON.parse(box.dataset.identities);
    const guesses = JSON.parse(box.dataset.guesses);
    const minLength = Number(box.dataset.minLength);
    const meter = box.querySelector('meter');
    const text = document.getElementById(`${field.id}-strength`);
    let timer = null;
    let estimator = null;
    let loading = false;
    /** The score and what to say of it; the same order as the server's rules. */
    const verdict = (password) => {
      if ([...password].length < minLength) return { score: 0, label: labels.tooShort };
      const lower = password.toLowerCase();
      if (identities.some((part) => lower.includes(part))) return { score: 0, label: labels.identity };
      const { score } = estimator.check(password, guesses);
      return { score, label: labels.scores[score] };
    };
    const show = () => {
      const { score, label } = field.value === '' ? { score: 0, label: '' } : verdict(field.value);
      meter.value = score;
      // Only a change is spoken: a screen reader is not told the same verdict after every pause in typing.
      if (text.textContent !== label) text.textContent = label;
    };
    const start = () => {
      if (loading) return;
      loading = true;
      // Without the dictionaries (a network that dropped them) the form works as before: the server checks.
      load()
        .then((loaded) => {
          estimator = loaded;
          meter.hidden = false;
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
