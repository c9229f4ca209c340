/** The clock is injected everywhere (tests move it); "today" is the profile's civil date. */
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };

export const profileTimeZone = { ir: 'Asia/Tehran', il: 'Asia/Jerusalem' } as const;

const formats = new Map<string, Intl.DateTimeFormat>();
// The last answer per time zone and the UTC minute it holds for. Since 1973 every time zone's
// offset is a whole number of minutes (Asia/Tehran +03:30, Asia/Kathmandu +05:45; the last one
// with seconds in the tz database, Liberia's −00:44:30, ended in 1972), so a civil date changes
// only at the start of a UTC minute: within one minute the answer cannot change.
const lastDates = new Map<string, { minute: number; date: string }>();
const WHOLE_MINUTE_OFFSETS_SINCE = Date.UTC(1973, 0, 1);

/**
 * 'YYYY-MM-DD' of `instant` in `timeZone` (an IANA name). Asked on every sign-in (the active
 * memberships are today's): Intl's formatting reads ICU's data, which the argon2 threads keep out
 * of the caches under load (measured: ~2 % of the event loop's time in a password sign-in), so
 * the date is worked out once per time zone and minute.
 */
export function isoDateIn(instant: Date, timeZone: string): string {
  const cached = instant.getTime() >= WHOLE_MINUTE_OFFSETS_SINCE;
  const minute = Math.floor(instant.getTime() / 60_000);
  const last = lastDates.get(timeZone);
  if (cached && last !== undefined && last.minute === minute) return last.date;
  // Building an Intl formatter costs far more than using one: keep one per time zone.
  let format = formats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(timeZone, format);
  }
  const date = format.format(instant);
  // An invalid Date (NaN) never gets here: Intl throws a RangeError for it.
  if (cached) lastDates.set(timeZone, { minute, date });
  return date;
}
