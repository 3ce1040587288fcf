/**
 * Business-hours arithmetic for SLA due times. Pure: no I/O, no clock, no settings.
 *
 * Semantics
 * - Without business hours every function is wall-clock: `addBusinessMinutes` adds real minutes,
 *   `businessMinutesBetween` is the real difference, `isOpen` is always true.
 * - With business hours only time inside the open periods counts. Periods are local wall-clock
 *   times in `timeZone`, half-open [start, end): open at the opening instant, closed at the closing one.
 *   A missing day and a holiday (a local date) are closed all day; '24:00' ends a period at the next
 *   local midnight, so 22:00–24:00 plus next day 00:00–02:00 is one continuous stretch.
 * - `addBusinessMinutes(start, m)` is the earliest instant by which `m` business minutes have elapsed
 *   since `start`: a start outside business hours begins counting at the next opening, and a target
 *   used up exactly at a closing time is due at that closing time (not at the next opening).
 *   `m = 0` returns `start` itself. `businessMinutesBetween(start, addBusinessMinutes(start, m)) === m`.
 * - Daylight saving: every period boundary is converted from local time to an instant on its own date
 *   (with luxon), so durations are real elapsed time. 09:00–17:00 is 8 hours on the day clocks change;
 *   01:00–04:00 lasts 2 real hours on the spring-forward night and 4 on the autumn night in Europe/Berlin.
 *   A boundary inside the skipped hour moves forward by the gap (02:30 → 03:30 new time); a boundary in
 *   the repeated hour means its second occurrence (standard time), as luxon resolves ambiguous times.
 *   A period can never count more than the day it belongs to.
 * - Results are rounded to whole milliseconds (a Date cannot hold less); fractional minutes are allowed.
 * - A BusinessHours object is compiled once and cached by identity (and by content): treat it as
 *   immutable — pass a new object rather than editing one in place.
 */
