// UTC days as epoch milliseconds of their midnight, and runs of consecutive days as [from, to) ranges.
export const DAY_MS = 86_400_000;

export const floorDay = (t: Date | number) => Math.floor(new Date(t).getTime() / DAY_MS) * DAY_MS;
export const ceilDay = (t: Date | number) => Math.ceil(new Date(t).getTime() / DAY_MS) * DAY_MS;
/** The `UTC_DAY` string of an aggregation ('2026-11-23') as its midnight. */
export const dayOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

export function daysBetween(from: number, to: number): number[] {
  const out: number[] = [];
  for (let d = from; d < to; d += DAY_MS) out.push(d);
  return out;
}

/** Consecutive days joined into ranges, so a run of days is one indexed range scan. */
export function dayRanges(days: Iterable<number>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const d of [...new Set(days)].sort((a, b) => a - b)) {
    const last = out[out.length - 1];
    if (last && last[1] === d) last[1] = d + DAY_MS;
    else out.push([d, d + DAY_MS]);
  }
  return out;
}
