/** The clock is injected everywhere (tests move it); "today" is the profile's civil date. */
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };

export const profileTimeZone = { ir: 'Asia/Tehran', il: 'Asia/Jerusalem' } as const;

/** 'YYYY-MM-DD' of `instant` in `timeZone`. */
const formats = new Map<string, Intl.DateTimeFormat>();

export function isoDateIn(instant: Date, timeZone: string): string {
  // Building an Intl formatter costs far more than using one: keep one per time zone.
  let format = formats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(timeZone, format);
  }
  return format.format(instant);
}
