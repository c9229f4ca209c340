// What the logs say of a request's address (http/request-log.ts): names kept, secrets gone.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addressForLog } from '../../src/http/request-log.ts';

describe('addresses in the logs', () => {
  test('a query keeps every name and only the values of harmless parameters', () => {
    assert.equal(addressForLog('/sign-in'), '/sign-in');
    assert.equal(addressForLog('/sign-in?return_to=%2Finteraction%2Fabc&lang=he&digits=latin'), '/sign-in?return_to=[redacted]&lang=he&digits=latin');
    assert.equal(addressForLog('/x?a&b=&token=1&token=2'), '/x?a&b=[redacted]&token=[redacted]&token=[redacted]');
    assert.equal(addressForLog('/x?%ZZ=%ZZ&lang=%ZZ'), '/x?%ZZ=[redacted]&lang=%ZZ', 'not decoded: never throws');
    assert.equal(addressForLog('/x?'), '/x?');
  });

  test('the segment of a capability\'s path goes; other paths stay as they are', () => {
    assert.equal(addressForLog('/q/abc.def'), '/q/[redacted]');
    assert.equal(addressForLog('/q/abc?lang=fa'), '/q/[redacted]?lang=fa');
    assert.equal(addressForLog('/api/v1/flows/6F1C2B3A-0000-4000-8000-00000000ABCD/extra'), '/api/v1/flows/[redacted]/extra');
    assert.equal(addressForLog('/api/v1/flows/recovery?by=email'), '/api/v1/flows/recovery?by=email', 'the kind a flow is started by stays');
    assert.equal(addressForLog('/admin/users/6f1c'), '/admin/users/6f1c');
    assert.equal(addressForLog('/quiz/q/1'), '/quiz/q/1');
  });
});
