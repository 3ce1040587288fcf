import type { DepartmentClassifier } from '../src/domain/classification';
import { predictAll, scorePredictions } from './evaluate';
import type { Prediction } from './evaluate';
import { stratifiedSplit } from './random';
import type { LabelledExample } from './train';

/** Builds a model from weighted examples: ours, or a baseline, so both see exactly the same rows. */
export type Trainer = (examples: LabelledExample[]) => DepartmentClassifier;

export interface Figures {
  examples: number;
  accuracy: number;
  macroF1: number;
}

const figures = (preds: Prediction[]): Figures => {
  const s = scorePredictions(preds);
  return { examples: preds.length, accuracy: s.accuracy, macroF1: s.macroF1 };
};

export const sourceOf = (e: LabelledExample): string => e.source ?? 'unknown';

/**
 * Leave one source out: for every source, train on the other sources (plus `extra`, e.g. our seed examples)
 * and test on it. Pooled figures are over every left-out prediction together.
 */
export function leaveOneSourceOut(
  rows: LabelledExample[],
  trainers: Record<string, Trainer>,
  extra: LabelledExample[] = [],
): { perSource: Record<string, Record<string, Figures>>; pooled: Record<string, Figures> } {
  const sources = [...new Set(rows.map(sourceOf))].sort();
  if (sources.length < 2) throw new Error(`leave-one-source-out needs at least two sources, got ${sources.length}`);
  const perSource: Record<string, Record<string, Figures>> = {};
  const all: Record<string, Prediction[]> = {};
  for (const source of sources) {
    const test = rows.filter((e) => sourceOf(e) === source);
    const rest = [...extra, ...rows.filter((e) => sourceOf(e) !== source)];
    perSource[source] = {};
    for (const [name, trainer] of Object.entries(trainers)) {
      const { predictions } = predictAll(trainer(rest), test);
      perSource[source][name] = figures(predictions);
      (all[name] ??= []).push(...predictions);
    }
  }
  return { perSource, pooled: Object.fromEntries(Object.entries(all).map(([name, p]) => [name, figures(p)])) };
}

/**
 * Day one as the app has it: models trained on `seed` alone (what ships; none of `rows`), tested on every source of
 * `rows`, per source and pooled. Every source is one the model has never seen.
 */
export function dayOne(
  rows: LabelledExample[],
  trainers: Record<string, Trainer>,
  seed: LabelledExample[],
): { perSource: Record<string, Record<string, Figures>>; pooled: Record<string, Figures> } {
  const models = Object.entries(trainers).map(([name, trainer]) => [name, trainer(seed)] as const);
  const perSource: Record<string, Record<string, Figures>> = {};
  const all: Record<string, Prediction[]> = {};
  for (const source of [...new Set(rows.map(sourceOf))].sort()) {
    const test = rows.filter((e) => sourceOf(e) === source);
    perSource[source] = {};
    for (const [name, model] of models) {
      const { predictions } = predictAll(model, test);
      perSource[source][name] = figures(predictions);
      (all[name] ??= []).push(...predictions);
    }
  }
  return { perSource, pooled: Object.fromEntries(Object.entries(all).map(([name, p]) => [name, figures(p)])) };
}

export interface AdaptOptions {
  source: string;
  ks: number[];
  /** how much each of the source's rows counts, as the app weighs a company's history */
  weight: number;
  /** draws per K (seeds 1..draws), averaged */
  draws?: number;
  extra?: LabelledExample[];
}

export interface CurvePoint {
  k: number;
  /** rows of the source actually added (stratified by label, so close to k) */
  added: number;
  tested: number;
  figures: Record<string, { accuracy: number; macroF1: number }>;
}

/**
 * The learning curve on one source: the other sources (and `extra`) plus K stratified rows of the source,
 * weighted as the app weighs a company's history, tested on the source's remaining rows. K = 0 is day one.
 */
export function adaptationCurve(rows: LabelledExample[], trainers: Record<string, Trainer>, o: AdaptOptions): CurvePoint[] {
  const mine = rows.filter((e) => sourceOf(e) === o.source);
  if (mine.length === 0) throw new Error(`no rows of source "${o.source}"`);
  const base = [...(o.extra ?? []), ...rows.filter((e) => sourceOf(e) !== o.source)];
  const draws = o.draws ?? 3;
  return [0, ...o.ks].map((k) => {
    if (k >= mine.length) throw new Error(`k=${k} leaves nothing of "${o.source}" (${mine.length} rows) to test on`);
    const sums: Record<string, { accuracy: number; macroF1: number }> = {};
    let added = 0;
    let tested = 0;
    const seeds = k === 0 ? [1] : Array.from({ length: draws }, (_, i) => i + 1);
    for (const seed of seeds) {
      const { kept, held } = k === 0 ? { kept: mine, held: [] } : stratifiedSplit(mine, (e) => e.label, k / mine.length, seed);
      const history = held.map((e) => ({ ...e, weight: o.weight, own: true }));
      added += history.length;
      tested += kept.length;
      for (const [name, trainer] of Object.entries(trainers)) {
        const f = figures(predictAll(trainer([...base, ...history]), kept).predictions);
        const s = (sums[name] ??= { accuracy: 0, macroF1: 0 });
        s.accuracy += f.accuracy / seeds.length;
        s.macroF1 += f.macroF1 / seeds.length;
      }
    }
    const r = (x: number) => Math.round(x * 1e4) / 1e4;
    return {
      k,
      added: Math.round(added / seeds.length),
      tested: Math.round(tested / seeds.length),
      figures: Object.fromEntries(Object.entries(sums).map(([n, s]) => [n, { accuracy: r(s.accuracy), macroF1: r(s.macroF1) }])),
    };
  });
}
