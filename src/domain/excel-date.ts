/**
 * Excel's serial dates (pure): a day number counted from the workbook's epoch. In the 1900
 * system (the default) day 1 is 1900-01-01 and day 60 is 1900-02-29, a day that never was
 * (Lotus 1-2-3's leap-year bug, kept by Excel): from day 61 on the count is one ahead. In
 * the 1904 system (old Mac workbooks, `date1904` in workbook.xml) day 0 is 1904-01-01.
 */
import { formatIsoDate, type IsoDate } from './iso-date.ts';

const DAY_MS = 86_400_000;

/**
 * The calendar day of serial `serial` (a time of day, the fraction, is dropped), or
 * undefined for day 60 of the 1900 system, a negative or non-finite number, or one past
 * year 9999 (Excel's own limit, 2,958,465).
 */
export function excelSerialToIso(serial: number, date1904: boolean): IsoDate | undefined {
  if (!Number.isFinite(serial) || serial < 0 || serial > 2_958_465) return undefined;
  const day = Math.floor(serial);
  let epoch: number;
  if (date1904) epoch = Date.UTC(1904, 0, 1);
  else if (day === 0 || day === 60) return undefined;
  else epoch = day < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  const date = new Date(epoch + day * DAY_MS);
  return formatIsoDate({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() });
}
