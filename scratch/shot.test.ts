import { test } from 'node:test';
import { serve, startTestApp } from '../test/helpers/app.ts';
import { launchBrowser } from '../test/helpers/browser.ts';
import { loadPage, SLOW_3G } from '../test/helpers/page-load.ts';
test('shot', async () => {
  const t = await startTestApp('pglite');
  const base = await serve(t.app);
  const browser = await launchBrowser();
  for (const locale of ['fa', 'he', 'en']) {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    const load = await loadPage(page, `${base}/sign-in?lang=${locale}`);
    console.log(locale, load.bytes, load.requests.map((r) => `${new URL(r.url).pathname} ${r.status} ${r.bytes}`).join(' | '));
    await page.screenshot({ path: `scratch/${locale}.png` });
    const slowContext = await browser.newContext();
    const slow = await loadPage(await slowContext.newPage(), `${base}/sign-in?lang=${locale}`, SLOW_3G);
    console.log(locale, 'slow usable', Math.round(slow.usableMs), slow.bytes);
    await context.close(); await slowContext.close();
  }
  await browser.close(); await t.close();
});
