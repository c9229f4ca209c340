/**
 * Valid, unique national IDs for generated demo people, drawn from the seeded generator.
 * Each candidate is checked with the same validator that sign-in and registration use, so a
 * demo ID never fails where a real one would pass (the generator's arithmetic is not trusted
 * on its own).
 */
import { ilCheckDigit, isValidNationalId, nationalIdCheckDigit } from '../domain/national-id.ts';
import type { Profile } from '../domain/profile.ts';
import type { Random } from './random.ts';

// Iranian codes start with the issuing office: Tehran (001–008) and Mashhad (092–094), the
// demo's two provinces.
const IR_OFFICES = ['001', '002', '003', '004', '005', '006', '007', '008', '092', '093', '094'];
// Israeli IDs issued since the 1990s mostly start with 2 or 3; older ones with 0.
const IL_FIRST_DIGITS = ['0', '2', '3'];

/** Returns a function that yields a fresh valid ID, never one in `taken` (which it extends). */
export function nationalIdGenerator(profile: Profile, random: Random, taken: Set<string>): () => string {
  const candidate = profile === 'ir'
    ? () => {
      const first9 = random.pick(IR_OFFICES) + digits(random, 6);
      return first9 + String(nationalIdCheckDigit(first9));
    }
    : () => {
      const first8 = random.pick(IL_FIRST_DIGITS) + digits(random, 7);
      return first8 + String(ilCheckDigit(first8));
    };
  return () => {
    for (;;) {
      const id = candidate();
      if (taken.has(id) || !isValidNationalId(id, profile)) continue;
      taken.add(id);
      return id;
    }
  };
}

function digits(random: Random, count: number): string {
  let text = '';
  for (let i = 0; i < count; i++) text += String(random.int(0, 9));
  return text;
}
