import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { seededRandom } from '../../classifiers/random';
import {
  addBusinessMinutes,
  businessMinutesBetween,
  InvalidBusinessHoursError,
  isOpen,
  validateBusinessHours,
  type BusinessHours,
  type Weekday,
} from '../../src/domain/sla';

// Every expectation below is written by hand as a local time with its UTC offset:
// Europe/Berlin is +01:00 in winter and +02:00 in summer (2026: summer from 29 March 02:00 to 25 October 03:00);
// America/New_York is -05:00 in winter and -04:00 in summer (2026: 8 March 02:00 to 1 November 02:00).

type Periods = Array<[string, string]>;
const days = (which: Weekday[], periods: Periods): BusinessHours['week'] =>
  Object.fromEntries(which.map((d) => [d, periods]));
const MON_FRI: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];
const ALL_WEEK: Weekday[] = [...MON_FRI, 'sat', 'sun'];

const office: BusinessHours = { timeZone: 'Europe/Berlin', week: days(MON_FRI, [['09:00', '17:00']]) };
const split: BusinessHours = { timeZone: 'Europe/Berlin', week: days(MON_FRI, [['09:00', '12:00'], ['13:00', '17:00']]) };
const christmas: BusinessHours = { ...office, holidays: ['2026-12-24', '2026-12-25', '2026-12-26'] };
const easter: BusinessHours = { ...office, holidays: ['2026-04-03', '2026-04-06'] };
const berlinDaily: BusinessHours = { timeZone: 'Europe/Berlin', week: days(ALL_WEEK, [['09:00', '17:00']]) };
const berlinNight: BusinessHours = { timeZone: 'Europe/Berlin', week: days(ALL_WEEK, [['01:00', '04:00']]) };
const berlinLate: BusinessHours = { timeZone: 'Europe/Berlin', week: days(ALL_WEEK, [['02:30', '05:00']]) };
const nyOffice: BusinessHours = { timeZone: 'America/New_York', week: days(MON_FRI, [['09:00', '17:00']]) };
const nyNight: BusinessHours = { timeZone: 'America/New_York', week: days(ALL_WEEK, [['00:00', '03:00']]) };
// a bar: Saturday evening into Sunday night, '24:00' joins the two days
const bar: BusinessHours = { timeZone: 'Europe/Berlin', week: { sat: [['18:00', '24:00']], sun: [['00:00', '02:00']] } };

const at = (iso: string): Date => new Date(iso);
/** the due time as a UTC ISO string, compared with the hand-written local expectation */
function due(start: string, minutes: number, hours?: BusinessHours): string {
  return addBusinessMinutes(at(start), minutes, hours).toISOString();
}
const utc = (iso: string): string => at(iso).toISOString();
const between = (from: string, to: string, hours?: BusinessHours): number => businessMinutesBetween(at(from), at(to), hours);

