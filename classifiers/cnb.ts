import type { SparseVector } from './features';

/**
 * Complement naive Bayes (Rennie et al. 2003) on the same sparse features: each label is scored by how
 * unlike the other labels' text the message is. Kept as the comparison for the softmax model.
 */
export function fitComplementNB(
  xs: SparseVector[],
  ys: number[],
  features: number,
  K: number,
  alpha = 0.3,
): { weights: Float32Array; bias: Float32Array } {
  const perLabel = new Float64Array(features * K);
  const all = new Float64Array(features);
  xs.forEach((x, n) => {
    for (let i = 0; i < x.idx.length; i++) {
      perLabel[x.idx[i]! * K + ys[n]!]! += x.val[i]!;
      all[x.idx[i]!]! += x.val[i]!;
    }
  });
  const total = all.reduce((a, b) => a + b, 0);
  const labelTotals = new Float64Array(K);
  for (let f = 0; f < features; f++) for (let k = 0; k < K; k++) labelTotals[k]! += perLabel[f * K + k]!;
  const weights = new Float32Array(features * K);
  for (let f = 0; f < features; f++) {
    for (let k = 0; k < K; k++) {
      const complement = all[f]! - perLabel[f * K + k]!;
      weights[f * K + k] = -Math.log((alpha + complement) / (alpha * features + total - labelTotals[k]!));
    }
  }
  return { weights, bias: new Float32Array(K) };
}
