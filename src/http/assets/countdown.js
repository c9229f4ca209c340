// Live countdowns for flow forms (views/components/form.ts): a code's time left beside its
// expiry time, and a button that must wait (a resend's cooldown) disabled until it may be
// pressed. Times count from the page's arrival, as the server measured them: a phone's own
// clock is often wrong. Without JavaScript the page still says both; this only makes them move.
// Numbers in the page's digits: its language's, or on Arabic pages the reader's choice (data-digits).
const { lang, dataset } = document.documentElement;
const digits = new Intl.NumberFormat(lang || 'en', { useGrouping: false, ...(dataset.digits ? { numberingSystem: dataset.digits } : {}) });
const clock = (seconds) => `${digits.format(Math.floor(seconds / 60))}:${digits.format(seconds % 60).padStart(2, digits.format(0))}`;
const started = Date.now();

function tick() {
  const elapsed = Math.floor((Date.now() - started) / 1000);
  for (const span of document.querySelectorAll('.countdown[data-left]')) {
    const left = Math.max(0, Number(span.dataset.left) - elapsed);
    span.textContent = left > 0 ? `(${clock(left)})` : span.dataset.expired;
  }
  for (const button of document.querySelectorAll('button[data-wait]')) {
    const left = Math.max(0, Number(button.dataset.wait) - elapsed);
    const note = document.getElementById(button.getAttribute('aria-describedby'));
    button.disabled = left > 0;
    if (note) note.textContent = left > 0 ? note.dataset.template.replace('{seconds}', digits.format(left)) : '';
  }
}

tick();
setInterval(tick, 1000);
