import assert from 'node:assert/strict';
import { Binary } from 'mongodb';
import { MinuteCounts } from '../../src/sla/minutes';

describe('SLA minutes: packed histograms', () => {
  const values = [12.5, 3, 3, 0, 1440.25, 12.5, 12.5, 7, 0.01];

  it('a packed histogram holds the same values and counts, as a Buffer and as the BSON Binary the driver returns', () => {
    const counts = new MinuteCounts().addValues(values);
    const packed = counts.toPacked();
    assert.deepEqual(new MinuteCounts().addPacked(packed).toHistogram(), counts.toHistogram());
    assert.deepEqual(new MinuteCounts().addPacked(new Binary(packed)).percentiles(), { p50: 7, p90: 1440.25, count: 9 });
  });

  it('packed, array and raw parts merge into the percentiles of all values together', () => {
    const merged = new MinuteCounts()
      .addPacked(new MinuteCounts().addValues(values.slice(0, 4)).toPacked())
      .addHistogram(new MinuteCounts().addValues(values.slice(4, 7)).toHistogram())
      .addValues(values.slice(7));
    assert.deepEqual(merged.percentiles(), new MinuteCounts().addValues(values).percentiles());
  });

  it('values that are not whole hundredths (or negative, or huge) come back as the very same numbers', () => {
    for (const odd of [[1 / 3, 2, 2], [-4.5, 0, 3], [0.07, 0.1 + 0.2], [1e12, 2 ** 40 + 0.25]]) {
      const counts = new MinuteCounts().addValues(odd);
      assert.deepEqual(new MinuteCounts().addPacked(counts.toPacked()).toHistogram(), counts.toHistogram(), String(odd));
    }
  });

  it('hundredths take a few bytes each, not a float and a count', () => {
    const many = Array.from({ length: 1000 }, (_, i) => (i * 7) % 2000);
    assert.ok(new MinuteCounts().addValues(many).toPacked().length < 4000);
  });

  it('an empty or missing histogram adds nothing', () => {
    assert.deepEqual(new MinuteCounts().addPacked(new MinuteCounts().toPacked()).addPacked(undefined).percentiles(), { p50: null, p90: null, count: 0 });
  });
});
