import type { Classification, DepartmentClassifier } from '../src/domain/classification';
import type { FeatureSpace, SparseVector } from './features';
import { topTerms } from './explain';
import { makeSpace, vectorize } from './features';
import { detectLanguage } from './language';
import { analyze } from './text';
import type { TriagePoint } from './triage';

/** What a model knows about how it was made; kept in the serialized form. */
export interface ModelMeta {
  trainedAt: string;
  examples: number;
  perLabel: Record<string, number>;
  options?: Record<string, unknown>;
  /** the held-out slice that fitted the temperature, and the triage threshold it suggests */
  calibration?: { examples: number; temperature: number; langTemperature?: Record<string, number>; triage: TriagePoint };
}

/** Everything a trained model consists of; no training text is kept. */
export interface ModelParts {
  labels: string[];
  space: FeatureSpace;
  /** feature-major weight matrix, quantized: weight = weights[f * labels.length + k] * weightScale */
  weights: Int16Array;
  weightScale: number;
  bias: Float32Array;
  /** softmax temperature fitted on held-out examples */
  temperature: number;
  /** per-language temperatures where the held-out slice had enough examples of a language */
  langTemperature?: Record<string, number>;
  meta: ModelMeta;
}

const FORMAT = 'switchboard-classifier/1';
const TERMS = 3;

const b64 = (a: Float32Array | Int16Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
function unb64<T extends Float32Array | Int16Array>(s: string, Kind: { new (n: number): T; BYTES_PER_ELEMENT: number }): T {
  const buf = Buffer.from(s, 'base64');
  const out = new Kind(buf.byteLength / Kind.BYTES_PER_ELEMENT);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

/** 16-bit weights with one scale: half the size of float32, and restored bit for bit from the saved model. */
export function quantize(w: ArrayLike<number>): { weights: Int16Array; weightScale: number } {
  let max = 0;
  for (let i = 0; i < w.length; i++) max = Math.max(max, Math.abs(w[i]!));
  const weightScale = max > 0 ? max / 32767 : 1;
  return { weights: Int16Array.from(w, (x) => Math.round(x / weightScale)), weightScale };
}

export class TrainedClassifier implements DepartmentClassifier {
  readonly labels: string[];
  /** reused by classify, which is synchronous and never hands the vector out */
  private readonly scratch: SparseVector = { idx: [], val: [], at: [] };
  constructor(readonly parts: ModelParts) {
    this.labels = parts.labels;
  }

  get meta(): ModelMeta {
    return this.parts.meta;
  }

  classify(text: string): Classification {
    const lang = detectLanguage(text);
    const v = vectorize(analyze(text, lang), lang, this.parts.space, true, this.scratch);
    const probs = this.probabilities(v, this.parts.langTemperature?.[lang] ?? this.parts.temperature);
    let best = 0;
    for (let k = 1; k < probs.length; k++) if (probs[k]! > probs[best]!) best = k;
    const scores: Record<string, number> = {};
    for (let k = 0; k < probs.length; k++) scores[this.labels[k]!] = probs[k]!;
    return { label: this.labels[best]!, confidence: probs[best]!, scores, lang, terms: topTerms(v, this.parts.weights, this.labels.length, best, TERMS) };
  }

  /** Calibrated class probabilities for a vector, in `labels` order. */
  probabilities(v: SparseVector, temperature = this.parts.temperature): Float64Array {
    const { weights, weightScale, bias } = this.parts;
    const K = this.labels.length;
    const z = new Float64Array(K);
    for (let i = 0; i < v.idx.length; i++) {
      const base = v.idx[i]! * K;
      const x = v.val[i]!;
      for (let k = 0; k < K; k++) z[k]! += x * weights[base + k]!;
    }
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, (z[k] = (z[k]! * weightScale + bias[k]!) / temperature));
    let sum = 0;
    for (let k = 0; k < K; k++) sum += z[k] = Math.exp(z[k]! - max);
    for (let k = 0; k < K; k++) z[k]! /= sum;
    return z;
  }

  /** Compact JSON: labels, vocabulary, idf and weights (base64 float32), never the training texts. */
  serialize(): string {
    const { labels, space, weights, weightScale, bias, temperature, langTemperature, meta } = this.parts;
    const vocab = [...space.vocab.keys()];
    return JSON.stringify({
      format: FORMAT, labels, temperature, ...(langTemperature ? { langTemperature } : {}), meta, vocab, weightScale,
      charBuckets: space.charBuckets, charNgrams: space.charNgrams, charWeight: space.charWeight,
      ...(space.langChars ? { langChars: true } : {}),
      idf: b64(space.idf), weights: b64(weights), bias: b64(bias),
    });
  }

  static deserialize(s: string): TrainedClassifier {
    const o = JSON.parse(s) as Record<string, unknown>;
    if (o.format !== FORMAT) throw new Error(`not a ${FORMAT} model (format: ${String(o.format)})`);
    const labels = o.labels as string[];
    const space = makeSpace(o.vocab as string[], {
      charBuckets: o.charBuckets as number,
      charNgrams: o.charNgrams as [number, number],
      charWeight: o.charWeight as number,
      langChars: o.langChars === true,
      idf: unb64(o.idf as string, Float32Array),
    });
    const weights = unb64(o.weights as string, Int16Array);
    const features = space.vocab.size + space.charBuckets;
    if (space.idf.length !== features || weights.length !== features * labels.length) {
      throw new Error(`damaged model: ${weights.length} weights for ${features} features x ${labels.length} labels`);
    }
    return new TrainedClassifier({
      labels, space, weights, weightScale: o.weightScale as number, bias: unb64(o.bias as string, Float32Array),
      temperature: o.temperature as number, meta: o.meta as ModelMeta,
      ...(o.langTemperature ? { langTemperature: o.langTemperature as Record<string, number> } : {}),
    });
  }
}
