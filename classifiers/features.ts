import type { Token } from './text';

/** How a text becomes a sparse vector: named word features, then hashed character n-grams. */
export interface FeatureSpace {
  /** distinct per space in this process, so shared tokens can memoise their id without holding the space */
  uid: number;
  /** unigram and bigram ("a b") stems and language markers -> feature id */
  vocab: Map<string, number>;
  /** bigram feature id by its two unigram ids; derived from vocab */
  bigrams: PairTable;
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

/** Open-addressing map from a pair of non-negative int32 ids to an id, in typed arrays (no boxed keys, no allocation on lookup). */
export class PairTable {
  private readonly keys: Int32Array;
  private readonly values: Int32Array;
  private readonly mask: number;

  constructor(pairs: [number, number, number][]) {
    let size = 16;
    while (size < pairs.length * 2) size *= 2;
    this.mask = size - 1;
    this.keys = new Int32Array(size * 2).fill(-1);
    this.values = new Int32Array(size);
    for (const [a, b, value] of pairs) {
      let slot = this.slot(a, b);
      while (this.keys[slot * 2] !== -1) slot = (slot + 1) & this.mask;
      this.keys[slot * 2] = a;
      this.keys[slot * 2 + 1] = b;
      this.values[slot] = value;
    }
  }

  private slot(a: number, b: number): number {
    return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) >>> 0 & this.mask;
  }

  /** the id stored for (a, b), or -1 */
  get(a: number, b: number): number {
    for (let slot = this.slot(a, b); ; slot = (slot + 1) & this.mask) {
      const ka = this.keys[slot * 2]!;
      if (ka === -1) return -1;
      if (ka === a && this.keys[slot * 2 + 1] === b) return this.values[slot]!;
    }
  }
}

