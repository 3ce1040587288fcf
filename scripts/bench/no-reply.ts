/**
 * Figures for the no-reply detector (not a test); reads the data from outside the repo, writes nothing.
 *   npm run --silent bench:no-reply -- --data ../shared/data/routing/train.csv [--threshold 0.8]
 * A row labelled `other` (small talk, chit-chat, unrelated posts) counts as "no reply needed", every other label as
 * "needs a reply": per source and language, the share of each flagged no-reply, precision and recall of "no reply".
 */
import { parseArgs } from 'node:util';
import { readLabelledFile } from '../../classifiers';
import { DEFAULT_NO_REPLY_THRESHOLD, trainNoReplyDetector } from '../../classifiers/no-reply';

const { values } = parseArgs({ options: { data: { type: 'string' }, threshold: { type: 'string' } } });
if (!values.data) throw new Error('--data FILE.csv is required');
const threshold = values.threshold ? Number(values.threshold) : DEFAULT_NO_REPLY_THRESHOLD;

const started = Date.now();
const detector = trainNoReplyDetector({ threshold });
const trainMs = Date.now() - started;
const rows = readLabelledFile(values.data);

interface Tally { n: number; quiet: number; truePos: number; pos: number; flagged: number }
const tallies = new Map<string, Tally>();
const tally = (key: string) => tallies.get(key) ?? (tallies.set(key, { n: 0, quiet: 0, truePos: 0, pos: 0, flagged: 0 }), tallies.get(key)!);
const t0 = process.hrtime.bigint();
for (const row of rows) {
  const quiet = !detector.check(row.text).needed;
  const actual = row.label === 'other';
  for (const key of [`${row.source ?? '?'}/${row.lang ?? '?'}`, 'all']) {
    const t = tally(key);
    t.n++;
    if (actual) t.pos++;
    if (quiet) t.flagged++;
    if (quiet && actual) t.truePos++;
  }
}
const perMessageUs = Number(process.hrtime.bigint() - t0) / 1000 / rows.length;

const pct = (a: number, b: number) => (b === 0 ? '   -  ' : `${((100 * a) / b).toFixed(1).padStart(5)}%`);
console.log(`threshold ${threshold}; trained in ${trainMs} ms; ${perMessageUs.toFixed(1)} µs a message`);
console.log('source/lang            rows  other  flagged  precision  recall  needs-reply flagged');
for (const [key, t] of [...tallies].sort(([a], [b]) => (a === 'all' ? 1 : b === 'all' ? -1 : a.localeCompare(b)))) {
  const wrong = t.flagged - t.truePos;
  console.log(`${key.padEnd(20)} ${String(t.n).padStart(6)} ${String(t.pos).padStart(6)} ${String(t.flagged).padStart(8)}  ${pct(t.truePos, t.flagged).padStart(9)}  ${pct(t.truePos, t.pos).padStart(6)}  ${pct(wrong, t.n - t.pos).padStart(10)}`);
}
