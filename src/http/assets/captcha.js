// The captcha widget (ALTCHA) for pages that render views/components/captcha.ts. A module
// script from our origin, as CSP script-src 'self' allows. The CSP-strict build ships no
// workers, so the one algorithm we issue (captcha/captcha.ts) gets its worker here; Persian,
// Hebrew and Arabic texts load before the widget (English is built in), which picks by <html lang>.
import '/assets/altcha/i18n/fa.js';
import '/assets/altcha/i18n/he.js';
import '/assets/altcha/i18n/ar.js';
import '/assets/altcha/external/altcha.min.js';

globalThis.$altcha.algorithms.set('PBKDF2/SHA-256', () => new Worker('/assets/altcha/workers/pbkdf2.js'));