export function makeSpace(keys: string[], rest: Omit<FeatureSpace, 'uid' | 'vocab' | 'bigrams'>): FeatureSpace {
  const vocab = new Map(keys.map((k, i) => [k, i]));
  const pairs: [number, number, number][] = [];
  keys.forEach((k, id) => {
    const [a, b, more] = k.split(' ');
    const ia = a === undefined ? undefined : vocab.get(a);
    const ib = b === undefined ? undefined : vocab.get(b);
    // a bigram is never rarer than its words, so both unigrams are in the vocabulary
    if (ia !== undefined && ib !== undefined && more === undefined) pairs.push([ia, ib, id]);
  });
  return { uid: ++spaces, vocab, bigrams: new PairTable(pairs), ...rest };
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

type CharSettings = Pick<FeatureSpace, 'charBuckets' | 'charNgrams' | 'langChars'>;

/** Bucket ids (FNV-1a hash mod buckets, plus offset) of one word's char n-grams, the word padded with spaces. */
function wordCharHashes(word: string, space: CharSettings, lang: string, out: number[], offset: number): void {
  const [min, max] = space.charNgrams;
  const mask = space.charBuckets - 1;
  const seed = space.langChars ? 0x811c9dc5 ^ (lang === 'de' ? 0x5bd1e995 : lang === 'en' ? 0 : 0x27d4eb2d) : 0x811c9dc5;
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

/** Bucket ids (plus offset) of each word's char n-grams; with `langChars` the hash depends on `lang`. */
export function charHashes(tokens: Token[], space: CharSettings, out: number[], offset = 0, lang = ''): void {
  for (const { word } of tokens) wordCharHashes(word, space, lang, out, offset);
}

const scratch: number[] = [];

/** Char n-gram buckets memoised per word, appended to one typed array per space (a few bytes per word, no object per word). */
interface CharMemo {
  pool: Int32Array;
  used: number;
  /** bumped when the full pool is emptied, so older memos are never read */
  generation: number;
}
const memos = new WeakMap<FeatureSpace, CharMemo>();
/** at most 4M ids (16 MB) per space; then the memo starts over */
const POOL_LIMIT = 1 << 22;

/** Appends `t`'s char n-gram buckets (plus offset) to `out`, from the memo on the token (tokens are shared by every message with that word). */
function pushTokenChars(t: Token, space: FeatureSpace, lang: string, out: number[], offset: number): void {
  let memo = memos.get(space);
  if (!memo) memos.set(space, (memo = { pool: new Int32Array(1 << 16), used: 0, generation: 0 }));
  if (t.charsIn !== space.uid || t.charsGen !== memo.generation || t.charsLang !== lang) {
    scratch.length = 0;
    wordCharHashes(t.word, space, lang, scratch, 0);
    if (memo.used + scratch.length > memo.pool.length) {
      if (memo.pool.length < POOL_LIMIT) {
        const grown = new Int32Array(memo.pool.length * 2);
        grown.set(memo.pool);
        memo.pool = grown;
      } else {
        memo.generation++;
        memo.used = 0;
      }
    }
    memo.pool.set(scratch, memo.used);
    t.charsIn = space.uid;
    t.charsGen = memo.generation;
    t.charsLang = lang;
    t.charsAt = memo.used;
    t.charsLen = scratch.length;
    memo.used += scratch.length;
  }
  const { pool } = memo;
  for (let j = t.charsAt!, end = j + t.charsLen!; j < end; j++) out.push(offset + pool[j]!);
}

/**
 * Which ids a block has seen, for counting repeats: a small open-addressing table of (id, count slot) that stays in
 * the CPU cache, instead of a slot per feature id (85k of them) read at random. Grows with the block; emptied per block.
 */
let seenIds = new Int32Array(1024).fill(-1);
let seenSlots = new Int32Array(1024);

/** the count slot of `id` in this block, or -1 after recording it as slot `next` */
function slotOf(id: number, next: number): number {
  const mask = seenIds.length - 1;
  for (let h = Math.imul(id, 0x9e3779b1) >>> 0 & mask; ; h = (h + 1) & mask) {
    const k = seenIds[h]!;
    if (k === id) return seenSlots[h]!;
    if (k === -1) {
      seenIds[h] = id;
      seenSlots[h] = next;
      return -1;
    }
  }
}

// scratch space reused by every call (vectorize is synchronous)
const raw: number[] = [];
const rawAt: number[] = [];
const counts: number[] = [];

/** Appends one block of ids as sublinear-tf x idf, L2-normalised to `norm`; `at` records where each id came from. */
function addBlock(ids: number[], space: FeatureSpace, norm: number, v: SparseVector, at?: number[]): void {
  const start = v.idx.length;
  counts.length = 0;
  // at most half full, so probes stay short
  if (ids.length * 2 > seenIds.length) {
    let size = seenIds.length;
    while (ids.length * 2 > size) size *= 2;
    seenIds = new Int32Array(size).fill(-1);
    seenSlots = new Int32Array(size);
  }
  for (let r = 0; r < ids.length; r++) {
    const id = ids[r]!;
    const s = slotOf(id, counts.length);
    if (s >= 0) counts[s]!++;
    else {
      counts.push(1);
      v.idx.push(id);
      if (at) v.at!.push(at[r]!);
    }
  }
  let sum = 0;
  const mask = seenIds.length - 1;
  for (let i = 0; i < counts.length; i++) {
    const id = v.idx[start + i]!;
    // empties the table for the next block: clearing an entry of a linear-probing table in place would break later probes, so clear every probed run
    for (let h = Math.imul(id, 0x9e3779b1) >>> 0 & mask; seenIds[h] !== -1; h = (h + 1) & mask) seenIds[h] = -1;
    const c = counts[i]!;
    const x = (c === 1 ? 1 : 1 + Math.log(c)) * space.idf[id]!;
    v.val.push(x);
    sum += x * x;
  }
  const scale = sum > 0 ? norm / Math.sqrt(sum) : 0;
  for (let i = start; i < v.val.length; i++) v.val[i]! *= scale;
}

/** Sublinear-tf, idf-weighted vector, each block (words, chars) L2-normalised; `explain` keeps what surfaceOf needs. */
export function vectorize(tokens: Token[], lang: string, space: FeatureSpace, explain = false, into?: SparseVector): SparseVector {
  let v: SparseVector;
  if (into) {
    // a caller's scratch vector, refilled (classify reuses one: it never hands the vector out)
    v = into;
    v.idx.length = 0;
    v.val.length = 0;
    if (explain) {
      (v.at ??= []).length = 0;
      v.tokens = tokens;
    } else {
      delete v.at;
      delete v.tokens;
    }
  } else v = explain ? { idx: [], val: [], at: [], tokens } : { idx: [], val: [] };
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
      const bi = prev >= 0 ? space.bigrams.get(prev, id) : -1;
      if (bi >= 0) {
        raw.push(bi);
        rawAt.push(-i - 1);
      }
    }
    prev = id;
  }
  addBlock(raw, space, 1, v, explain ? rawAt : undefined);
  if (space.charBuckets > 0) {
    raw.length = 0;
    for (let i = 0; i < tokens.length; i++) pushTokenChars(tokens[i]!, space, lang, raw, V);
    addBlock(raw, space, space.charWeight, v);
  }
  return v;
}
