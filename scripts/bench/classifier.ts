/**
 * Figures for the classifier (not a test). Reads data from outside the repo and writes only under the given out dir.
 *   split  --data FILE.csv --out DIR [--seed 42]   stratified 80/20 split by label+lang+source
 *   bayes  --train A.csv --test B.csv              natural's BayesClassifier, the "before" (its import prints dotenv notices: read the last line)
 *   speed  --train A.csv --test B.csv              train time at 10k, classify/s, p99, model size, triage
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import type { Classification, DepartmentClassifier } from '../../src/domain/classification';
import { evaluate, predictAll, readLabelledFile, stratifiedSplit, suggestThreshold, train, triageAt } from '../../classifiers';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { data: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' }, train: { type: 'string' }, test: { type: 'string' } },
});
const need = (name: keyof typeof values): string => {
  const v = values[name];
  if (typeof v !== 'string') throw new Error(`--${name} is required`);
  return v;
};
const csvField = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

function split(): void {
  const rows = parse<Record<string, string>>(readFileSync(need('data'), 'utf8'), { columns: true, bom: true });
  const seed = Number(values.seed ?? 42);
  const { kept, held } = stratifiedSplit(rows, (r) => `${r.label}|${r.lang}|${r.source}`, 0.2, seed);
  const header = Object.keys(rows[0]!);
  const write = (file: string, part: Record<string, string>[]) =>
    writeFileSync(file, [header.join(','), ...part.map((r) => header.map((h) => csvField(r[h] ?? '')).join(','))].join('\n') + '\n');
  mkdirSync(need('out'), { recursive: true });
  write(join(need('out'), 'train.csv'), kept);
  write(join(need('out'), 'test.csv'), held);
  console.log(JSON.stringify({ seed, train: kept.length, test: held.length }));
}

async function bayes(): Promise<void> {
  const { BayesClassifier, PorterStemmer } = (await import('natural')).default;
  const trainSet = readLabelledFile(need('train'));
  const t0 = performance.now();
  const bc = new BayesClassifier(PorterStemmer);
  for (const e of trainSet) bc.addDocument(e.text, e.label);
  bc.train();
  const trainSeconds = (performance.now() - t0) / 1000;
  const model: DepartmentClassifier = {
    classify(text: string): Classification {
      const cs = bc.getClassifications(text);
      const sum = cs.reduce((a, c) => a + c.value, 0) || 1;
      const scores = Object.fromEntries(cs.map((c) => [c.label, c.value / sum]));
      return { label: cs[0]!.label, confidence: cs[0]!.value / sum, scores };
    },
  };
  const modelBytes = Buffer.byteLength(JSON.stringify(bc));
  console.log(JSON.stringify({ ...evaluate(model, readLabelledFile(need('test'))), trainSeconds: +trainSeconds.toFixed(3), modelBytes }));
}

function speed(): void {
  const trainSet = readLabelledFile(need('train'));
  const test = readLabelledFile(need('test'));
  const tenK = Array.from({ length: 10_000 }, (_, i) => trainSet[i % trainSet.length]!);
  const t0 = performance.now();
  const model = train(tenK);
  const trainSeconds10k = (performance.now() - t0) / 1000;
  const tweets = test.map((e) => e.text.slice(0, 280));
  for (const e of trainSet.slice(0, 2000)) model.classify(e.text.slice(0, 280)); // a running service: detector loaded, JIT warm
  // first pass: test words not seen in training are stemmed for the first time; later passes are the steady state
  const passes: number[] = [];
  for (let pass = 0; pass < 5; pass++) {
    const start = performance.now();
    for (const text of tweets) model.classify(text);
    passes.push(Math.round(tweets.length / ((performance.now() - start) / 1000)));
  }
  const times = tweets.map((text) => {
    const t = performance.now();
    model.classify(text);
    return performance.now() - t;
  });
  times.sort((a, b) => a - b);
  const full = train(trainSet);
  const { predictions } = predictAll(full, test);
  const thresholds = [0.5, 0.6, 0.7, 0.8].map((t) => triageAt(predictions, t));
  console.log(JSON.stringify({
    trainSeconds10k: +trainSeconds10k.toFixed(3), tweetMeanChars: Math.round(tweets.reduce((a, t) => a + t.length, 0) / tweets.length),
    classifyPerSecondFirstPass: passes[0], classifyPerSecond: Math.max(...passes), p50Ms: +times[Math.floor(times.length * 0.5)]!.toFixed(4), p99Ms: +times[Math.floor(times.length * 0.99)]!.toFixed(4),
    modelBytes: Buffer.byteLength(full.serialize()), suggested: suggestThreshold(predictions), thresholds,
  }));
}

const commands: Record<string, () => void | Promise<void>> = { split, bayes, speed };
const run = commands[positionals[0] ?? ''];
if (!run) {
  console.error('usage: tsx scripts/bench/classifier.ts split|bayes|speed ...');
  process.exit(2);
}
void Promise.resolve(run()).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
