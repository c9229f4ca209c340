// Compile-time test: a misspelt catalog key does not compile, wherever a key is passed.
// Never run; `npm run check` type-checks it (tsconfig includes test/), and so does
// typecheck.test.ts in `npm test`. Each `@ts-expect-error` below stands over a misspelling:
// were keys typed as `string` again, the line would compile, the directive would be unused,
// and tsc would fail. Each right spelling beside it shows that the line fails for the typo only.
import type { Role } from '../../src/db/schema.ts';
import type { EmailError } from '../../src/domain/email.ts';
import type { DateError } from '../../src/domain/iso-date.ts';
import type { NationalIdError } from '../../src/domain/national-id.ts';
import type { PasswordProblem } from '../../src/domain/password-policy.ts';
import type { ClientProblem } from '../../src/domain/oidc-client.ts';
import type { MobileError } from '../../src/domain/phone.ts';
import { AppError, statusOfRefusal } from '../../src/errors.ts';
import type { FieldErrors } from '../../src/flows/flow.ts';
import { field, withErrors, type FormModel, type Message, type Option } from '../../src/flows/form.ts';
import type { TextKey, Translate } from '../../src/i18n/catalogs.ts';
import type { Executor } from '../../src/identity/audit.ts';
import type { Notifier } from '../../src/identity/notifier.ts';
import { renderTemplate } from '../../src/notify/templates.ts';

/** The domain names its codes without importing a catalog; each of its unions must be keys. */
type Keys<T extends TextKey> = T;
export type DomainCodes = Keys<NationalIdError | MobileError | EmailError | DateError | PasswordProblem | ClientProblem['code']>;

export function misspeltKeys(t: Translate, form: FormModel, notifier: Notifier, db: Executor, role: Role, text: string) {
  t('sign_in.invalid');
  // @ts-expect-error: misspelt key
  t('sign_in.invlid');

  t(`role.${role}`);
  // @ts-expect-error: any string after `role.` is not a key; a Role is
  t(`role.${text}`);
  // @ts-expect-error: text made at run time must pass isMessageKey first
  t(text);

  void new AppError(422, 'national_id.checksum');
  // @ts-expect-error: misspelt key
  void new AppError(422, 'national_id.chcksum');
  statusOfRefusal('sign_in.locked');
  // @ts-expect-error: misspelt key
  statusOfRefusal('sign_in.lockd');

  field('firstName', 'text', 'registration.first_name');
  // @ts-expect-error: misspelt label
  field('firstName', 'text', 'registration.frist_name');

  const errors: FieldErrors = [
    { code: 'password.too_short', field: 'password' },
    // @ts-expect-error: misspelt field-error code
    { code: 'password.to_short', field: 'password' },
  ];
  withErrors(form, [{ code: 'error.field_invalid', field: 'x' }]);
  // @ts-expect-error: misspelt field-error code
  withErrors(form, [{ code: 'error.field_invalud', field: 'x' }]);

  const messages: Message[] = [
    { kind: 'info', code: 'registration.rule_1' },
    // @ts-expect-error: misspelt message
    { kind: 'info', code: 'registration.rule_l' },
  ];
  const options: Option[] = [
    { value: '', label: 'profile.choose' },
    { value: 'AF', text: 'Afghanistan' },
    // @ts-expect-error: misspelt option label
    { value: '', label: 'profile.chose' },
  ];
  // @ts-expect-error: misspelt submit
  const model: FormModel = { fields: [], messages: [], submit: 'common.contnue' };

  void notifier.enqueue(db, { channel: 'sms', to: '+989121234567', template: 'recovery.sms', locale: 'fa', params: { code: '123456' } });
  // @ts-expect-error: misspelt template
  void notifier.enqueue(db, { channel: 'sms', to: '+989121234567', template: 'recovery.smss', locale: 'fa', params: { code: '123456' } });
  // @ts-expect-error: misspelt template
  renderTemplate('verification.sm', 'sms', 'fa', { code: '123456' });

  return { errors, messages, options, model };
}
