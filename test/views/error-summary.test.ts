// The error summary of a refused form (views/components/error-summary.ts, issue 14 §3): each
// problem a link to the field it is about, plain words for what is about no field, the page's
// title then begins "Error: " in its language, and no text a person types can forge it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { actionsField, field, withErrors, type FormModel } from '../../src/flows/form.ts';
import { translator } from '../../src/i18n/catalogs.ts';
import { renderForm } from '../../src/views/components/form.ts';
import { html } from '../../src/views/html.ts';
import { layout, type PageFrame } from '../../src/views/layout.ts';

const t = translator('fa');
const frame = (title: string): PageFrame => ({ locale: 'fa', formatting: 'fa', t, title, path: '/x', csrfToken: 'token', user: null });
const titleOf = (page: string) => /<title>(.*)<\/title>/.exec(page)?.[1];

const form: FormModel = {
  fields: [
    field('firstName', 'text', 'registration.first_name'),
    field('membershipId', 'radio', 'role_choice.label', { options: [{ value: 'a', text: 'A' }, { value: 'b', text: 'B' }] }),
    field('accept', 'checkbox', 'registration.accept_rules', { value: 'yes' }),
    field('captcha', 'captcha', 'registration.captcha'),
    field('flow', 'hidden', 'flow.actions'),
    actionsField([{ value: 'send', label: 'registration.send', available: true }]),
  ],
  messages: [],
};
const refused = withErrors(form, [
  { code: 'error.field_invalid', field: 'firstName' },
  { code: 'error.field_invalid', field: 'membershipId' },
  { code: 'error.field_invalid', field: 'accept' },
  { code: 'captcha.invalid', field: 'captcha' },
  { code: 'flow.changed', field: 'flow' },
  { code: 'flow.action_not_allowed', field: 'action' },
  { code: 'sign_in.invalid' },
]);

describe('the error summary', () => {
  test('links each field\'s error to an element with that id, and leaves the rest plain', () => {
    const drawn = renderForm(refused, t, { action: '/x', csrfToken: 'token' }).value;
    const summary = /<div class="alert error error-summary"[^>]*>([\s\S]*?)<\/div>/.exec(drawn);
    assert.ok(summary, 'a summary is drawn');
    assert.match(summary[0], /role="alert"/);
    assert.match(summary[0], /autofocus/);
    assert.match(summary[1]!, new RegExp(`<h2 id="error-summary-title">${t('common.errors_above')}</h2>`));
    const links = [...summary[1]!.matchAll(/<a href="#([^"]+)">/g)].map((m) => m[1]);
    assert.deepEqual(links, ['firstName', 'membershipId', 'accept', 'captcha-widget']);
    for (const id of links) assert.equal(drawn.split(`id="${id}"`).length - 1, 1, `exactly one element has the id ${id}`);
    // The radio group's link leads to its first radio; the hidden field's and the buttons' errors, and the form's own, are words.
    assert.match(drawn, /<input id="membershipId" type="radio" name="membershipId" value="a"/);
    const items = summary[1]!.match(/<li>/g)?.length;
    assert.equal(items, 7);
    assert.match(summary[1]!, new RegExp(`<li>${t('sign_in.invalid')}</li>`));
  });

  test('a form without errors draws no summary, and its page title has no "Error: "', () => {
    const page = layout(frame('ثبت نام'), html`<h1>x</h1>${renderForm(form, t, { action: '/x', csrfToken: 'token' })}`).value;
    assert.doesNotMatch(page, /error-summary/);
    assert.equal(titleOf(page), `ثبت نام · ${t('app.name')}`);
  });

  test('a page that draws the summary is titled "Error: …" in its language', () => {
    const page = layout(frame('ثبت نام'), renderForm(refused, t, { action: '/x', csrfToken: 'token' })).value;
    assert.equal(titleOf(page), `${t('page.error_prefix')}ثبت نام · ${t('app.name')}`);
    const en = translator('en');
    const english = layout({ ...frame('Register'), locale: 'en', formatting: 'en', t: en }, renderForm(refused, en, { action: '/x', csrfToken: 'token' })).value;
    assert.equal(titleOf(english), 'Error: Register · Kelid');
  });

  test('text a person typed cannot pass for a summary', () => {
    const typed = withErrors({ ...form, fields: form.fields.map((f) => (f.name === 'firstName' ? { ...f, value: 'class="alert error error-summary"' } : f)) }, []);
    const page = layout(frame('ثبت نام'), renderForm(typed, t, { action: '/x', csrfToken: 'token' })).value;
    assert.equal(titleOf(page), `ثبت نام · ${t('app.name')}`);
  });
});
