import { formatIsoDate, gregorianMonthLength, splitIsoDate } from './iso-date.ts';
import type { IsoDate } from './iso-date.ts';
import type { Profile } from './profile.ts';
import { fromSolarHijri, solarHijriMonthLength, toSolarHijri } from './solar-hijri.ts';

export type OrgType =
  | 'public'
  | 'non_public'
  | 'gifted'
  | 'special'
  | 'university'
  | 'ministry'
  | 'province'
  | 'district';

export type Appointment = { start: IsoDate; end: IsoDate };

const MEHR = 7;
const SHAHRIVAR = 6;
const ORDIBEHESHT = 2;

/**
 * The dates an appointment form proposes. Iran: 1 Mehr to 31 Shahrivar of the next Solar
 * Hijri year; non-public schools sign contracts ending 31 Ordibehesht, before the summer.
 * Israel: 1 September to 30 June; orgType does not change it.
 *
 * In the last weeks before a school year (Shahrivar in Iran, July and August in Israel)
 * principals are already staffing the coming year, so the defaults point at it rather than
 * at the year about to end.
 */
export function appointmentDefaults(profile: Profile, orgType: OrgType, today: IsoDate): Appointment {
  if (profile === 'il') {
    const { year, month } = splitIsoDate(today);
    const first = month >= 7 ? year : year - 1;
    return {
      start: formatIsoDate({ year: first, month: 9, day: 1 }),
      end: formatIsoDate({ year: first + 1, month: 6, day: 30 }),
    };
  }
  const { year, month } = toSolarHijri(today);
  const first = month >= SHAHRIVAR ? year : year - 1;
  const endMonth = orgType === 'non_public' ? ORDIBEHESHT : SHAHRIVAR;
  return { start: fromSolarHijri(first, MEHR, 1), end: fromSolarHijri(first + 1, endMonth, 31) };
}

/**
 * The same appointment one year on, for renewals. Iranian dates move in the Solar Hijri
 * calendar (1 Mehr falls on 22 or 23 September depending on the year); a day past the end
 * of the target month (30 Esfand, 29 February) becomes the month's last day.
 */
export function nextSchoolYear(profile: Profile, start: IsoDate, end: IsoDate): Appointment {
  return { start: addOneYear(profile, start), end: addOneYear(profile, end) };
}

function addOneYear(profile: Profile, iso: IsoDate): IsoDate {
  if (profile === 'il') {
    const { year, month, day } = splitIsoDate(iso);
    return formatIsoDate({ year: year + 1, month, day: Math.min(day, gregorianMonthLength(year + 1, month)) });
  }
  const { year, month, day } = toSolarHijri(iso);
  return fromSolarHijri(year + 1, month, Math.min(day, solarHijriMonthLength(year + 1, month)));
}

/** Whether an appointment holds on `today`; both ends are inclusive, and a null end is open. */
export function isActiveOn(start: IsoDate, end: IsoDate | null, today: IsoDate): boolean {
  return start <= today && (end === null || today <= end);
}
