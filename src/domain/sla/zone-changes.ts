import type { IANAZone } from 'luxon';

const DAY_MS = 86_400_000;
/** Probes two weeks apart find every offset change that lasts longer than that, as Temporal's polyfill does. */
const PROBE_DAYS = 14;
const PROBES_PER_CHUNK = 26;
const CHUNK_DAYS = PROBE_DAYS * PROBES_PER_CHUNK;
/** Before 1847 no zone changed its offset (tzdata starts there too); past 2200 later rule changes are not looked for. */
const FIRST_DAY = Date.UTC(1847, 0, 1) / DAY_MS;
const LAST_DAY = Date.UTC(2200, 0, 1) / DAY_MS;

const chunks = new Map<string, Map<number, readonly number[]>>();
const MAX_CHUNKS_PER_ZONE = 2_000;

/**
 * UTC day numbers in [fromDay, toDay) on or next to which `zone` may change its UTC offset: every day of a
 * two-week probe window whose two ends disagree, plus one day each side. Each window is probed once per zone.
 */
export function offsetChangeDays(zone: IANAZone, fromDay: number, toDay: number): number[] {
  const from = Math.max(fromDay, FIRST_DAY);
  const to = Math.min(toDay, LAST_DAY);
  const out: number[] = [];
  if (to <= from) return out;
  let cache = chunks.get(zone.name);
  if (!cache) chunks.set(zone.name, (cache = new Map<number, readonly number[]>()));
  for (let k = Math.floor((from - FIRST_DAY) / CHUNK_DAYS); FIRST_DAY + k * CHUNK_DAYS < to; k++) {
    let days = cache.get(k);
    if (!days) {
      days = probeChunk(zone, FIRST_DAY + k * CHUNK_DAYS);
      if (cache.size >= MAX_CHUNKS_PER_ZONE) cache.clear();
      cache.set(k, days);
    }
    for (const d of days) if (d >= fromDay && d < toDay) out.push(d);
  }
  return out;
}

function probeChunk(zone: IANAZone, startDay: number): readonly number[] {
  const days: number[] = [];
  let before = zone.offset(startDay * DAY_MS);
  for (let i = 1; i <= PROBES_PER_CHUNK; i++) {
    const end = startDay + i * PROBE_DAYS;
    const after = zone.offset(end * DAY_MS);
    if (after !== before) for (let d = end - PROBE_DAYS - 1; d <= end + 1; d++) days.push(d);
    before = after;
  }
  return days;
}