import { DateTime, IANAZone } from 'luxon';
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

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const TIME = /^(\d{2}):(\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Minutes after midnight for 'HH:MM' (00:00–23:59, or 24:00 when `end`), else undefined. */
function parseTime(value: unknown, end: boolean): number | undefined {
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
function parseDate(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = DATE.exec(value);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return ms / DAY_MS;
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

const EMPTY: readonly number[] = [];
const MAX_CACHED_DAYS = 20_000;

/**
 * A validated calendar: periods in minutes per weekday, holidays as day numbers, and a cache of
 * each local date's open intervals as instants [start0, end0, start1, end1, ...] in epoch ms.
 */
class Calendar {
  private readonly zone: IANAZone;
  /** index 0 = Sunday ... 6 = Saturday, as Date#getUTCDay */
  private readonly periods: Array<Array<[number, number]>>;
  private readonly holidays: Set<number>;
  private readonly days = new Map<number, readonly number[]>();
  /** more closed days in a row than this cannot happen in a valid calendar */
  readonly maxClosedRun: number;

  constructor(h: BusinessHours) {
    this.zone = IANAZone.create(h.timeZone);
    const byUtcDay = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
    this.periods = byUtcDay.map((day) =>
      (h.week[day] ?? [])
        .map(([s, e]): [number, number] => [parseTime(s, false)!, parseTime(e, true)!])
        .sort((a, b) => a[0] - b[0]),
    );
    this.holidays = new Set((h.holidays ?? []).map((d) => parseDate(d)!));
    this.maxClosedRun = this.holidays.size + 14;
  }

  /** Open intervals of local date `day` (days since 1970-01-01), sorted, disjoint, inside that local day. */
  intervals(day: number): readonly number[] {
    let found = this.days.get(day);
    if (found === undefined) {
      found = this.compute(day);
      if (this.days.size >= MAX_CACHED_DAYS) this.days.clear();
      this.days.set(day, found);
    }
    return found;
  }

  private compute(day: number): readonly number[] {
    if (this.holidays.has(day)) return EMPTY;
    const periods = this.periods[(((day + 4) % 7) + 7) % 7]!;
    if (periods.length === 0) return EMPTY;
    const dayStart = this.instant(day, 0);
    const dayEnd = this.instant(day + 1, 0);
    const out: number[] = [];
    let floor = dayStart;
    for (const [s, e] of periods) {
      const start = Math.max(floor, s === 0 ? dayStart : this.instant(day, s));
      const end = Math.min(dayEnd, e === 1440 ? dayEnd : this.instant(day, e));
      if (end <= start) continue;
      if (out.length > 0 && out[out.length - 1] === start) out[out.length - 1] = end;
      else out.push(start, end);
      floor = end;
    }
    return out;
  }

  /** The instant the local clock in the zone shows `minute` minutes after midnight on date `day`. */
  private instant(day: number, minute: number): number {
    const date = new Date(day * DAY_MS);
    return DateTime.fromObject(
      {
        year: date.getUTCFullYear(),
        month: date.getUTCMonth() + 1,
        day: date.getUTCDate(),
        hour: Math.floor(minute / 60),
        minute: minute % 60,
      },
      { zone: this.zone },
    ).toMillis();
  }
}

const byIdentity = new WeakMap<object, Calendar>();
const byContent = new Map<string, Calendar>();
const MAX_BY_CONTENT = 1_000;

function calendarOf(h: BusinessHours): Calendar {
  let cal = byIdentity.get(h);
  if (cal) return cal;
  const key = JSON.stringify(h);
  cal = byContent.get(key);
  if (!cal) {
    const problems = validateBusinessHours(h);
    if (problems.length > 0) throw new InvalidBusinessHoursError(problems);
    cal = new Calendar(h);
    if (byContent.size >= MAX_BY_CONTENT) byContent.clear();
    byContent.set(key, cal);
  }
  byIdentity.set(h, cal);
  return cal;
}

function millis(d: Date, name: string): number {
  const t = d instanceof Date ? d.getTime() : NaN;
  if (Number.isNaN(t)) throw new RangeError(`${name} must be a valid Date`);
  return t;
}

/**
 * The local date of instant t is within a day or so of its UTC date (offsets run from -12 to +14 hours);
 * scanning from two days earlier finds every interval that could contain or follow t.
 */
const firstDay = (t: number): number => Math.floor(t / DAY_MS) - 2;

/** The due time: `minutes` business minutes after `start` (see the module comment). */
export function addBusinessMinutes(start: Date, minutes: number, hours?: BusinessHours): Date {
  const t = millis(start, 'start');
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`minutes must be a finite number >= 0 (got ${minutes})`);
  // whole milliseconds throughout, so the result is exact and the inverse of businessMinutesBetween
  let remaining = Math.round(minutes * MINUTE_MS);
  if (!hours) return new Date(t + remaining);
  const cal = calendarOf(hours);
  if (remaining === 0) return new Date(t);
  let closedRun = 0;
  for (let day = firstDay(t); ; day++) {
    const iv = cal.intervals(day);
    let counted = false;
    for (let i = 0; i < iv.length; i += 2) {
      const end = iv[i + 1]!;
      if (end <= t) continue;
      const from = Math.max(iv[i]!, t);
      const length = end - from;
      if (remaining <= length) return new Date(from + remaining);
      remaining -= length;
      counted = true;
    }
    closedRun = counted ? 0 : closedRun + 1;
    if (closedRun > cal.maxClosedRun) {
      throw new InvalidBusinessHoursError([`no open time in the ${closedRun} days after ${new Date(t).toISOString()}`]);
    }
  }
}

/** Business minutes in [from, to): 0 when to <= from; exact, so possibly fractional. */
export function businessMinutesBetween(from: Date, to: Date, hours?: BusinessHours): number {
  const a = millis(from, 'from');
  const b = millis(to, 'to');
  if (b <= a) return 0;
  if (!hours) return (b - a) / MINUTE_MS;
  const cal = calendarOf(hours);
  let total = 0;
  const last = Math.floor(b / DAY_MS) + 1;
  for (let day = firstDay(a); day <= last; day++) {
    const iv = cal.intervals(day);
    for (let i = 0; i < iv.length; i += 2) {
      const s = Math.max(iv[i]!, a);
      const e = Math.min(iv[i + 1]!, b);
      if (e > s) total += e - s;
    }
  }
  return total / MINUTE_MS;
}

/** Whether `at` falls inside an open period (opening instant included, closing instant excluded). */
export function isOpen(at: Date, hours?: BusinessHours): boolean {
  const t = millis(at, 'at');
  if (!hours) return true;
  const cal = calendarOf(hours);
  for (let day = firstDay(t), last = day + 4; day <= last; day++) {
    const iv = cal.intervals(day);
    for (let i = 0; i < iv.length; i += 2) {
      if (iv[i]! <= t && t < iv[i + 1]!) return true;
    }
  }
  return false;
}
