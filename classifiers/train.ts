import { calibrate } from './calibration';
import { fitComplementNB } from './cnb';
import type { FeatureSpace } from './features';
import { charHashes, makeSpace, vectorize, wordKeys } from './features';
import { detectLanguage } from './language';
import type { ModelMeta } from './model';
import { quantize, TrainedClassifier } from './model';
import { stratifiedSplit } from './random';
import { fitSoftmax } from './sgd';
import type { Token } from './text';
import { analyze } from './text';

export interface LabelledExample {
  text: string;
  label: string;
  lang?: string;
  /** how much this example counts (default 1); e.g. more for a recent manual correction */
  weight?: number;
  /** where the example comes from (a data set or company); only the source-wise benchmarks read it */
  source?: string;
  /** the company's own example (its history or a correction): the second stage fits these on top of the first */
  own?: boolean;
}

export interface TrainOptions {
  /** 'softmax' (default) or 'cnb', complement naive Bayes on the same features, for comparison */
  model?: 'softmax' | 'cnb';
  /** passes over the data; default 6 (fewer passes fit the seed's style less: day one on unseen sources above 12's) */
  epochs?: number;
  /** initial SGD step; default 0.5 */
  learningRate?: number;
  /** L2 penalty per example; default 1e-5 */
  l2?: number;
  /** a word feature must occur in this many examples to be kept; default 2 */
  minCount?: number;
  /**
   * per language: a word feature that occurs in this many examples of that language is kept too; default
   * { de: 1 }: German's rare compounds and repeated headlines carry signal that English's long tail does not
   */
  langMinCount?: Record<string, number>;
  /** hashed char n-gram buckets, a power of two, 0 turns them off; default 2^14 */
  charBuckets?: number;
  /** shortest and longest char n-gram; default [4, 4] (day one on unseen sources, mean of 3 seeds: 0.406 / 0.336 against [5, 5]'s 0.388 / 0.319) */
  charNgrams?: [number, number];
  /** weight of the char block against the word block; default 1 */
  charWeight?: number;
  /** 0 = plain, 1 = fully balanced class weights; default 1 (leave-one-source-out: +0.5 points accuracy, +0.8 macro-F1 over 0.5) */
  balance?: number;
  /**
   * 0 = off, 1 = within each label every `source` (examples without one are one source) weighs the same in all, so
   * one large data set's style does not become the label's; a company's own examples keep their weight; default 1
   */
  sourceBalance?: number;
  /** hash char n-grams per language, so en and de n-grams never share a bucket; default true */
  langChars?: boolean;
  /** fit a temperature per language where the calibration slice has enough examples of it; default true */
  langTemperature?: boolean;
  /** share held out to fit the temperature, then trained on too; default 0.1 */
  calibrationShare?: number;
  /**
   * passes of the second stage, on the `own` examples only, fitted on top of the model of every example (both are
   * summed into one model, so classify costs the same), fewer above 2,000 own examples; 0 turns it off; default 16 (adapt, K = 25: germeval-db
   * 0.437 -> 0.705, clinc150 0.569 -> 0.812 accuracy)
   */
  ownEpochs?: number;
  /** its L2 penalty (towards the first stage's weights); default 1e-5 */
  ownL2?: number;
  /** its class balance (0: the company's own label mix counts as its prior) */
  ownBalance?: number;
  seed?: number;
}

const DEFAULTS: Required<TrainOptions> = {
  model: 'softmax',
  epochs: 6, learningRate: 0.5, l2: 1e-5, minCount: 2, charBuckets: 1 << 14, charNgrams: [4, 4], charWeight: 1,
  balance: 1, sourceBalance: 1, calibrationShare: 0.1, seed: 1, langMinCount: { de: 1 }, langChars: true, langTemperature: true,
  ownEpochs: 16, ownL2: 1e-5, ownBalance: 0,
};

/** example steps of the second stage at most (16 passes up to 2,000 own examples) */
const OWN_STEPS = 32_000;

/** fewer held-out examples than this give no useful temperature, so small seed sets keep T = 1 */
const MIN_CALIBRATION = 20;

interface Prepared {
  tokens: Token[];
  lang: string;
  y: number;
}

function buildSpace(docs: Prepared[], o: Required<TrainOptions>): FeatureSpace {
  const df = new Map<string, number>();
  const kept = new Set<string>();
  const langDf = new Map<string, Map<string, number>>();
  for (const d of docs) {
    const min = o.langMinCount[d.lang];
    let ldf = langDf.get(d.lang);
    if (!ldf) langDf.set(d.lang, (ldf = new Map<string, number>()));
    for (const key of new Set(wordKeys(d.tokens, d.lang))) {
      df.set(key, (df.get(key) ?? 0) + 1);
      if (min !== undefined) {
        const n = (ldf.get(key) ?? 0) + 1;
        ldf.set(key, n);
        if (n >= min) kept.add(key);
      }
    }
  }
  const found: [string, number][] = [];
  for (const [key, n] of df) if (n >= o.minCount || kept.has(key)) found.push([key, n]);
  // commonest first: the weights and idf that most messages read lie together in memory (Array#sort is stable)
  found.sort((a, b) => b[1] - a[1]);
  const keys = found.map(([key]) => key);
  const dfs = found.map(([, n]) => n);
  const charDf = new Float64Array(o.charBuckets);
  const seen = new Int32Array(o.charBuckets).fill(-1);
  docs.forEach((d, n) => {
    const hashes: number[] = [];
    charHashes(d.tokens, o, hashes, 0, d.lang);
    for (const h of hashes) {
      if (seen[h] === n) continue;
      seen[h] = n;
      charDf[h]!++;
    }
  });
  const N = docs.length;
  const idf = new Float32Array(keys.length + o.charBuckets);
  dfs.forEach((n, i) => (idf[i] = Math.log((1 + N) / (1 + n)) + 1));
  charDf.forEach((n, i) => (idf[keys.length + i] = Math.log((1 + N) / (1 + n)) + 1));
  return makeSpace(keys, { charBuckets: o.charBuckets, charNgrams: o.charNgrams, charWeight: o.charWeight, idf, langChars: o.langChars });
}

