/**
 * Figures for the classifier (not a test). Reads data from outside the repo and writes only under the given out dir.
 *   split  --data FILE.csv --out DIR [--seed 42]   stratified 80/20 split by label+lang+source
 *   bayes  --train A.csv --test B.csv              natural's BayesClassifier, the "before" (its import prints dotenv notices: read the last line)
 *   speed  --train A.csv --test B.csv              train time at 10k; classify/s on distinct tweet-length texts (test messages cut
 *                                                  to 280 characters at a word boundary), per wall and per CPU second and from
 *                                                  each text's fastest round (uninterrupted), p50/p99,
 *                                                  model size, triage, the load average
 *   curve  --train A.csv --test B.csv              learning curve per language: accuracy on B's messages of a language when only a
 *                                                  share of A's rows of that language is trained on (the other languages whole)
 *   loso   --data FILE.csv [--without-seed]        leave one source out: per-source and pooled accuracy / macro-F1 of ours and of
 *                                                  a TF-IDF + linear SVM baseline, both trained on the same rows (+ our seed examples)
 *   dayone --data FILE.csv                         day one as shipped: ours and the baseline trained on our seed examples alone,
 *                                                  tested on every source of FILE (per source and pooled)
 *   adapt  --data FILE.csv --source S --k 25,50    learning curve on S: the other sources + K stratified rows of S weighted as a
 *          [--draws 3] [--without-seed]            company's history is (STORED_WEIGHT), tested on the rest of S; ours and baseline
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import type { Classification, DepartmentClassifier } from '../../src/domain/classification';
import { evaluate, loadSeedExamples, predictAll, readLabelledFile, stratifiedSplit, train, triageAt } from '../../classifiers';
import { BaselineSvm } from '../../classifiers/baseline';
import { adaptationCurve, dayOne, leaveOneSourceOut, type Trainer } from '../../classifiers/sources';
import { forgetWords } from '../../classifiers/text';
import { STORED_WEIGHT } from '../../src/learning/retrain';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    data: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' }, train: { type: 'string' }, test: { type: 'string' },
    source: { type: 'string' }, k: { type: 'string' }, draws: { type: 'string' }, 'without-seed': { type: 'boolean' },
  },
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

/** A message of tweet length: the first 280 characters, cut back to the last space when that falls in a word. */
function tweetOf(text: string): string {
  if (text.length <= 280) return text;
  const cut = text.lastIndexOf(' ', 280);
  return text.slice(0, cut > 200 ? cut : 280);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** CPU seconds of this process so far: on a shared machine, wall time also counts the time other processes ran. */
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/**
 * Throughput on a stream of distinct messages: every test message at tweet length, classified once per round.
 * Before each round the word memo is emptied and refilled from the training texts, so test words not seen in
 * training are tokenized and stemmed for the first time, as in a service that has seen earlier traffic.
 * Prints wall-clock and CPU-time figures and the load average: on a loaded machine only the CPU ones mean much.
 */
function speed(): void {
  const trainSet = readLabelledFile(need('train'));
  const test = readLabelledFile(need('test'));
  const tenK = Array.from({ length: 10_000 }, (_, i) => trainSet[i % trainSet.length]!);
  const t0 = performance.now();
  const c0 = cpuSeconds();
  train(tenK);
  const trainSeconds10k = (performance.now() - t0) / 1000;
  const trainCpuSeconds10k = cpuSeconds() - c0;
  const model = train(trainSet);
  const tweets = [...new Set(test.map((e) => tweetOf(e.text)))];
  const warm = trainSet.map((e) => tweetOf(e.text));
  const rounds: number[] = [];
  const cpuRounds: number[] = [];
  const times: number[] = [];
  // per text, its fastest of the rounds: a round a text spent waiting for the CPU does not count
  const fastest = tweets.map(() => Infinity);
  for (let round = 0; round < 5; round++) {
    forgetWords();
    for (const text of warm) model.classify(text); // detector loaded, JIT warm, words of the training texts memoised
    const start = performance.now();
    const cpuStart = cpuSeconds();
    tweets.forEach((text, i) => {
      const t = performance.now();
      model.classify(text);
      const ms = performance.now() - t;
      times.push(ms);
      fastest[i] = Math.min(fastest[i]!, ms);
    });
    rounds.push(Math.round(tweets.length / ((performance.now() - start) / 1000)));
    cpuRounds.push(Math.round(tweets.length / (cpuSeconds() - cpuStart)));
  }
  times.sort((a, b) => a - b);
  const { predictions } = predictAll(model, test);
  const chosen = model.meta.calibration?.triage.threshold;
  console.log(JSON.stringify({
    loadAverage: loadavg().map((x) => +x.toFixed(1)),
    trainSeconds10k: +trainSeconds10k.toFixed(3), trainCpuSeconds10k: +trainCpuSeconds10k.toFixed(3),
    tweets: tweets.length, tweetMeanChars: Math.round(tweets.reduce((a, t) => a + t.length, 0) / tweets.length),
    classifyPerSecond: median(rounds), rounds, classifyPerCpuSecond: median(cpuRounds), cpuRounds,
    classifyPerSecondUninterrupted: Math.round(tweets.length / (fastest.reduce((a, ms) => a + ms, 0) / 1000)),
    p50Ms: +times[Math.floor(times.length * 0.5)]!.toFixed(4), p99Ms: +times[Math.floor(times.length * 0.99)]!.toFixed(4),
    modelBytes: Buffer.byteLength(model.serialize()),
    triage: chosen === undefined ? undefined : triageAt(predictions, chosen),
    thresholds: [0.5, 0.6, 0.7, 0.8].map((t) => triageAt(predictions, t)),
  }));
}

/** Whether a language's accuracy is still rising with its data (more data would help) or flat (the model is the limit). */
function curve(): void {
  const trainSet = readLabelledFile(need('train'));
  const test = readLabelledFile(need('test'));
  const langs = [...new Set(test.map((e) => e.lang ?? 'und'))].sort();
  const out: Record<string, { share: number; rows: number; accuracy: number }[]> = {};
  for (const lang of langs) {
    const mine = trainSet.filter((e) => (e.lang ?? 'und') === lang);
    const others = trainSet.filter((e) => (e.lang ?? 'und') !== lang);
    const probe = test.filter((e) => (e.lang ?? 'und') === lang);
    out[lang] = [0.125, 0.25, 0.5, 0.75, 1].map((share) => {
      // three draws of the share, except the whole
      const draws = share === 1 ? [mine] : [1, 2, 3].map((seed) => stratifiedSplit(mine, (e) => e.label, share, seed).held);
      const accs = draws.map((part) => {
        const model = train([...others, ...part]);
        return probe.filter((e) => model.classify(e.text).label === e.label).length / probe.length;
      });
      return { share, rows: Math.round(mine.length * share), accuracy: +(accs.reduce((a, b) => a + b, 0) / accs.length).toFixed(4) };
    });
  }
  console.log(JSON.stringify(out));
}

const trainers: Record<string, Trainer> = { ours: (rows) => train(rows), baseline: (rows) => BaselineSvm.train(rows) };
/** our seed examples train every model the app makes, so they are in every training set here too */
const extra = () => (values['without-seed'] ? [] : loadSeedExamples());

function loso(): void {
  console.log(JSON.stringify(leaveOneSourceOut(readLabelledFile(need('data')), trainers, extra())));
}

function dayone(): void {
  console.log(JSON.stringify(dayOne(readLabelledFile(need('data')), trainers, loadSeedExamples())));
}

function adapt(): void {
  const ks = need('k').split(',').map(Number);
  if (ks.some((k) => !Number.isInteger(k) || k <= 0)) throw new Error('--k takes positive whole numbers separated by commas, e.g. 25,50,100');
  const curve = adaptationCurve(readLabelledFile(need('data')), trainers, {
    source: need('source'), ks, weight: STORED_WEIGHT, draws: Number(values.draws ?? 3), extra: extra(),
  });
  console.log(JSON.stringify({ source: values.source, weight: STORED_WEIGHT, curve }));
}

const commands: Record<string, () => void | Promise<void>> = { split, bayes, speed, curve, loso, dayone, adapt };
const run = commands[positionals[0] ?? ''];
if (!run) {
  console.error('usage: tsx scripts/bench/classifier.ts split|bayes|speed|curve|loso|dayone|adapt ...');
  process.exit(2);
}
void Promise.resolve(run()).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
