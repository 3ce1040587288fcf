import type { Prediction } from './evaluate';

export interface TriagePoint {
  threshold: number;
  /** accuracy of the conversations routed automatically (confidence >= threshold) */
  autoAccuracy: number;
  /** share of conversations sent to triage (confidence < threshold) */
  triageShare: number;
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

export function triageAt(preds: Prediction[], threshold: number): TriagePoint {
  const auto = preds.filter((p) => p.confidence >= threshold);
  const correct = auto.filter((p) => p.actual === p.predicted).length;
  return {
    threshold,
    autoAccuracy: round(auto.length ? correct / auto.length : 1),
    triageShare: round(preds.length ? 1 - auto.length / preds.length : 0),
  };
}

/**
 * Picks a triage threshold from held-out predictions: the lowest threshold (step 0.01) whose
 * automatically routed accuracy reaches `minAccuracy`; if none does within `maxTriageShare`,
 * the most accurate threshold that keeps triage within `maxTriageShare`.
 */
export function suggestThreshold(
  preds: Prediction[],
  { minAccuracy = 0.95, maxTriageShare = 0.2 }: { minAccuracy?: number; maxTriageShare?: number } = {},
): TriagePoint {
  const points: TriagePoint[] = [];
  for (let t = 0; t <= 99; t++) points.push(triageAt(preds, t / 100));
  const reaching = points.find((p) => p.autoAccuracy >= minAccuracy && p.triageShare <= maxTriageShare);
  if (reaching) return reaching;
  const within = points.filter((p) => p.triageShare <= maxTriageShare);
  return within.reduce((best, p) => (p.autoAccuracy > best.autoAccuracy ? p : best), points[0]!);
}