/** Per example, the factor that gives every source of a label the same weight (own examples and one-source labels: 1). */
function sourceShares(examples: LabelledExample[], power: number): number[] {
  const cells = new Map<string, number>();
  const perLabel = new Map<string, Set<string>>();
  const shared = examples.map((e) => (e.own ? undefined : `${e.label}\u0000${e.source ?? ''}`));
  examples.forEach((e, i) => {
    const cell = shared[i];
    if (cell === undefined) return;
    cells.set(cell, (cells.get(cell) ?? 0) + 1);
    let sources = perLabel.get(e.label);
    if (!sources) perLabel.set(e.label, (sources = new Set()));
    sources.add(e.source ?? '');
  });
  const labelTotal = new Map<string, number>();
  for (const [cell, n] of cells) {
    const label = cell.slice(0, cell.indexOf('\u0000'));
    labelTotal.set(label, (labelTotal.get(label) ?? 0) + n);
  }
  return examples.map((e, i) => {
    const cell = shared[i];
    if (cell === undefined || power === 0) return 1;
    return Math.pow(labelTotal.get(e.label)! / perLabel.get(e.label)!.size / cells.get(cell)!, power);
  });
}

/** Trains a calibrated classifier on labelled examples; any label that occurs is learned. */
export function train(examples: LabelledExample[], options: TrainOptions = {}): TrainedClassifier {
  const o = { ...DEFAULTS, ...options };
  if (o.charBuckets & (o.charBuckets - 1)) throw new Error(`charBuckets must be 0 or a power of two, got ${o.charBuckets}`);
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  if (labels.length < 2) throw new Error(`training needs at least two labels, got ${labels.length}`);
  const index = new Map(labels.map((l, i) => [l, i]));
  const docs: Prepared[] = examples.map((e) => {
    const lang = e.lang === 'en' || e.lang === 'de' ? e.lang : e.lang ? 'und' : detectLanguage(e.text);
    return { tokens: analyze(e.text, lang), lang, y: index.get(e.label)! };
  });
  const space = buildSpace(docs, o);
  const xs = docs.map((d) => vectorize(d.tokens, d.lang, space));
  const ys = docs.map((d) => d.y);
  const counts = labels.map((_, k) => ys.filter((y) => y === k).length);
  const share = sourceShares(examples, o.sourceBalance);
  const sw = ys.map((y, i) => (examples[i]!.weight ?? 1) * share[i]! * Math.pow(docs.length / (labels.length * counts[y]!), o.balance));
  const F = space.vocab.size + space.charBuckets;
  const fit = (ids: number[]) => {
    const [x, y] = [ids.map((i) => xs[i]!), ids.map((i) => ys[i]!)];
    if (o.model === 'cnb') {
      const { weights, bias } = fitComplementNB(x, y, F, labels.length);
      return { ...quantize(weights), bias };
    }
    const general = fitSoftmax(x, y, ids.map((i) => sw[i]!), F, labels.length, o);
    const mine = o.ownEpochs > 0 ? ids.filter((i) => examples[i]!.own) : [];
    if (mine.length === 0) return { ...quantize(general.weights), bias: general.bias };
    const ownCounts = labels.map((_, k) => mine.filter((i) => ys[i] === k).length);
    const ownWeights = mine.map((i) => (examples[i]!.weight ?? 1) * Math.pow(mine.length / (labels.length * ownCounts[ys[i]!]!), o.ownBalance));
    // a long history already weighs in the first stage: fewer passes keep training on 10k of them within seconds
    const epochs = Math.max(1, Math.min(o.ownEpochs, Math.round(OWN_STEPS / mine.length)));
    const extra = fitSoftmax(mine.map((i) => xs[i]!), mine.map((i) => ys[i]!), ownWeights, F, labels.length, { ...o, epochs, l2: o.ownL2 }, general);
    // logits add up, so the two stages are one linear model
    for (let i = 0; i < extra.weights.length; i++) extra.weights[i]! += general.weights[i]!;
    for (let k = 0; k < labels.length; k++) extra.bias[k]! += general.bias[k]!;
    return { ...quantize(extra.weights), bias: extra.bias };
  };
  const all = xs.map((_, i) => i);
  const meta: ModelMeta = {
    trainedAt: new Date().toISOString(),
    examples: docs.length,
    perLabel: Object.fromEntries(labels.map((l, k) => [l, counts[k]!])),
    options: { ...o },
  };
  let temperature = 1;
  let langTemperature: Record<string, number> | undefined;
  const { kept, held } = stratifiedSplit(all, (i) => `${ys[i]}|${docs[i]!.lang}`, o.calibrationShare, o.seed);
  if (o.calibrationShare > 0 && held.length >= MIN_CALIBRATION) {
    const probe = new TrainedClassifier({ labels, space, ...fit(kept), temperature: 1, meta });
    const fitted = calibrate(probe, held.map((i) => xs[i]!), held.map((i) => ys[i]!), o.langTemperature ? held.map((i) => docs[i]!.lang) : []);
    temperature = fitted.temperature;
    if (Object.keys(fitted.langTemperature).length > 0) langTemperature = fitted.langTemperature;
    meta.calibration = { examples: held.length, ...fitted };
  }
  return new TrainedClassifier({ labels, space, ...fit(all), temperature, ...(langTemperature ? { langTemperature } : {}), meta });
}
