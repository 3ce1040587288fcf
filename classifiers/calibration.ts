import type { Prediction } from './evaluate';
import type { SparseVector } from './features';
import type { TrainedClassifier } from './model';
import type { TriagePoint } from './triage';
import { suggestThreshold } from './triage';

/** Temperature minimising the negative log-likelihood of held-out examples (golden-section search on log T). */
function fitTemperature(model: TrainedClassifier, xs: SparseVector[], ys: number[]): number {
  const K = model.labels.length;
  // logits at T = 1 are log-probabilities up to a constant, so the search needs only these
  const logits = xs.map((x) => Array.from(model.probabilities(x, 1), (p) => Math.log(Math.max(p, 1e-300))));
  const nll = (logT: number) => {
    const t = Math.exp(logT);
    let s = 0;
    logits.forEach((z, i) => {
      let max = -Infinity;
      for (let k = 0; k < K; k++) max = Math.max(max, z[k]! / t);
      let sum = 0;
      for (let k = 0; k < K; k++) sum += Math.exp(z[k]! / t - max);
      s += Math.log(sum) + max - z[ys[i]!]! / t;
    });
    return s;
  };
  let lo = Math.log(0.05);
  let hi = Math.log(20);
  const g = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 40; i++) {
    const a = hi - g * (hi - lo);
    const b = lo + g * (hi - lo);
    if (nll(a) < nll(b)) hi = b;
    else lo = a;
  }
  return Math.exp((lo + hi) / 2);
}

/** a language needs this many held-out examples for a temperature of its own */
export const MIN_LANG_CALIBRATION = 100;

export interface Calibration {
  temperature: number;
  /** temperatures of languages with enough held-out examples; others use `temperature` */
  langTemperature: Record<string, number>;
  triage: TriagePoint;
}

/**
 * Fits the temperature of `probe` on held-out vectors (overall, and per language where `langs` gives enough
 * examples of one) and suggests a triage threshold from the same slice.
 */
export function calibrate(probe: TrainedClassifier, xs: SparseVector[], ys: number[], langs: string[] = []): Calibration {
  const temperature = fitTemperature(probe, xs, ys);
  const langTemperature: Record<string, number> = {};
  for (const lang of [...new Set(langs)].sort()) {
    const at = langs.flatMap((l, i) => (l === lang ? [i] : []));
    if (at.length < MIN_LANG_CALIBRATION) continue;
    langTemperature[lang] = fitTemperature(probe, at.map((i) => xs[i]!), at.map((i) => ys[i]!));
  }
  const preds = xs.map((x, i): Prediction => {
    const p = probe.probabilities(x, langTemperature[langs[i] ?? ''] ?? temperature);
    const best = p.indexOf(Math.max(...p));
    return { actual: probe.labels[ys[i]!]!, predicted: probe.labels[best]!, confidence: p[best]! };
  });
  return { temperature, langTemperature, triage: suggestThreshold(preds) };
}
