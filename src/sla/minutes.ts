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

  /**
   * The stored form: k float64 values (sorted) then their k uint32 counts, little-endian. One binary field
   * instead of two BSON arrays: a 90-day report reads a thousand of them, and arrays cost per element to decode.
   */
  toPacked(): Buffer {
    const { v, n } = this.toHistogram();
    const b = Buffer.alloc(v.length * 12);
    v.forEach((x, i) => {
      b.writeDoubleLE(x, i * 8);
      b.writeUInt32LE(n[i] ?? 0, v.length * 8 + i * 4);
    });
    return b;
  }

  addPacked(packed: PackedBytes | null | undefined): this {
    if (!packed) return this;
    const bytes = packed instanceof Uint8Array ? packed : packed.buffer;
    const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const k = Math.floor(b.length / 12);
    for (let i = 0; i < k; i++) this.add(b.readDoubleLE(i * 8), b.readUInt32LE(k * 8 + i * 4));
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
