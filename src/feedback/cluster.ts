/** A sparse TF-IDF vector, L2-normalised: term key → weight. */
export type Vector = Map<string, number>;

/** Sublinear TF times smoothed IDF over the given documents' term keys, each vector of unit length. */
export function tfidf(docs: string[][]): Vector[] {
  const df = new Map<string, number>();
  for (const doc of docs) for (const key of new Set(doc)) df.set(key, (df.get(key) ?? 0) + 1);
  const n = docs.length;
  return docs.map((doc) => {
    const tf = new Map<string, number>();
    for (const key of doc) tf.set(key, (tf.get(key) ?? 0) + 1);
    const v: Vector = new Map();
    let norm = 0;
    for (const [key, count] of tf) {
      const w = (1 + Math.log(count)) * (Math.log((1 + n) / (1 + df.get(key)!)) + 1);
      v.set(key, w);
      norm += w * w;
    }
    for (const [key, w] of v) v.set(key, w / Math.sqrt(norm));
    return v;
  });
}

interface Candidate {
  avg: number;
  a: number;
  b: number;
  /** group sizes when pushed: a merge grows a group, which makes its older candidates stale */
  sa: number;
  sb: number;
}

/** Higher average first; ties go to the lower indexes. */
const before = (p: Candidate, q: Candidate) => p.avg > q.avg || (p.avg === q.avg && (p.a < q.a || (p.a === q.a && p.b < q.b)));

/** A binary max-heap of merge candidates. */
class Heap {
  private readonly items: Candidate[] = [];
  push(c: Candidate): void {
    const h = this.items;
    h.push(c);
    for (let i = h.length - 1, up = (i - 1) >> 1; i > 0 && before(h[i]!, h[up]!); i = up, up = (i - 1) >> 1) [h[i], h[up]] = [h[up]!, h[i]!];
  }
  pop(): Candidate | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (h.length === 0 || !last) return top;
    h[0] = last;
    for (let i = 0; ; ) {
      const [l, r] = [2 * i + 1, 2 * i + 2];
      let m = i;
      if (l < h.length && before(h[l]!, h[m]!)) m = l;
      if (r < h.length && before(h[r]!, h[m]!)) m = r;
      if (m === i) return top;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}

/**
 * Average-link agglomerative clustering: merges the two groups whose documents are most similar on average
 * (cosine) while that average is at least `threshold`. Returns groups of document indexes, each ascending;
 * the result depends only on the order of `vectors`.
 */
export function averageLink(vectors: Vector[], threshold: number): number[][] {
  // group → neighbour group → sum of the cosines between their documents (only groups sharing a term)
  const sums = new Map<number, Map<number, number>>(vectors.map((_, i) => [i, new Map<number, number>()]));
  const add = (a: number, b: number, s: number) => {
    sums.get(a)!.set(b, (sums.get(a)!.get(b) ?? 0) + s);
    sums.get(b)!.set(a, (sums.get(b)!.get(a) ?? 0) + s);
  };
  const postings = new Map<string, Array<[number, number]>>();
  vectors.forEach((v, i) => {
    for (const [key, w] of v) {
      const list = postings.get(key) ?? [];
      for (const [j, wj] of list) add(j, i, w * wj);
      list.push([i, w]);
      postings.set(key, list);
    }
  });

  const members = new Map<number, number[]>(vectors.map((_, i) => [i, [i]]));
  const heap = new Heap();
  const offer = (x: number, y: number) => {
    const [a, b] = x < y ? [x, y] : [y, x];
    const [sa, sb] = [members.get(a)!.length, members.get(b)!.length];
    const avg = sums.get(a)!.get(b)! / (sa * sb);
    if (avg >= threshold) heap.push({ avg, a, b, sa, sb });
  };
  for (const [a, row] of sums) for (const b of row.keys()) if (a < b) offer(a, b);

  for (let c = heap.pop(); c; c = heap.pop()) {
    const [ma, mb] = [members.get(c.a), members.get(c.b)];
    if (!ma || !mb || ma.length !== c.sa || mb.length !== c.sb) continue;
    // b joins a: its similarity sums move onto a
    ma.push(...mb);
    members.delete(c.b);
    for (const [x, s] of sums.get(c.b)!) {
      sums.get(x)!.delete(c.b);
      if (x !== c.a) add(c.a, x, s);
    }
    sums.delete(c.b);
    for (const x of sums.get(c.a)!.keys()) offer(c.a, x);
  }
  return [...members.values()].map((m) => m.sort((p, q) => p - q));
}
