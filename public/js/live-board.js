// The live ceremony board: follows the pact's Server-Sent Events and redraws the numbers and lists. EventSource
// reconnects by itself (the server asks for a retry after 2 s); only text is ever inserted, never HTML.
const main = document.querySelector('[data-board-events]');
if (main && 'EventSource' in window) {
  const field = (name) => main.querySelector(`[data-board="${name}"]`);
  // Numbers as the page's language writes them ('1.250' and '94,3' or '1,250' and '94.3').
  const number = new Intl.NumberFormat(document.documentElement.lang);
  const percent = new Intl.NumberFormat(document.documentElement.lang, { maximumFractionDigits: 1 });
  const fill = (list, items) => {
    if (!list) return;
    list.replaceChildren(
      ...items.map((text) => {
        const item = document.createElement('li');
        item.textContent = text;
        return item;
      }),
    );
  };
  const status = field('status');
  const live = status.textContent;
  const events = new EventSource(main.dataset.boardEvents);
  events.addEventListener('state', (event) => {
    const state = JSON.parse(event.data);
    field('signed').textContent = number.format(state.signed);
    field('required').textContent = number.format(state.required);
    field('percent').textContent = state.percent === null ? '—' : `${percent.format(state.percent)}%`;
    field('progress').value = state.percent ?? 0;
    field('waiting-count').textContent = number.format(state.waiting.length);
    fill(field('waiting'), state.waiting);
    fill(
      field('latest'),
      state.latest.map((item) => `${item.unit} — ${item.name ?? ''}`),
    );
    status.textContent = live;
  });
  events.addEventListener('error', () => {
    status.textContent = main.dataset.reconnecting || status.textContent;
  });
}
