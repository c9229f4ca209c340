/**
 * Sample payslips, made up from the person's `sub` (the same person always gets the same
 * pay, and each month its own overtime). Pure: today's date and the country are passed in.
 *
 * The country sets the payroll: in Iran pay months are Solar Hijri months and amounts are in
 * rials; in Israel Gregorian months and shekels. The payslips shown are those of the six
 * months before the current one, each paid on the last day of its month.
 */
import type { Profile } from '../shared/config.ts';
import { addDays, calendarParts, type Calendar } from '../shared/format.ts';
import { seeded } from '../shared/seeded.ts';

export const payrollOf: Record<Profile, { calendar: Calendar; currency: string }> = {
  ir: { calendar: 'persian', currency: 'IRR' },
  il: { calendar: 'gregory', currency: 'ILS' },
};

export const PAYSLIP_MONTHS = 6;

export const earningKinds = ['base', 'seniority', 'job_allowance', 'overtime'] as const;
export const deductionKinds = ['income_tax', 'insurance', 'pension'] as const;
export type LineKind = (typeof earningKinds)[number] | (typeof deductionKinds)[number];

/** A pay month: `key` is its year and month in the payroll calendar ('1404-07'), for addresses. */
export type PayPeriod = { key: string; firstDay: string; lastDay: string };
export type PayLine = { kind: LineKind; amount: number };
export type Payslip = {
  period: PayPeriod;
  paidOn: string;
  currency: string;
  earnings: PayLine[];
  deductions: PayLine[];
  gross: number;
  totalDeductions: number;
  net: number;
};

/** The `count` whole months before the one `today` is in, newest first. */
export function payPeriods(today: string, calendar: Calendar, count: number): PayPeriod[] {
  const periods: PayPeriod[] = [];
  let nextFirst = addDays(today, 1 - calendarParts(today, calendar).day);
  while (periods.length < count) {
    const lastDay = addDays(nextFirst, -1);
    const { year, month, day } = calendarParts(lastDay, calendar);
    const firstDay = addDays(lastDay, 1 - day);
    periods.push({ key: `${year}-${String(month).padStart(2, '0')}`, firstDay, lastDay });
    nextFirst = firstDay;
  }
  return periods;
}

/**
 * Rates and sizes per country. Sums are made in whole minor units (rials; agorot), so they
 * add up exactly; `step` rounds each amount (rials to 10,000, shekels to the agora).
 */
const scales = {
  ir: { minor: 1, step: 10_000, base: [180_000_000, 320_000_000], overtimeHour: 450_000, tax: 0.1, insurance: 0.07, pension: 0.09 },
  il: { minor: 100, step: 1, base: [900_000, 1_800_000], overtimeHour: 8_500, tax: 0.12, insurance: 0.07, pension: 0.06 },
} as const;

export function payslipFor(sub: string, period: PayPeriod, profile: Profile): Payslip {
  const scale = scales[profile];
  const round = (minor: number) => Math.round(minor / scale.step) * scale.step;
  const sum = (lines: readonly { minor: number }[]) => lines.reduce((total, line) => total + line.minor, 0);
  const main = ({ kind, minor }: { kind: LineKind; minor: number }): PayLine => ({ kind, amount: minor / scale.minor });
  // The person's pay (base, seniority) comes from the sub alone; the month's overtime from both.
  const person = seeded(`payslips:${sub}`);
  const month = seeded(`payslips:${sub}:${period.key}`);
  const base = round(person.int(scale.base[0], scale.base[1]));
  const earnings = [
    { kind: 'base', minor: base },
    { kind: 'seniority', minor: round(base * person.int(2, 25) / 100) },
    { kind: 'job_allowance', minor: round(base * 0.3) },
    { kind: 'overtime', minor: round(month.int(0, 30) * scale.overtimeHour) },
  ] as const;
  const gross = sum(earnings);
  const deductions = [
    { kind: 'income_tax', minor: round(gross * scale.tax) },
    { kind: 'insurance', minor: round(gross * scale.insurance) },
    { kind: 'pension', minor: round(gross * scale.pension) },
  ] as const;
  const totalDeductions = sum(deductions);
  return {
    period, paidOn: period.lastDay, currency: payrollOf[profile].currency,
    earnings: earnings.map(main), deductions: deductions.map(main),
    gross: gross / scale.minor, totalDeductions: totalDeductions / scale.minor, net: (gross - totalDeductions) / scale.minor,
  };
}

export function payslips(sub: string, { today, profile }: { today: string; profile: Profile }): Payslip[] {
  return payPeriods(today, payrollOf[profile].calendar, PAYSLIP_MONTHS).map((period) => payslipFor(sub, period, profile));
}
