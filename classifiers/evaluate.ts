import type { DepartmentClassifier } from '../src/domain/classification';
import type { LabelledExample } from './train';

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Prediction {
  actual: string;
  predicted: string;
  confidence: number;
  lang?: string;
}

export interface Evaluation {
  accuracy: number;
  macroF1: number;
  perClass: Record<string, ClassMetrics>;
  perLang?: Record<string, { accuracy: number; macroF1: number; support: number }>;
  confusion: Record<string, Record<string, number>>;
  /** expected calibration error over 10 equal-width confidence bins */
  ece: number;
  classifyPerSecond: number;
}

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

/** Classifies every example, timing only the classify calls. */
export function predictAll(model: DepartmentClassifier, examples: LabelledExample[]): { predictions: Prediction[]; seconds: number } {
  const predictions: Prediction[] = [];
  if (examples[0]) model.classify(examples[0].text); // untimed: a one-off lazy load (the language detector) is not throughput
  let ns = 0n;
  for (const e of examples) {
    const t0 = process.hrtime.bigint();
    const c = model.classify(e.text);
    ns += process.hrtime.bigint() - t0;
    predictions.push({ actual: e.label, predicted: c.label, confidence: c.confidence, ...(e.lang ? { lang: e.lang } : {}) });
  }
  return { predictions, seconds: Number(ns) / 1e9 };
}

function classMetrics(preds: Prediction[]): { perClass: Record<string, ClassMetrics>; macroF1: number; accuracy: number } {
  const labels = [...new Set(preds.flatMap((p) => [p.actual, p.predicted]))].sort();
  const perClass: Record<string, ClassMetrics> = {};
  for (const l of labels) {
    const tp = preds.filter((p) => p.actual === l && p.predicted === l).length;
    const predicted = preds.filter((p) => p.predicted === l).length;
    const support = preds.filter((p) => p.actual === l).length;
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[l] = { precision: round(precision), recall: round(recall), f1: round(f1), support };
  }
  const f1s = Object.values(perClass).map((m) => m.f1);
  const correct = preds.filter((p) => p.actual === p.predicted).length;
  return {
    perClass,
    macroF1: round(f1s.reduce((a, b) => a + b, 0) / Math.max(1, f1s.length)),
    accuracy: round(correct / Math.max(1, preds.length)),
  };
}

/** Expected calibration error: mean |accuracy - confidence| over 10 bins, weighted by bin size. */
export function expectedCalibrationError(preds: Prediction[], bins = 10): number {
  const n = new Array<number>(bins).fill(0);
  const conf = new Array<number>(bins).fill(0);
  const hit = new Array<number>(bins).fill(0);
  for (const p of preds) {
    const b = Math.min(bins - 1, Math.floor(p.confidence * bins));
    n[b]!++;
    conf[b]! += p.confidence;
    hit[b]! += p.actual === p.predicted ? 1 : 0;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (n[b]) ece += Math.abs(hit[b]! - conf[b]!) / preds.length;
  return round(ece);
}

/** Accuracy, macro-F1, per class and language, confusion and calibration of `model` on `examples`. */
export function evaluate(model: DepartmentClassifier, examples: LabelledExample[]): Evaluation {
  const { predictions, seconds } = predictAll(model, examples);
  return { ...scorePredictions(predictions), classifyPerSecond: Math.round(examples.length / Math.max(seconds, 1e-9)) };
}

export function scorePredictions(preds: Prediction[]): Omit<Evaluation, 'classifyPerSecond'> {
  const { perClass, macroF1, accuracy } = classMetrics(preds);
  const confusion: Record<string, Record<string, number>> = {};
  for (const p of preds) {
    const row = (confusion[p.actual] ??= {});
    row[p.predicted] = (row[p.predicted] ?? 0) + 1;
  }
  const out: Omit<Evaluation, 'classifyPerSecond'> = { accuracy, macroF1, perClass, confusion, ece: expectedCalibrationError(preds) };
  const langs = [...new Set(preds.map((p) => p.lang).filter((l): l is string => !!l))].sort();
  if (langs.length > 0) {
    out.perLang = {};
    for (const lang of langs) {
      const sub = preds.filter((p) => p.lang === lang);
      const m = classMetrics(sub);
      out.perLang[lang] = { accuracy: m.accuracy, macroF1: m.macroF1, support: sub.length };
    }
  }
  return out;
}
