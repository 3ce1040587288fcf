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

  it('an empty or missing histogram adds nothing', () => {
    assert.deepEqual(new MinuteCounts().addPacked(new MinuteCounts().toPacked()).addPacked(undefined).percentiles(), { p50: null, p90: null, count: 0 });
  });
});
