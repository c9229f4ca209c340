import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.ts';

const server = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  response.end('<!doctype html><html dir="rtl" lang="fa"><head><title>کلید</title></head><body><h1>سلام</h1></body></html>');
});
let baseUrl = '';
let browser: Browser;

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => server.close(resolve));
});

test('loads a right-to-left Persian page from a local server', async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const response = await page.goto(baseUrl);
    assert.equal(response?.status(), 200);
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'fa');
    assert.equal(await page.title(), 'کلید');
    assert.equal(await page.textContent('h1'), 'سلام');
  } finally {
    await context.close();
  }
});

test('contexts are isolated (cookies do not leak)', async () => {
  const a = await browser.newContext();
  const b = await browser.newContext();
  try {
    await a.addCookies([{ name: 'session', value: 'x', url: baseUrl }]);
    assert.equal((await a.cookies(baseUrl)).length, 1);
    assert.equal((await b.cookies(baseUrl)).length, 0);
  } finally {
    await a.close();
    await b.close();
  }
});
