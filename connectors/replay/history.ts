import { seededRandom } from '../../src/domain/random';
import type { ReplayLine } from './file';

/** What the demo's backdated week does with one replay line (all times before `now`). */
export interface HistoryItem {
  line: ReplayLine;
  /** when the customer wrote */
  at: Date;
  /** a person moves it to `line.department` here, when the model routed it elsewhere (a correction) */
  correctAt: Date;
  /** the simulated agent's reply, if one was sent by now */
  reply?: { at: Date; agent: string };
  resolveAt?: Date;
}

export interface HistoryOptions {
  now: Date;
  days: number;
  /** how many lines of the file the week uses (the live replay starts after them) */
  count: number;
  seed?: number;
}

const MINUTE = 60_000;
const AGENTS = ['Mara Schulz', 'Jonas Becker', 'Priya Nair', 'Tom Keller', 'Lea Wolf'];

/** Minutes until an agent answers: most within the hour, some after many hours (breaches), some never. */
function replyDelay(r: () => number): number | undefined {
  const p = r();
  if (p < 0.06) return undefined;
  if (p < 0.16) return 120 + r() * 480;
  return 3 + r() ** 2 * 50;
}

/**
 * A week of history for the demo: the first `count` lines spread over the `days` before `now`, each with a
 * realistic reply delay, a resolution for most of the answered ones, and a correction time for misroutes.
 */
export function planHistory(lines: ReplayLine[], options: HistoryOptions): HistoryItem[] {
  // the same seed plays the same week, so the demo's figures are the same on every machine
  const r = seededRandom(options.seed ?? 11);
  const start = options.now.getTime() - options.days * 24 * 60 * MINUTE;
  const used = lines.slice(0, options.count);
  const slot = (options.now.getTime() - 30 * MINUTE - start) / Math.max(1, used.length);
  const before = (ms: number) => ms < options.now.getTime() - MINUTE;
  return used.map((line, i) => {
    const at = start + i * slot + r() * slot * 0.8;
    const delay = replyDelay(r);
    const correctAt = at + (2 + r() * 20) * MINUTE;
    const replyAt = delay === undefined ? undefined : Math.max(correctAt + MINUTE, at + delay * MINUTE);
    const item: HistoryItem = { line, at: new Date(at), correctAt: new Date(correctAt) };
    if (replyAt !== undefined && before(replyAt)) {
      item.reply = { at: new Date(replyAt), agent: AGENTS[Math.floor(r() * AGENTS.length)]! };
      const resolveAt = replyAt + (20 + r() ** 2 * 900) * MINUTE;
      if (r() < 0.93 && before(resolveAt)) item.resolveAt = new Date(resolveAt);
    }
    return item;
  });
}
