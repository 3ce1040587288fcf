import assert from 'node:assert/strict';
import { SlackInteractionModel } from '../../src/store/models/slack-interaction';
import { claimInteraction } from '../../src/store/repositories/slack-interactions';
import { clearCollections, useTestDatabase } from '../support/database';

describe('Slack interaction claims (FerretDB): one act per window, whoever races', () => {
  useTestDatabase();
  beforeEach(() => clearCollections());

  const race = (key: string, n = 6) => Promise.all(Array.from({ length: n }, () => claimInteraction(key, 10_000)));

  it('lets exactly one of six concurrent deliveries act, then none until the stored window has passed', async () => {
    for (let round = 0; round < 5; round++) {
      const key = `act:round-${round}`;
      assert.equal((await race(key)).filter(Boolean).length, 1, 'first window');
      assert.equal((await race(key)).filter(Boolean).length, 0, 'same window');
      // the window is over by the stored time, though the record is still there
      await SlackInteractionModel.updateOne({ _id: key }, { $set: { until: new Date(Date.now() - 1) } });
      assert.equal((await race(key)).filter(Boolean).length, 1, 'next window');
      assert.equal((await race(key)).filter(Boolean).length, 0, 'next window again');
    }
  });

  it('acts again when the record was deleted (as the TTL monitor does), once', async () => {
    assert.equal(await claimInteraction('act:x', 10_000), true);
    await SlackInteractionModel.deleteMany({});
    assert.equal((await race('act:x')).filter(Boolean).length, 1);
  });
});
