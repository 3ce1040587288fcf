import type { SparseVector } from './features';
import { seededRandom, shuffle } from './random';

export interface SgdOptions {
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
}

/**
 * Multinomial logistic regression by SGD with exact L2 through a shared weight scale,
 * so each step only touches the example's non-zero features.
 */
export function fitSoftmax(
  xs: SparseVector[],
  ys: number[],
  sampleWeights: number[],
  features: number,
  K: number,
  o: SgdOptions,
): { weights: Float32Array; bias: Float32Array } {
  const W = new Float64Array(features * K);
  const b = new Float64Array(K);
  const p = new Float64Array(K);
  const order = xs.map((_, i) => i);
  const random = seededRandom(o.seed);
  let scale = 1;
  let t = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    shuffle(order, random);
    for (const n of order) {
      const x = xs[n]!;
      const eta = o.learningRate / (1 + o.learningRate * o.l2 * t++);
      let max = -Infinity;
      for (let k = 0; k < K; k++) p[k] = b[k]!;
      for (let i = 0; i < x.idx.length; i++) {
        const base = x.idx[i]! * K;
        const v = x.val[i]! * scale;
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
      for (let i = 0; i < x.idx.length; i++) {
        const base = x.idx[i]! * K;
        const v = x.val[i]! * step;
        for (let k = 0; k < K; k++) W[base + k]! -= v * p[k]!;
      }
      for (let k = 0; k < K; k++) b[k]! -= eta * p[k]!;
    }
  }
  const weights = new Float32Array(W.length);
  for (let i = 0; i < W.length; i++) weights[i] = W[i]! * scale;
  return { weights, bias: Float32Array.from(b) };
}
