/** Business hours: their shape, and the checks that make a calendar usable. */
import { IANAZone } from 'luxon';
import { ValidationError } from '../errors';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface BusinessHours {
  /** IANA zone, e.g. 'Europe/Berlin' */
  timeZone: string;
  /** local 'HH:MM' periods per day, several allowed (split shifts, lunch breaks); a missing day is closed; '24:00' allowed as an end */
  week: Partial<Record<Weekday, Array<[string, string]>>>;
  /** local dates 'YYYY-MM-DD' that are closed all day */
  holidays?: string[];
}

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

const TIME = /^(\d{2}):(\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Minutes after midnight for 'HH:MM' (00:00–23:59, or 24:00 when `end`), else undefined. */
export function parseTime(value: unknown, end: boolean): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = TIME.exec(value);
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59) return undefined;
  if (h < 24) return h * 60 + min;
  return end && h === 24 && min === 0 ? 1440 : undefined;
}

/** Days since 1970-01-01 of a real calendar date 'YYYY-MM-DD', else undefined. */
export function parseDate(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = DATE.exec(value);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return ms / 86_400_000;
}

const hhmm = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Problems with a business-hours value, each a sentence for a person; [] when it is usable.
 * Checks the zone, every 'HH:MM', reversed, empty and overlapping periods, holiday dates,
 * and that the calendar is open at some time at all.
 */
export function validateBusinessHours(h: unknown): string[] {
  if (!isRecord(h)) return ['business hours must be an object with timeZone and week'];
  const problems: string[] = [];
  const zone = h['timeZone'];
  if (typeof zone !== 'string' || zone === '' || !IANAZone.isValidZone(zone)) {
    problems.push(`timeZone must be an IANA time zone such as 'Europe/Berlin' (got ${JSON.stringify(zone) ?? 'nothing'})`);
  }
  const week = h['week'];
  let anyPeriod = false;
  if (!isRecord(week)) {
    problems.push(`week must be an object of days (${WEEKDAYS.join(', ')}) with lists of ['HH:MM', 'HH:MM'] periods`);
  } else {
    for (const [day, periods] of Object.entries(week)) {
      if (!(WEEKDAYS as readonly string[]).includes(day)) {
        problems.push(`week: unknown day '${day}' (use ${WEEKDAYS.join(', ')})`);
        continue;
      }
      if (periods === undefined) continue;
      if (!Array.isArray(periods)) {
        problems.push(`week.${day} must be a list of ['HH:MM', 'HH:MM'] periods`);
        continue;
      }
      const good: Array<{ start: number; end: number; index: number }> = [];
      periods.forEach((period: unknown, index) => {
        const where = `week.${day}[${index}]`;
        if (!Array.isArray(period) || period.length !== 2) {
          problems.push(`${where} must be a pair ['HH:MM', 'HH:MM']`);
          return;
        }
        const [rawStart, rawEnd] = period as unknown[];
        const start = parseTime(rawStart, false);
        const end = parseTime(rawEnd, true);
        if (start === undefined) problems.push(`${where}: start ${JSON.stringify(rawStart)} is not a time 'HH:MM' from 00:00 to 23:59`);
        if (end === undefined) problems.push(`${where}: end ${JSON.stringify(rawEnd)} is not a time 'HH:MM' from 00:00 to 24:00`);
        if (start === undefined || end === undefined) return;
        if (end === start) {
          problems.push(`${where}: ${hhmm(start)}-${hhmm(end)} is empty`);
        } else if (end < start) {
          problems.push(`${where}: ${hhmm(start)}-${hhmm(end)} ends before it starts (a period cannot cross midnight: split it into ${hhmm(start)}-24:00 and 00:00-${hhmm(end)} on the next day)`);
        } else {
          good.push({ start, end, index });
        }
      });
      good.sort((a, b) => a.start - b.start || a.end - b.end);
      for (let i = 1; i < good.length; i++) {
        const prev = good[i - 1]!;
        const cur = good[i]!;
        if (cur.start < prev.end) {
          problems.push(`week.${day}: ${hhmm(prev.start)}-${hhmm(prev.end)} and ${hhmm(cur.start)}-${hhmm(cur.end)} overlap`);
        }
      }
      if (periods.length > 0) anyPeriod = true;
    }
    if (!anyPeriod) {
      problems.push('week has no open period on any day: the calendar would never be open');
    }
  }
  const holidays = h['holidays'];
  if (holidays !== undefined) {
    if (!Array.isArray(holidays)) {
      problems.push(`holidays must be a list of local dates 'YYYY-MM-DD'`);
    } else {
      holidays.forEach((d: unknown, i) => {
        if (parseDate(d) === undefined) problems.push(`holidays[${i}]: ${JSON.stringify(d)} is not a date 'YYYY-MM-DD'`);
      });
    }
  }
  return problems;
}

/** Thrown when business hours are unusable; `problems` lists what validateBusinessHours found. */
export class InvalidBusinessHoursError extends ValidationError {
  constructor(readonly problems: string[]) {
    super(`invalid business hours: ${problems.join('; ')}`, { problems });
  }
}
