import assert from 'node:assert/strict';
import { acquireLease, releaseLease } from '../../src/store/repositories/leases';
import { clearCollections, useTestDatabase } from '../support/database';

describe('leases (one worker at a time, FerretDB)', () => {
  useTestDatabase();
  beforeEach(clearCollections);
  const t0 = new Date('2026-11-26T10:00:00Z');
  const later = (ms: number) => new Date(t0.getTime() + ms);

  it('gives a live lease to one owner only, and again after release', async () => {
    assert.equal(await acquireLease('poll:x:a', 'p1', 60_000, t0), true);
    assert.equal(await acquireLease('poll:x:a', 'p2', 60_000, later(1000)), false);
    assert.equal(await acquireLease('poll:x:b', 'p2', 60_000, later(1000)), true, 'another key is free');
    await releaseLease('poll:x:a', 'p1');
    assert.equal(await acquireLease('poll:x:a', 'p2', 60_000, later(2000)), true);
  });

  it('lets exactly one of many pollers take over an expired lease', async () => {
    assert.equal(await acquireLease('poll:x:a', 'dead', 60_000, t0), true);
    const owners = ['p1', 'p2', 'p3', 'p4'];
    const won = await Promise.all(owners.map((o) => acquireLease('poll:x:a', o, 60_000, later(61_000))));
    assert.equal(won.filter(Boolean).length, 1);
  });

  it('lets exactly one of many pollers take a free lease', async () => {
    const won = await Promise.all(['p1', 'p2', 'p3', 'p4'].map((o) => acquireLease('poll:x:c', o, 60_000, t0)));
    assert.equal(won.filter(Boolean).length, 1);
  });
});
