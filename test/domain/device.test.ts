import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { describeDevice } from '../../src/domain/device.ts';

describe('describeDevice', () => {
  test('a phone and a computer: the browser and the operating system', () => {
    assert.deepEqual(describeDevice('Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36'),
      { browser: 'Chrome', os: 'Android', product: null });
    assert.deepEqual(describeDevice('Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1'),
      { browser: 'Safari', os: 'iOS', product: null });
    assert.deepEqual(describeDevice('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0'),
      { browser: 'Firefox', os: 'Windows', product: null });
  });

  test('a script or an app that is no browser: the product it names first', () => {
    assert.deepEqual(describeDevice('okhttp/4.12.0'), { browser: null, os: null, product: 'okhttp' });
    assert.deepEqual(describeDevice('curl/8.5.0'), { browser: null, os: null, product: 'curl' });
  });

  test('nothing to go on: all unknown, never "Mozilla"', () => {
    for (const header of [null, '', '   ', 'Mozilla/5.0 (compatible)', '<script>', 'lightMyRequest']) {
      assert.deepEqual(describeDevice(header), { browser: null, os: null, product: null }, String(header));
    }
  });

  test('any header is described without throwing, in short names', () => {
    fc.assert(fc.property(fc.string({ maxLength: 512 }), (header) => {
      const device = describeDevice(header);
      for (const part of [device.browser, device.os, device.product]) assert.ok(part === null || part.length <= 64);
    }));
  });
});
