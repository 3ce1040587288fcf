/**
 * Business-time arithmetic over long spans: `npm run bench:business-hours`.
 * Prints how long businessMinutesBetween and addBusinessMinutes take from year 1 (Go's zero time) to now,
 * the first time (offset probes of the zone) and again (cached), and for an ordinary two-hour due time.
 */
import { addBusinessMinutes, businessMinutesBetween, type BusinessHours } from '../../src/domain/sla';

const office: BusinessHours = {
  timeZone: 'Europe/Berlin',
  week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '17:00']]])),
  holidays: ['2026-12-24', '2026-12-25', '2026-12-26'],
};
const year1 = new Date('0001-01-01T00:00:00Z');
const now = new Date();

function timed<T>(what: string, run: () => T): T {
  const started = performance.now();
  const result = run();
  console.log(`${what.padEnd(52)} ${(performance.now() - started).toFixed(1).padStart(9)} ms`);
  return result;
}

const total = timed('between(year 1, now), first call', () => businessMinutesBetween(year1, now, office));
timed('between(year 1, now), again', () => businessMinutesBetween(year1, now, office));
timed('add(year 1, that many minutes)', () => addBusinessMinutes(year1, total, office));
const n = 10_000;
timed(`add(now, 120 minutes) x ${n}`, () => {
  for (let i = 0; i < n; i++) addBusinessMinutes(new Date(now.getTime() + i * 60_000), 120, office);
});
console.log(`business minutes since year 1: ${total}`);
