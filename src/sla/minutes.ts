/** Nearest-rank percentiles of the measured business minutes. */
export interface Percentiles {
  p50: number | null;
  p90: number | null;
  count: number;
}

/** Earlier stored form: sorted distinct values and their counts as two arrays (models/sla-rollup.ts). */
export interface Histogram {
  v: number[];
  n: number[];
}

/** Packed bytes as the driver returns them: a Buffer, or a BSON Binary with its bytes in `buffer`. */
export type PackedBytes = Uint8Array | { buffer: Uint8Array };

/** Business minutes counted by value, so days' rollups and raw rows merge into exact nearest-rank percentiles. */
export class MinuteCounts {
  private readonly counts = new Map<number, number>();

  /** The minutes the server pushed (absent or null where a clock has not stopped). */
  addValues(values: readonly unknown[] | undefined): this {
    for (const v of values ?? []) if (typeof v === 'number' && !Number.isNaN(v)) this.add(v, 1);
    return this;
  }

  addHistogram(h: { v?: number[] | null; n?: number[] | null } | null | undefined): this {
    const n = h?.n ?? [];
    (h?.v ?? []).forEach((v, i) => this.add(v, n[i] ?? 0));
    return this;
  }

  /** The stored form (one binary field, see pack/unpack below): a 90-day report reads a thousand of them. */
  toPacked(): Buffer {
    return pack(this.toHistogram());
  }

  addPacked(packed: PackedBytes | null | undefined): this {
    if (packed) unpack(packed, (v, n) => this.add(v, n));
    return this;
  }

  toHistogram(): Histogram {
    const v = [...this.counts.keys()].sort((a, b) => a - b);
    return { v, n: v.map((x) => this.counts.get(x) ?? 0) };
  }

  percentiles(): Percentiles {
    const { v, n } = this.toHistogram();
    const count = n.reduce((a, b) => a + b, 0);
    return { p50: nearestRank(v, n, count, 0.5), p90: nearestRank(v, n, count, 0.9), count };
  }

  private add(value: number, count: number): void {
    if (count > 0) this.counts.set(value, (this.counts.get(value) ?? 0) + count);
  }
}

/** The smallest value with at least p of the values at or below it. */
function nearestRank(values: number[], counts: number[], total: number, p: number): number | null {
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (let i = 0; i < values.length; i++) {
    seen += counts[i] ?? 0;
    if (seen >= rank) return values[i] ?? null;
  }
  return null;
}

// Packed histograms. Format 1: varints of k, the k values in hundredths as deltas (sorted, so never negative), the k
// counts: 2-3 bytes a value where BSON arrays take ~20. Format 2 (a value that is not a non-negative multiple of 0.01):
// k float64 values then k uint32 counts. Both decode to the very same doubles.
const HUNDREDTHS = 1;
const FLOAT64 = 2;

const inHundredths = (v: number) => {
  const c = Math.round(v * 100);
  return Number.isSafeInteger(c) && c >= 0 && c / 100 === v;
};

function pack({ v, n }: Histogram): Buffer {
  if (!v.every(inHundredths)) {
    const b = Buffer.alloc(1 + v.length * 12);
    b[0] = FLOAT64;
    v.forEach((x, i) => {
      b.writeDoubleLE(x, 1 + i * 8);
      b.writeUInt32LE(n[i] ?? 0, 1 + v.length * 8 + i * 4);
    });
    return b;
  }
  const out: number[] = [HUNDREDTHS];
  const varint = (x: number) => {
    for (; x >= 128; x = Math.floor(x / 128)) out.push((x % 128) + 128);
    out.push(x);
  };
  varint(v.length);
  let prev = 0;
  for (const x of v) {
    const c = Math.round(x * 100);
    varint(c - prev);
    prev = c;
  }
  for (const c of n) varint(c);
  return Buffer.from(out);
}

function unpack(packed: PackedBytes, add: (value: number, count: number) => void): void {
  const bytes = packed instanceof Uint8Array ? packed : packed.buffer;
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b[0] === FLOAT64) {
    const k = Math.floor((b.length - 1) / 12);
    for (let i = 0; i < k; i++) add(b.readDoubleLE(1 + i * 8), b.readUInt32LE(1 + k * 8 + i * 4));
    return;
  }
  if (b[0] !== HUNDREDTHS) throw new Error(`unknown packed histogram format ${b[0]}`);
  let at = 1;
  const varint = () => {
    let x = 0;
    for (let scale = 1; ; scale *= 128) {
      const byte = b[at++] ?? 0;
      x += (byte % 128) * scale;
      if (byte < 128) return x;
    }
  };
  const k = varint();
  const values: number[] = [];
  for (let i = 0, c = 0; i < k; i++) values.push((c += varint()) / 100);
  for (const v of values) add(v, varint());
}
