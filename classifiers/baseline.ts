import type { Classification, DepartmentClassifier } from '../src/domain/classification';
import { seededRandom, shuffle } from './random';
import type { LabelledExample } from './train';

/**
 * The yardstick of the source-wise benchmarks: word unigrams + bigrams, TF-IDF (smooth idf, L2 norm, no
 * stemming), a one-vs-rest linear SVM (hinge loss by SGD). Deliberately the textbook model, not ours.
 */
const TOKEN = /[\p{L}\p{N}']+/gu;

function terms(text: string): string[] {
  const words = text.toLowerCase().match(TOKEN) ?? [];
  const out = [...words];
  for (let i = 1; i < words.length; i++) out.push(words[i - 1] + ' ' + words[i]);
  return out;
}

interface Vec {
  idx: number[];
  val: number[];
}

export class BaselineSvm implements DepartmentClassifier {
  private constructor(
    readonly labels: string[],
    private readonly vocab: Map<string, number>,
    private readonly idf: Float64Array,
    private readonly w: Float64Array,
    private readonly b: Float64Array,
  ) {}

  static train(examples: LabelledExample[], { epochs = 10, lambda = 1e-4, seed = 1 } = {}): BaselineSvm {
    const labels = [...new Set(examples.map((e) => e.label))].sort();
    const vocab = new Map<string, number>();
    const df: number[] = [];
    const docs = examples.map((e) => terms(e.text));
    for (const d of docs) {
      for (const t of new Set(d)) {
        let id = vocab.get(t);
        if (id === undefined) vocab.set(t, (id = df.push(0) - 1));
        df[id]!++;
      }
    }
    const N = docs.length;
    const idf = Float64Array.from(df, (n) => Math.log((1 + N) / (1 + n)) + 1);
    const K = labels.length;
    const model = new BaselineSvm(labels, vocab, idf, new Float64Array(vocab.size * K), new Float64Array(K));
    const xs = docs.map((d) => model.vector(d));
    const ys = examples.map((e) => labels.indexOf(e.label));
    const sw = examples.map((e) => e.weight ?? 1);
    const order = xs.map((_, i) => i);
    const random = seededRandom(seed);
    let t = 1;
    // Pegasos step 1/(lambda t), with the L2 shrink folded into a scale per class
    const scale = new Float64Array(K).fill(1);
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (const n of shuffle(order, random)) {
        const eta = 1 / (lambda * (t++ + 1000));
        const x = xs[n]!;
        for (let k = 0; k < K; k++) {
          const y = ys[n] === k ? 1 : -1;
          let z = model.b[k]!;
          for (let i = 0; i < x.idx.length; i++) z += x.val[i]! * model.w[x.idx[i]! * K + k]! * scale[k]!;
          scale[k]! *= 1 - eta * lambda;
          if (y * z < 1) {
            const step = (eta * sw[n]! * y) / scale[k]!;
            for (let i = 0; i < x.idx.length; i++) model.w[x.idx[i]! * K + k]! += step * x.val[i]!;
            model.b[k]! += eta * sw[n]! * y * 0.01;
          }
        }
      }
    }
    for (let f = 0; f < vocab.size; f++) for (let k = 0; k < K; k++) model.w[f * K + k]! *= scale[k]!;
    return model;
  }

  private vector(words: string[]): Vec {
    const counts = new Map<number, number>();
    for (const t of words) {
      const id = this.vocab.get(t);
      if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const idx = [...counts.keys()];
    const val = idx.map((id) => counts.get(id)! * this.idf[id]!);
    const norm = Math.sqrt(val.reduce((a, x) => a + x * x, 0)) || 1;
    return { idx, val: val.map((x) => x / norm) };
  }

  classify(text: string): Classification {
    const x = this.vector(terms(text));
    const K = this.labels.length;
    const z = Array.from(this.b);
    for (let i = 0; i < x.idx.length; i++) for (let k = 0; k < K; k++) z[k]! += x.val[i]! * this.w[x.idx[i]! * K + k]!;
    // margins are not probabilities; a softmax over them only orders the labels for the report
    const max = Math.max(...z);
    const e = z.map((v) => Math.exp(v - max));
    const sum = e.reduce((a, v) => a + v, 0);
    const best = z.indexOf(max);
    return { label: this.labels[best]!, confidence: e[best]! / sum, scores: Object.fromEntries(this.labels.map((l, k) => [l, e[k]! / sum])) };
  }
}
