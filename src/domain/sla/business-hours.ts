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
 * - Cost is bounded whatever the dates (year 1 included): long spans jump whole weeks and count only holidays
 *   and the days around a change of UTC offset one by one (see zone-changes.ts for how those are found).
 * - A BusinessHours object is compiled once and cached by identity (and by content): treat it as
 *   immutable — pass a new object rather than editing one in place.
 */
import { DateTime, IANAZone } from 'luxon';
import { InvalidBusinessHoursError, parseDate, parseTime, validateBusinessHours, type BusinessHours } from './hours';
import { offsetChangeDays } from './zone-changes';

export { InvalidBusinessHoursError, validateBusinessHours, WEEKDAYS, type BusinessHours, type Weekday } from './hours';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** the last day number a Date can hold, less a margin for local time */
const MAX_DAY = 100_000_000 - 2;

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
  /** open ms of each weekday (index as `periods`) on a day with no holiday and no offset change */
  private readonly nominal: number[];
  readonly weekMs: number;

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
    this.nominal = this.periods.map((ps) => ps.reduce((sum, [s, e]) => sum + (e - s) * MINUTE_MS, 0));
    this.weekMs = this.nominal.reduce((a, b) => a + b, 0);
  }

  /**
   * Open ms of the local dates [from, to), jumping whole weeks: every week holds `weekMs` but for its
   * holidays and the days around a change of UTC offset, which are counted one by one. Cost: O(weeks / 26)
   * offset probes the first time a stretch of years is seen, then O(irregular days) — never O(days).
   */
  spanMs(from: number, to: number): number {
    if (to <= from) return 0;
    const weeks = Math.floor((to - from) / 7);
    let total = weeks * this.weekMs;
    for (let d = from + weeks * 7; d < to; d++) total += this.nominalOf(d);
    const irregular = new Set(offsetChangeDays(this.zone, from, to));
    for (const d of this.holidays) if (d >= from && d < to) irregular.add(d);
    for (const d of irregular) total += openMs(this.intervals(d)) - this.nominalOf(d);
    return total;
  }

  private nominalOf(day: number): number {
    return this.nominal[(((day + 4) % 7) + 7) % 7]!;
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

function openMs(iv: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < iv.length; i += 2) sum += iv[i + 1]! - iv[i]!;
  return sum;
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
  // from this day on every open interval lies after t, so whole weeks can be skipped
  const jumpFrom = Math.floor(t / DAY_MS) + 2;
  for (let day = firstDay(t); ; day++) {
    if (day >= jumpFrom && remaining > 2 * cal.weekMs) {
      const weeks = weeksBefore(cal, day, remaining);
      remaining -= cal.spanMs(day, day + 7 * weeks);
      day += 7 * weeks;
      closedRun = 0;
    }
    if (day > MAX_DAY) throw new RangeError(`the due time is beyond the last date a Date can hold`);
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

/** Most whole weeks from `day` whose open time stays below `remaining`: from the nominal guess, widening, then halving. */
function weeksBefore(cal: Calendar, day: number, remaining: number): number {
  const most = Math.floor((MAX_DAY - day) / 7);
  const below = (weeks: number) => cal.spanMs(day, day + 7 * weeks) < remaining;
  const guess = Math.min(most, Math.max(0, Math.floor(remaining / cal.weekMs) - 1));
  let low: number;
  let high: number;
  if (below(guess)) {
    low = guess;
    for (let step = 1; ; step *= 2) {
      high = Math.min(most, guess + step);
      if (!below(high)) break;
      low = high;
      if (high === most) return most;
    }
  } else {
    high = guess;
    for (let step = 1; ; step *= 2) {
      low = Math.max(0, guess - step);
      if (below(low)) break;
      high = low;
    }
  }
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (below(mid)) low = mid;
    else high = mid;
  }
  return low;
}

/** Business minutes in [from, to): 0 when to <= from; exact, so possibly fractional. */
export function businessMinutesBetween(from: Date, to: Date, hours?: BusinessHours): number {
  const a = millis(from, 'from');
  const b = millis(to, 'to');
  if (b <= a) return 0;
  if (!hours) return (b - a) / MINUTE_MS;
  const cal = calendarOf(hours);
  const last = Math.floor(b / DAY_MS) + 1;
  // local dates [inner, innerEnd) lie wholly inside [a, b): their weeks are jumped, the few days around walked
  const inner = Math.floor(a / DAY_MS) + 2;
  const innerEnd = Math.floor(b / DAY_MS) - 1;
  if (innerEnd - inner < 14) return clippedMs(cal, firstDay(a), last, a, b) / MINUTE_MS;
  return (clippedMs(cal, firstDay(a), inner - 1, a, b) + cal.spanMs(inner, innerEnd) + clippedMs(cal, innerEnd, last, a, b)) / MINUTE_MS;
}

/** Open ms of local dates [first, last] inside [a, b), day by day. */
function clippedMs(cal: Calendar, first: number, last: number, a: number, b: number): number {
  let total = 0;
  for (let day = first; day <= last; day++) {
    const iv = cal.intervals(day);
    for (let i = 0; i < iv.length; i += 2) {
      const s = Math.max(iv[i]!, a);
      const e = Math.min(iv[i + 1]!, b);
      if (e > s) total += e - s;
    }
  }
  return total;
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
