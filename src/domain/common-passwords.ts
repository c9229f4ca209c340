import { createRequire } from 'node:module';
import { toLatinDigits } from './digits.ts';

// The list is ranked by frequency; its first 10,000 entries are the passwords attackers try
// first, which is what NIST SP 800-63B §5.1.1.2 asks us to refuse. More would refuse
// passwords that are merely unusual words.
const LIST_SIZE = 10_000;

let common: Set<string> | undefined;

/** True when the password, ignoring case and digit script, is among the 10,000 most common. */
export function isCommonPassword(password: string): boolean {
  // The dictionary (~2.4 MB of heap and its code) loads at the first password checked, not at
  // start: a process that only signs people in never needs it.
  common ??= new Set((createRequire(import.meta.url)('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common'))
    .dictionary['passwords-common'].slice(0, LIST_SIZE).map((p) => p.toLowerCase()));
  return common.has(toLatinDigits(password).toLowerCase());
}
