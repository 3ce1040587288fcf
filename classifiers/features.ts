import type { Token } from './text';

/** How a text becomes a sparse vector: named word features, then hashed character n-grams. */
export interface FeatureSpace {
  /** distinct per space in this process, so shared tokens can memoise their id without holding the space */
  uid: number;
  /** unigram and bigram ("a b") stems and language markers -> feature id */
  vocab: Map<string, number>;
  /** bigram feature id by (first unigram id * vocab size + second unigram id); derived from vocab */
  bigrams: Map<number, number>;
  /** number of hashed char n-gram buckets after the vocabulary ids, a power of two; 0 turns them off */
  charBuckets: number;
  /** shortest and longest char n-gram */
  charNgrams: [number, number];
  /** L2 norm given to the char block relative to the word block */
  charWeight: number;
  /** inverse document frequency per feature id */
  idf: Float32Array;
  /** hash char n-grams per language, so 'en' and 'de' n-grams never share a bucket */
  langChars?: boolean;
}

export interface SparseVector {
  idx: number[];
  val: number[];
  /** for explanations, per entry of the word block: index of its token; a bigram as -(index of its second token + 1); NaN for the language marker */
  at?: number[];
  tokens?: Token[];
}

export const LANG_MARK = '\u0001lang:';

let spaces = 0;

export function makeSpace(keys: string[], rest: Omit<FeatureSpace, 'uid' | 'vocab' | 'bigrams'>): FeatureSpace {
  const vocab = new Map(keys.map((k, i) => [k, i]));
  const bigrams = new Map<number, number>();
  keys.forEach((k, id) => {
    const [a, b, more] = k.split(' ');
    const ia = a === undefined ? undefined : vocab.get(a);
    const ib = b === undefined ? undefined : vocab.get(b);
    // a bigram is never rarer than its words, so both unigrams are in the vocabulary
    if (ia !== undefined && ib !== undefined && more === undefined) bigrams.set(ia * keys.length + ib, id);
  });
  return { uid: ++spaces, vocab, bigrams, ...rest };
}

/** Word feature keys of a token list (for counting at training time): language marker, unigrams, bigrams. */
export function wordKeys(tokens: Token[], lang: string): string[] {
  const keys = [LANG_MARK + lang];
  for (let i = 0; i < tokens.length; i++) {
    keys.push(tokens[i]!.stem);
    if (i > 0) keys.push(tokens[i - 1]!.stem + ' ' + tokens[i]!.stem);
  }
  return keys;
}

/** Bucket ids (FNV-1a hash mod buckets, plus offset) of each word's char n-grams, the word padded with spaces. */
export function charHashes(tokens: Token[], space: Pick<FeatureSpace, 'charBuckets' | 'charNgrams' | 'langChars'>, out: number[], offset = 0, lang = ''): void {
  const [min, max] = space.charNgrams;
  const mask = space.charBuckets - 1;
  const seed = space.langChars ? 0x811c9dc5 ^ (lang === 'de' ? 0x5bd1e995 : lang === 'en' ? 0 : 0x27d4eb2d) : 0x811c9dc5;
  for (const { word } of tokens) {
    const len = word.length + 2;
    for (let i = 0; i + min <= len; i++) {
      let h = seed;
      for (let j = i; j < i + max && j < len; j++) {
        // positions 0 and len - 1 are the padding spaces
        h = Math.imul(h ^ (j === 0 || j === len - 1 ? 32 : word.charCodeAt(j - 1)), 0x01000193);
        if (j - i + 1 >= min) out.push(offset + (h & mask));
      }
    }
  }
}

// scratch space reused by every call (vectorize is synchronous): slot per feature id, reset after each doc
let slots = new Int32Array(0);
const raw: number[] = [];
const rawAt: number[] = [];
const counts: number[] = [];

/** Appends one block of ids as sublinear-tf x idf, L2-normalised to `norm`; `at` records where each id came from. */
function addBlock(ids: number[], space: FeatureSpace, norm: number, v: SparseVector, at?: number[]): void {
  const start = v.idx.length;
  counts.length = 0;
  for (let r = 0; r < ids.length; r++) {
    const id = ids[r]!;
    if (id >= slots.length) slots = new Int32Array(Math.max(id + 1, slots.length * 2)).fill(-1);
    const s = slots[id]!;
    if (s >= 0) counts[s]!++;
    else {
      slots[id] = counts.length;
      counts.push(1);
      v.idx.push(id);
      if (at) v.at!.push(at[r]!);
    }
  }
  let sum = 0;
  for (let i = 0; i < counts.length; i++) {
    const id = v.idx[start + i]!;
    slots[id] = -1;
    const c = counts[i]!;
    const x = (c === 1 ? 1 : 1 + Math.log(c)) * space.idf[id]!;
    v.val.push(x);
    sum += x * x;
  }
  const scale = sum > 0 ? norm / Math.sqrt(sum) : 0;
  for (let i = start; i < v.val.length; i++) v.val[i]! *= scale;
}

/** Sublinear-tf, idf-weighted vector, each block (words, chars) L2-normalised; `explain` keeps what surfaceOf needs. */
export function vectorize(tokens: Token[], lang: string, space: FeatureSpace, explain = false): SparseVector {
  const v: SparseVector = explain ? { idx: [], val: [], at: [], tokens } : { idx: [], val: [] };
  const V = space.vocab.size;
  raw.length = 0;
  rawAt.length = 0;
  const langId = space.vocab.get(LANG_MARK + lang);
  if (langId !== undefined) {
    raw.push(langId);
    rawAt.push(NaN);
  }
  let prev = -1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.idIn !== space.uid) {
      t.id = space.vocab.get(t.stem) ?? -1;
      t.idIn = space.uid;
    }
    const id = t.id!;
    if (id >= 0) {
      raw.push(id);
      rawAt.push(i);
      const bi = prev >= 0 ? space.bigrams.get(prev * V + id) : undefined;
      if (bi !== undefined) {
        raw.push(bi);
        rawAt.push(-i - 1);
      }
    }
    prev = id;
  }
  addBlock(raw, space, 1, v, explain ? rawAt : undefined);
  if (space.charBuckets > 0) {
    raw.length = 0;
    charHashes(tokens, space, raw, V, lang);
    addBlock(raw, space, space.charWeight, v);
  }
  return v;
}