describe('business hours', () => {
  describe('Mon-Fri 09:00-17:00 in Europe/Berlin', () => {
    it('the issue example: Friday 16:45 + 30 minutes is due Monday 09:15 (Fri 12 June 2026)', () => {
      assert.equal(due('2026-06-12T16:45:00+02:00', 30, office), utc('2026-06-15T09:15:00+02:00'));
      assert.equal(between('2026-06-12T16:45:00+02:00', '2026-06-15T09:15:00+02:00', office), 30);
    });

    it('starts counting at the next opening when a message arrives before it or on a weekend', () => {
      assert.equal(due('2026-06-15T07:00:00+02:00', 30, office), utc('2026-06-15T09:30:00+02:00'));
      assert.equal(due('2026-06-13T12:00:00+02:00', 60, office), utc('2026-06-15T10:00:00+02:00')); // Saturday
      assert.equal(due('2026-06-14T23:59:00+02:00', 1, office), utc('2026-06-15T09:01:00+02:00')); // Sunday night
      assert.equal(between('2026-06-13T00:00:00+02:00', '2026-06-15T00:00:00+02:00', office), 0);
    });

    it('counts from the exact opening instant, and the closing instant is already closed', () => {
      assert.equal(due('2026-06-15T09:00:00+02:00', 30, office), utc('2026-06-15T09:30:00+02:00'));
      assert.equal(due('2026-06-15T17:00:00+02:00', 30, office), utc('2026-06-16T09:30:00+02:00'));
      assert.equal(isOpen(at('2026-06-15T09:00:00+02:00'), office), true);
      assert.equal(isOpen(at('2026-06-15T16:59:59.999+02:00'), office), true);
      assert.equal(isOpen(at('2026-06-15T17:00:00+02:00'), office), false);
      assert.equal(isOpen(at('2026-06-15T08:59:59.999+02:00'), office), false);
      assert.equal(isOpen(at('2026-06-13T12:00:00+02:00'), office), false);
    });

    it('is due at the closing time when the target runs out exactly then, not at the next opening', () => {
      assert.equal(due('2026-06-15T16:30:00+02:00', 30, office), utc('2026-06-15T17:00:00+02:00'));
      assert.equal(due('2026-06-15T16:30:00+02:00', 31, office), utc('2026-06-16T09:01:00+02:00'));
    });

    it('spans days and weekends: 5 working days from Monday 10:00 is next Monday 10:00', () => {
      assert.equal(due('2026-06-15T10:00:00+02:00', 5 * 480, office), utc('2026-06-22T10:00:00+02:00'));
      assert.equal(between('2026-06-15T10:00:00+02:00', '2026-06-22T10:00:00+02:00', office), 2400);
    });

    it('returns the start itself for a zero target, and counts fractions of a minute exactly', () => {
      assert.equal(due('2026-06-13T12:00:00+02:00', 0, office), utc('2026-06-13T12:00:00+02:00'));
      assert.equal(due('2026-06-15T09:00:00+02:00', 1.5, office), utc('2026-06-15T09:01:30+02:00'));
      assert.equal(between('2026-06-15T08:59:00+02:00', '2026-06-15T09:00:30+02:00', office), 0.5);
      assert.equal(between('2026-06-15T10:00:00+02:00', '2026-06-15T09:00:00+02:00', office), 0);
    });
  });

  describe('split shifts 09:00-12:00 and 13:00-17:00', () => {
    it('jumps over the lunch break', () => {
      assert.equal(due('2026-06-15T11:50:00+02:00', 20, split), utc('2026-06-15T13:10:00+02:00'));
      assert.equal(due('2026-06-15T11:50:00+02:00', 10, split), utc('2026-06-15T12:00:00+02:00'));
      assert.equal(due('2026-06-15T12:30:00+02:00', 5, split), utc('2026-06-15T13:05:00+02:00'));
      assert.equal(due('2026-06-15T16:50:00+02:00', 190, split), utc('2026-06-16T12:00:00+02:00'));
      assert.equal(due('2026-06-15T16:50:00+02:00', 200, split), utc('2026-06-16T13:10:00+02:00'));
    });

    it('does not count the lunch break as business time', () => {
      assert.equal(between('2026-06-15T11:00:00+02:00', '2026-06-15T14:00:00+02:00', split), 120);
      assert.equal(between('2026-06-15T12:15:00+02:00', '2026-06-15T12:45:00+02:00', split), 0);
      assert.equal(between('2026-06-15T00:00:00+02:00', '2026-06-16T00:00:00+02:00', split), 420);
      assert.equal(isOpen(at('2026-06-15T12:30:00+02:00'), split), false);
      assert.equal(isOpen(at('2026-06-15T13:00:00+02:00'), split), true);
    });

    it('joins a period ending at 24:00 with the next day\'s 00:00 into one stretch', () => {
      assert.equal(due('2026-06-13T23:30:00+02:00', 60, bar), utc('2026-06-14T00:30:00+02:00'));
      assert.equal(due('2026-06-13T23:30:00+02:00', 150, bar), utc('2026-06-14T02:00:00+02:00'));
      assert.equal(due('2026-06-13T23:30:00+02:00', 151, bar), utc('2026-06-20T18:01:00+02:00'));
      assert.equal(between('2026-06-13T00:00:00+02:00', '2026-06-15T00:00:00+02:00', bar), 480);
      assert.equal(isOpen(at('2026-06-14T00:00:00+02:00'), bar), true);
    });
  });

  describe('holidays', () => {
    it('skips 24-26 December 2026 (Thu-Sat): Wednesday 16:45 + 30 is due Monday the 28th 09:15', () => {
      assert.equal(due('2026-12-23T16:45:00+01:00', 30, christmas), utc('2026-12-28T09:15:00+01:00'));
      assert.equal(due('2026-12-25T10:00:00+01:00', 60, christmas), utc('2026-12-28T10:00:00+01:00'));
      assert.equal(between('2026-12-23T00:00:00+01:00', '2026-12-29T00:00:00+01:00', christmas), 2 * 480);
      assert.equal(isOpen(at('2026-12-24T10:00:00+01:00'), christmas), false);
      assert.equal(isOpen(at('2026-12-24T10:00:00+01:00'), office), true);
    });

    it('skips a long Easter weekend (Good Friday 3 April, Easter Monday 6 April 2026)', () => {
      assert.equal(due('2026-04-02T16:00:00+02:00', 120, easter), utc('2026-04-07T10:00:00+02:00'));
      assert.equal(between('2026-04-02T16:00:00+02:00', '2026-04-07T10:00:00+02:00', easter), 120);
      assert.equal(between('2026-04-02T16:00:00+02:00', '2026-04-07T10:00:00+02:00', office), 120 + 480 + 480);
    });
  });

  describe('daylight saving', () => {
    it('Europe/Berlin spring forward (Sun 29 March 2026): 09:00-17:00 is still 8 hours', () => {
      assert.equal(between('2026-03-29T09:00:00+02:00', '2026-03-29T17:00:00+02:00', berlinDaily), 480);
      // Sat 12:00 to Sun 12:00 is 23 real hours, of which 5 + 3 are business hours
      assert.equal(between('2026-03-28T12:00:00+01:00', '2026-03-29T12:00:00+02:00'), 23 * 60);
      assert.equal(between('2026-03-28T12:00:00+01:00', '2026-03-29T12:00:00+02:00', berlinDaily), 480);
      assert.equal(due('2026-03-28T16:00:00+01:00', 120, berlinDaily), utc('2026-03-29T10:00:00+02:00'));
    });

    it('Europe/Berlin spring forward: 01:00-04:00 spans the skipped hour and lasts 2 real hours', () => {
      assert.equal(between('2026-03-28T12:00:00+01:00', '2026-03-29T12:00:00+02:00', berlinNight), 120);
      assert.equal(between('2026-03-27T12:00:00+01:00', '2026-03-28T12:00:00+01:00', berlinNight), 180);
      assert.equal(due('2026-03-29T01:00:00+01:00', 120, berlinNight), utc('2026-03-29T04:00:00+02:00'));
      assert.equal(due('2026-03-29T01:00:00+01:00', 121, berlinNight), utc('2026-03-30T01:01:00+02:00'));
      assert.equal(due('2026-03-29T01:30:00+01:00', 60, berlinNight), utc('2026-03-29T03:30:00+02:00'));
      assert.equal(isOpen(at('2026-03-29T03:59:00+02:00'), berlinNight), true);
      assert.equal(isOpen(at('2026-03-29T04:00:00+02:00'), berlinNight), false);
    });

    it('Europe/Berlin fall back (Sun 25 October 2026): 01:00-04:00 spans the repeated hour and lasts 4 real hours', () => {
      assert.equal(between('2026-10-24T12:00:00+02:00', '2026-10-25T12:00:00+01:00', berlinNight), 240);
      assert.equal(due('2026-10-25T01:00:00+02:00', 200, berlinNight), utc('2026-10-25T03:20:00+01:00'));
      // 02:30 summer time + 60 real minutes is 02:30 winter time: the repeated hour counts
      assert.equal(due('2026-10-25T02:30:00+02:00', 60, berlinNight), utc('2026-10-25T02:30:00+01:00'));
      assert.equal(isOpen(at('2026-10-25T02:30:00+02:00'), berlinNight), true);
      assert.equal(isOpen(at('2026-10-25T03:59:00+01:00'), berlinNight), true);
    });

    it('Europe/Berlin fall back: the daytime period is 8 hours, the weekend in between 1 hour longer', () => {
      assert.equal(between('2026-10-24T12:00:00+02:00', '2026-10-25T12:00:00+01:00'), 25 * 60);
      assert.equal(between('2026-10-24T12:00:00+02:00', '2026-10-25T12:00:00+01:00', berlinDaily), 480);
      assert.equal(between('2026-10-25T09:00:00+01:00', '2026-10-25T17:00:00+01:00', berlinDaily), 480);
      assert.equal(due('2026-10-23T16:00:00+02:00', 120, office), utc('2026-10-26T10:00:00+01:00'));
    });

    it('a boundary inside the skipped hour moves forward by the gap; inside the repeated hour it is the second occurrence', () => {
      // 02:30-05:00 daily: normally 150 minutes
      assert.equal(between('2026-03-28T00:00:00+01:00', '2026-03-28T23:00:00+01:00', berlinLate), 150);
      // 29 March: 02:30 does not exist and reads as 03:30 summer time, so only 90 minutes
      assert.equal(between('2026-03-29T00:00:00+01:00', '2026-03-29T12:00:00+02:00', berlinLate), 90);
      assert.equal(isOpen(at('2026-03-29T03:29:00+02:00'), berlinLate), false);
      assert.equal(isOpen(at('2026-03-29T03:30:00+02:00'), berlinLate), true);
      // 25 October: opens at the second 02:30 (winter time), 150 minutes
      assert.equal(between('2026-10-25T00:00:00+02:00', '2026-10-25T12:00:00+01:00', berlinLate), 150);
      assert.equal(isOpen(at('2026-10-25T02:30:00+02:00'), berlinLate), false);
      assert.equal(isOpen(at('2026-10-25T02:30:00+01:00'), berlinLate), true);
    });

    it('America/New_York: office hours across both changes', () => {
      assert.equal(due('2026-03-06T16:30:00-05:00', 60, nyOffice), utc('2026-03-09T09:30:00-04:00'));
      assert.equal(due('2026-10-30T16:30:00-04:00', 60, nyOffice), utc('2026-11-02T09:30:00-05:00'));
      assert.equal(between('2026-03-06T16:30:00-05:00', '2026-03-09T09:30:00-04:00', nyOffice), 60);
      assert.equal(isOpen(at('2026-11-02T09:00:00-05:00'), nyOffice), true);
      assert.equal(isOpen(at('2026-11-02T09:00:00-04:00'), nyOffice), false); // 08:00 local
    });

    it('America/New_York: 00:00-03:00 lasts 2 real hours on 8 March and 4 on 1 November 2026', () => {
      assert.equal(between('2026-03-07T12:00:00-05:00', '2026-03-08T12:00:00-04:00', nyNight), 120);
      assert.equal(between('2026-10-31T12:00:00-04:00', '2026-11-01T12:00:00-05:00', nyNight), 240);
      assert.equal(due('2026-03-08T00:00:00-05:00', 120, nyNight), utc('2026-03-08T03:00:00-04:00'));
      assert.equal(due('2026-11-01T00:00:00-04:00', 150, nyNight), utc('2026-11-01T01:30:00-05:00'));
    });
  });

  describe('round the clock', () => {
    it('is wall-clock time, across a daylight-saving change too', () => {
      assert.equal(due('2026-03-29T00:30:00+01:00', 120), utc('2026-03-29T03:30:00+02:00'));
      assert.equal(due('2026-06-12T16:45:00+02:00', 30), utc('2026-06-12T17:15:00+02:00'));
      assert.equal(due('2026-06-12T16:45:00+02:00', 1.5), utc('2026-06-12T16:46:30+02:00'));
      assert.equal(between('2026-06-12T16:45:00+02:00', '2026-06-15T09:15:00+02:00'), 2 * 1440 + 16 * 60 + 30);
      assert.equal(between('2026-06-12T16:45:00Z', '2026-06-12T18:15:30Z'), 90.5);
      assert.equal(between('2026-06-12T18:00:00Z', '2026-06-12T17:00:00Z'), 0);
      assert.equal(isOpen(at('2026-06-13T03:00:00Z')), true);
    });
  });

  describe('inverse property (seeded random starts and targets)', () => {
    const calendars: Array<[string, BusinessHours | undefined]> = [
      ['office', office],
      ['split with Christmas', { ...split, holidays: christmas.holidays }],
      ['Berlin night', berlinNight],
      ['Berlin late', berlinLate],
      ['New York office', nyOffice],
      ['New York night', nyNight],
      ['bar', bar],
      ['round the clock', undefined],
    ];
    const YEAR_START = Date.UTC(2026, 0, 1);
    const YEAR_MS = 365 * 86_400_000;

    for (const [index, [name, hours]] of calendars.entries()) {
      it(`${name}: businessMinutesBetween(start, addBusinessMinutes(start, m)) === m, and the due time is the earliest`, () => {
        const random = seededRandom(7919 * (index + 1));
        for (let i = 0; i < 1000; i++) {
          const start = new Date(YEAR_START + Math.floor(random() * YEAR_MS));
          const minutes = 1 + Math.floor(random() * 7200);
          const dueAt = addBusinessMinutes(start, minutes, hours);
          const context = `start ${start.toISOString()} + ${minutes}`;
          assert.equal(businessMinutesBetween(start, dueAt, hours), minutes, context);
          // the millisecond before the due time is open and one millisecond short of the target
          const before = new Date(dueAt.getTime() - 1);
          assert.equal(isOpen(before, hours), true, context);
          assert.ok(businessMinutesBetween(start, before, hours) < minutes, context);
          // the other way round: the business minutes between two instants lead from the first no later than the second
          const to = new Date(start.getTime() + Math.floor(random() * 10 * 86_400_000));
          const elapsed = businessMinutesBetween(start, to, hours);
          const reached = addBusinessMinutes(start, elapsed, hours);
          assert.ok(reached.getTime() <= to.getTime(), `${context}: ${reached.toISOString()} after ${to.toISOString()}`);
          assert.equal(businessMinutesBetween(reached, to, hours), 0, context);
        }
      });
    }

    it('computes 100,000 due times quickly (no time assertion; it just must not slow the suite)', () => {
      const random = seededRandom(100_000);
      let latest = 0;
      for (let i = 0; i < 100_000; i++) {
        const start = new Date(YEAR_START + Math.floor(random() * YEAR_MS));
        const target = 30 + Math.floor(random() * (5 * 1440 - 30));
        latest = Math.max(latest, addBusinessMinutes(start, target, office).getTime() - start.getTime());
      }
      assert.ok(latest > 0);
    });
  });

  describe('whole weeks are jumped, with the day-walking result (seeded random calendars and spans)', () => {
    const DAY = 86_400_000;
    const WEEK_BY_LUXON = [undefined, 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

    /** Open ms in [a, b) the slow way: every local date, every period, converted with luxon on its own. */
    function walked(a: number, b: number, h: BusinessHours): number {
      const holidays = new Set(h.holidays ?? []);
      let total = 0;
      let date = DateTime.fromMillis(a - 2 * DAY, { zone: h.timeZone }).startOf('day');
      for (; date.toMillis() < b + DAY; date = date.plus({ days: 1 }).startOf('day')) {
        if (holidays.has(date.toISODate()!)) continue;
        const dayStart = date.toMillis();
        const dayEnd = date.plus({ days: 1 }).startOf('day').toMillis();
        let floor = dayStart;
        const periods = [...(h.week[WEEK_BY_LUXON[date.weekday]!] ?? [])].sort((x, y) => x[0].localeCompare(y[0]));
        for (const [from, to] of periods) {
          const local = (hhmm: string) =>
            DateTime.fromObject({ year: date.year, month: date.month, day: date.day, hour: Number(hhmm.slice(0, 2)), minute: Number(hhmm.slice(3)) }, { zone: h.timeZone }).toMillis();
          const start = Math.max(floor, from === '00:00' ? dayStart : local(from));
          const end = Math.min(dayEnd, to === '24:00' ? dayEnd : local(to));
          if (end <= start) continue;
          total += Math.max(0, Math.min(end, b) - Math.max(start, a));
          floor = end;
        }
      }
      return total;
    }

    const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'America/Santiago', 'Asia/Kolkata', 'Africa/Casablanca', 'Pacific/Chatham', 'UTC'];
    const TIMES = ['00:00', '01:00', '01:30', '02:00', '02:30', '03:00', '08:00', '09:00', '12:00', '13:00', '17:00', '22:00', '24:00'];
    function randomHours(random: () => number, from: number, to: number): BusinessHours {
      const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
      const week: BusinessHours['week'] = {};
      for (const day of ALL_WEEK) {
        if (random() < 0.3) continue;
        const [x, y] = [pick(TIMES.slice(0, -1)), pick(TIMES.slice(1))].sort();
        if (x! < y!) week[day] = [[x!, y!]];
      }
      if (Object.keys(week).length === 0) week.wed = [['09:00', '17:00']];
      const holidays = Array.from({ length: Math.floor(random() * 30) }, () => new Date(from + random() * (to - from)).toISOString().slice(0, 10));
      return { timeZone: pick(ZONES), week, holidays };
    }

    it('businessMinutesBetween matches the day-walking result over spans up to two years (2005-2035)', () => {
      const random = seededRandom(20_261_201);
      for (let i = 0; i < 24; i++) {
        const a = Date.UTC(2005, 0, 1) + Math.floor(random() * 28 * 365 * DAY);
        const b = a + Math.floor(random() * random() * 730 * DAY);
        const hours = randomHours(random, a - 30 * DAY, b + 30 * DAY);
        const context = `${JSON.stringify(hours)} ${new Date(a).toISOString()} → ${new Date(b).toISOString()}`;
        assert.equal(businessMinutesBetween(new Date(a), new Date(b), hours), walked(a, b, hours) / 60_000, context);
      }
    });

    it('addBusinessMinutes jumps to the instant the day-walking result says the target is used up', () => {
      const random = seededRandom(4_242);
      for (let i = 0; i < 16; i++) {
        const start = Date.UTC(2005, 0, 1) + Math.floor(random() * 28 * 365 * DAY);
        const hours = randomHours(random, start, start + 800 * DAY);
        const minutes = Math.floor(random() * 150_000);
        const dueAt = addBusinessMinutes(new Date(start), minutes, hours).getTime();
        const context = `${JSON.stringify(hours)} ${new Date(start).toISOString()} + ${minutes}`;
        assert.equal(walked(start, dueAt, hours), minutes * 60_000, context);
        if (minutes > 0) assert.ok(walked(start, dueAt - 1, hours) < minutes * 60_000, context);
      }
    });

    it('answers for a conversation dated year 1 (Go zero time) at once, and the parts of a span add up', () => {
      const year1 = new Date('0001-01-01T00:00:00Z');
      const now = new Date('2026-12-01T12:00:00Z');
      const total = businessMinutesBetween(year1, now, office);
      // 8 hours a weekday for 2,026 years, less the hour that daylight saving takes from the few summer-time weekdays
      assert.ok(Math.abs(total - 105_715 * 5 * 480) < 5 * 480 * 10, String(total));
      const random = seededRandom(1);
      for (let i = 0; i < 5; i++) {
        const cut = new Date(year1.getTime() + Math.floor(random() * (now.getTime() - year1.getTime())));
        assert.equal(businessMinutesBetween(year1, cut, office) + businessMinutesBetween(cut, now, office), total, cut.toISOString());
      }
      // now is inside office hours (Tuesday 13:00 in Berlin): the total is used up exactly then
      assert.equal(addBusinessMinutes(year1, total, office).toISOString(), now.toISOString());
      // long before time zones: the jump and the walk agree there too
      const a = Date.UTC(1200, 2, 3, 10);
      const b = Date.UTC(1201, 7, 9, 13);
      assert.equal(businessMinutesBetween(new Date(a), new Date(b), christmas), walked(a, b, christmas) / 60_000);
    });
  });

  describe('validateBusinessHours', () => {
    it('accepts well-formed hours, adjacent periods and 24:00 as an end', () => {
      for (const h of [office, split, christmas, bar, nyNight]) assert.deepEqual(validateBusinessHours(h), []);
      assert.deepEqual(validateBusinessHours({ timeZone: 'UTC', week: { mon: [['09:00', '12:00'], ['12:00', '24:00']] } }), []);
    });

    it('names each problem', () => {
      assert.deepEqual(validateBusinessHours(null), ['business hours must be an object with timeZone and week']);
      assert.deepEqual(validateBusinessHours({ ...office, timeZone: 'Mars/Olympus_Mons' }), [
        `timeZone must be an IANA time zone such as 'Europe/Berlin' (got "Mars/Olympus_Mons")`,
      ]);
      assert.deepEqual(validateBusinessHours({ timeZone: 'Europe/Berlin', week: { mon: [['9:00', '17:00'], ['13:00', '25:00'], ['24:00', '24:00']] } }), [
        `week.mon[0]: start "9:00" is not a time 'HH:MM' from 00:00 to 23:59`,
        `week.mon[1]: end "25:00" is not a time 'HH:MM' from 00:00 to 24:00`,
        `week.mon[2]: start "24:00" is not a time 'HH:MM' from 00:00 to 23:59`,
      ]);
      assert.deepEqual(validateBusinessHours({ timeZone: 'Europe/Berlin', week: { fri: [['22:00', '06:00']], sat: [['09:00', '09:00']] } }), [
        'week.fri[0]: 22:00-06:00 ends before it starts (a period cannot cross midnight: split it into 22:00-24:00 and 00:00-06:00 on the next day)',
        'week.sat[0]: 09:00-09:00 is empty',
      ]);
      assert.deepEqual(validateBusinessHours({ timeZone: 'Europe/Berlin', week: { tue: [['13:00', '17:00'], ['09:00', '13:30']] } }), [
        'week.tue: 09:00-13:30 and 13:00-17:00 overlap',
      ]);
      assert.deepEqual(validateBusinessHours({ timeZone: 'Europe/Berlin', week: { monday: [['09:00', '17:00']], tue: '09:00-17:00', wed: [['09:00']] } }), [
        `week: unknown day 'monday' (use mon, tue, wed, thu, fri, sat, sun)`,
        `week.tue must be a list of ['HH:MM', 'HH:MM'] periods`,
        `week.wed[0] must be a pair ['HH:MM', 'HH:MM']`,
      ]);
      assert.deepEqual(validateBusinessHours({ ...office, holidays: ['2026-12-24', '2026-02-30', '24.12.2026', 20261224] }), [
        `holidays[1]: "2026-02-30" is not a date 'YYYY-MM-DD'`,
        `holidays[2]: "24.12.2026" is not a date 'YYYY-MM-DD'`,
        `holidays[3]: 20261224 is not a date 'YYYY-MM-DD'`,
      ]);
      assert.deepEqual(validateBusinessHours({ timeZone: 'Europe/Berlin', week: {} }), [
        'week has no open period on any day: the calendar would never be open',
      ]);
      assert.deepEqual(validateBusinessHours({ timeZone: 'Europe/Berlin' }), [
        `week must be an object of days (mon, tue, wed, thu, fri, sat, sun) with lists of ['HH:MM', 'HH:MM'] periods`,
      ]);
    });

    it('makes the arithmetic throw a clear error instead of looping on a calendar that is never open', () => {
      const never: BusinessHours = { timeZone: 'Europe/Berlin', week: { mon: [] } };
      assert.throws(() => addBusinessMinutes(at('2026-06-15T09:00:00+02:00'), 30, never), (e: unknown) => {
        assert.ok(e instanceof InvalidBusinessHoursError);
        assert.match(e.message, /invalid business hours: week has no open period on any day/);
        return true;
      });
      assert.throws(() => isOpen(at('2026-06-15T09:00:00+02:00'), { ...office, timeZone: 'Nowhere' }), /timeZone must be an IANA time zone/);
      assert.throws(() => addBusinessMinutes(at('2026-06-15T09:00:00+02:00'), -1, office), RangeError);
      assert.throws(() => addBusinessMinutes(new Date(NaN), 30, office), /start must be a valid Date/);
    });
  });
});
