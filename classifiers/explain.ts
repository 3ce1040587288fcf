import type { SparseVector } from './features';

/** The words of the message behind entry `i` of `v`, or undefined for char n-grams. */
export function surfaceOf(v: SparseVector, i: number): string | undefined {
  const t = v.at?.[i];
  if (t === undefined || Number.isNaN(t) || !v.tokens) return undefined;
  return t >= 0 ? v.tokens[t]!.word : `${v.tokens[-t - 2]!.word} ${v.tokens[-t - 1]!.word}`;
}

/** Whether entry `i` of `v` is the language marker or involves a mask or stopword, which explain nothing to a reader. */
function explainsNothing(v: SparseVector, i: number): boolean {
  const t = v.at?.[i];
  if (t === undefined || Number.isNaN(t) || !v.tokens) return true;
  const last = t >= 0 ? t : -t - 1;
  const first = t >= 0 ? t : -t - 2;
  for (let j = first; j <= last; j++) if (v.tokens[j]!.quiet) return true;
  return false;
}

/**
 * Surface words of the `n` word features of `v` that pushed most towards label `k` compared to the
 * average label (`weights` feature-major with K labels; their common scale does not change the order).
 */
export function topTerms(v: SparseVector, weights: ArrayLike<number>, K: number, k: number, n: number): string[] {
  const top: number[] = [];
  const topWeight: number[] = [];
  for (let i = 0; i < (v.at?.length ?? 0); i++) {
    const f = v.idx[i]!;
    let mean = 0;
    for (let j = 0; j < K; j++) mean += weights[f * K + j]!;
    const weight = v.val[i]! * (weights[f * K + k]! - mean / K);
    if (weight <= 0 || (top.length === n && weight <= topWeight[n - 1]!) || explainsNothing(v, i)) continue;
    let at = top.length === n ? n - 1 : top.length;
    while (at > 0 && topWeight[at - 1]! < weight) {
      top[at] = top[at - 1]!;
      topWeight[at] = topWeight[at - 1]!;
      at--;
    }
    top[at] = i;
    topWeight[at] = weight;
  }
  return top.map((i) => surfaceOf(v, i)!);
}
