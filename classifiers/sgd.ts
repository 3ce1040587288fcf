import type { SparseVector } from './features';
import { seededRandom, shuffle } from './random';

export interface SgdOptions {
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
}

export interface LinearWeights {
  weights: Float32Array;
  bias: Float32Array;
}

/** Feature ids by descending number of occurrences in `idx` (`order`, ties by id) and each id's place in it (`rank`). */
function rankFeatures(idx: Int32Array, features: number): { rank: Int32Array; order: Int32Array } {
  const seen = new Int32Array(features);
  for (let i = 0; i < idx.length; i++) seen[idx[i]!]!++;
  const order = Int32Array.from({ length: features }, (_, f) => f).sort((a, b) => seen[b]! - seen[a]! || a - b);
  const rank = new Int32Array(features);
  for (let r = 0; r < features; r++) rank[order[r]!] = r;
  return { rank, order };
}

/**
 * Multinomial logistic regression by SGD with exact L2 through a shared weight scale,
 * so each step only touches the example's non-zero features. With `offset`, the fit is a correction on top of
 * that fixed model (its logits are added, L2 pulls towards it): the result is the correction alone, to be summed.
 */
export function fitSoftmax(
  xs: SparseVector[],
  ys: number[],
  sampleWeights: number[],
  features: number,
  K: number,
  o: SgdOptions,
  offset?: LinearWeights,
): LinearWeights {
  // float32: half the memory each step reads (the weights are stored as int16 in the end)
  const W = new Float32Array(features * K);
  const b = new Float64Array(K);
  const p = new Float64Array(K);
  // one packed copy of the examples (CSR): typed arrays read faster than an array of small arrays
  const at = new Int32Array(xs.length + 1);
  xs.forEach((x, n) => (at[n + 1] = at[n]! + x.idx.length));
  const idx = new Int32Array(at[xs.length]!);
  const val = new Float64Array(at[xs.length]!);
  xs.forEach((x, n) => {
    idx.set(x.idx, at[n]);
    val.set(x.val, at[n]);
  });
  // features renumbered by how often they occur, so the rows most steps touch share cache lines (the arithmetic is unchanged)
  const { rank, order: byRank } = rankFeatures(idx, features);
  for (let i = 0; i < idx.length; i++) idx[i] = rank[idx[i]!]!;
  // the fixed model's logits do not change while this one learns, so they are computed once
  const fixed = new Float64Array(offset ? xs.length * K : 0);
  if (offset) {
    for (let n = 0; n < xs.length; n++) {
      for (let k = 0; k < K; k++) fixed[n * K + k] = offset.bias[k]!;
      for (let i = at[n]!; i < at[n + 1]!; i++) for (let k = 0; k < K; k++) fixed[n * K + k]! += val[i]! * offset.weights[byRank[idx[i]!]! * K + k]!;
    }
  }
  const order = xs.map((_, i) => i);
  const random = seededRandom(o.seed);
  let scale = 1;
  let t = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    shuffle(order, random);
    for (const n of order) {
      const [from, to] = [at[n]!, at[n + 1]!];
      const eta = o.learningRate / (1 + o.learningRate * o.l2 * t++);
      let max = -Infinity;
      for (let k = 0; k < K; k++) p[k] = b[k]! + (offset ? fixed[n * K + k]! : 0);
      for (let i = from; i < to; i++) {
        const base = idx[i]! * K;
        const v = val[i]! * scale;
        for (let k = 0; k < K; k++) p[k]! += v * W[base + k]!;
      }
      for (let k = 0; k < K; k++) max = Math.max(max, p[k]!);
      let sum = 0;
      for (let k = 0; k < K; k++) sum += p[k] = Math.exp(p[k]! - max);
      const w = sampleWeights[n]!;
      for (let k = 0; k < K; k++) p[k] = (p[k]! / sum - (k === ys[n] ? 1 : 0)) * w;
      scale *= 1 - eta * o.l2;
      if (scale < 1e-6) {
        for (let i = 0; i < W.length; i++) W[i]! *= scale;
        scale = 1;
      }
      const step = eta / scale;
      for (let i = from; i < to; i++) {
        const base = idx[i]! * K;
        const v = val[i]! * step;
        for (let k = 0; k < K; k++) W[base + k]! -= v * p[k]!;
      }
      for (let k = 0; k < K; k++) b[k]! -= eta * p[k]!;
    }
  }
  const weights = new Float32Array(W.length);
  for (let r = 0; r < features; r++) for (let k = 0, f = byRank[r]!; k < K; k++) weights[f * K + k] = W[r * K + k]! * scale;
  return { weights, bias: Float32Array.from(b) };
}
