// The captcha widget (ALTCHA) for pages that render views/components/captcha.ts. A module
// script from our origin, as CSP script-src 'self' allows. The CSP-strict build ships no
// workers, so the one algorithm we issue (captcha/captcha.ts) gets its worker here; Persian,
// Hebrew and Arabic texts load before the widget (English is built in), which picks by <html lang>.
import '/assets/altcha/i18n/fa.js';
import '/assets/altcha/i18n/he.js';
import '/assets/altcha/i18n/ar.js';
import '/assets/altcha/external/altcha.min.js';

globalThis.$altcha.algorithms.set('PBKDF2/SHA-256', () => new Worker('/assets/altcha/workers/pbkdf2.js'));

// The error summary's link to the captcha (views/components/error-summary.ts) leads to the
// widget, which cannot take focus itself (with scripts off, the security image's input is just
// below it). Following the link moves focus on to the widget's checkbox, as every other link
// of the summary does to its field.
document.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('.error-summary a[href^="#"]') : null;
  const widget = link && document.getElementById(decodeURIComponent(link.getAttribute('href').slice(1)));
  if (widget?.localName !== 'altcha-widget') return;
  const checkbox = widget.querySelector('input[type="checkbox"]');
  if (!checkbox) return;
  event.preventDefault();
  history.replaceState(null, '', link.getAttribute('href'));
  widget.scrollIntoView({ block: 'center' });
  checkbox.focus();
});
