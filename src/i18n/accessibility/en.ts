import type { AccessibilityKey } from './fa.ts';

/** English texts of the page titles' prefix and step names (see fa.ts). */
export const enAccessibility: Record<AccessibilityKey, string> = {
  'page.error_prefix': 'Error: ',
  'step.registration.rules': 'Rules',
  'step.registration.details': 'Your details',
  'step.registration.verify': 'Verify your mobile and email',
  'step.registration.done': 'Registration complete',
  'step.recovery.identify': 'Your details',
  'step.recovery.verify': 'Recovery code and new password',
  'step.recovery.identify_email': 'Your details and email',
  'step.recovery.link_sent': 'Check your email',
  'step.recovery.new_password': 'Choose a new password',
  'step.recovery.done': 'Password changed',
  'step.set_password.token': 'Your email link',
  'step.set_password.identify': 'Identification details',
  'step.set_password.choose': 'Choose password',
  'step.set_password.verify_email': 'Verify your email',
  'step.set_password.link_unusable': 'The link no longer works',
  'step.set_password.done': 'Finish',
  'step.otp_login.identify': 'Your national ID',
  'step.otp_login.verify': 'Enter the code',
  'step.otp_login.done': 'Signed in',
};
