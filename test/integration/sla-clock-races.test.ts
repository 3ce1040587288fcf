import assert from 'node:assert/strict';
import { DEFAULT_DEPARTMENTS } from '../../src/domain/department';
import { ingestMessage } from '../../src/ingest/pipeline';
import { SlaClock } from '../../src/sla/clock';
import { ConversationModel } from '../../src/store/models/conversation';
import { clockedPipeline } from '../support/app';
import { useTestDatabase } from '../support/database';
import { inbound } from '../support/factories';

const ROUNDS = 30;
const MINUTE = 60_000;
const policyOf = (key: string) => DEFAULT_DEPARTMENTS.find((d) => d.key === key)?.sla;

/**
 * Two app processes each keep their own SlaClock (its per-conversation queue orders events in one process only):
 * an agent's reply delivered by one and the customer's next message ingested by the other reach one conversation's
 * clocks at once. A clock that stores a state computed from a stale read loses the other's event.
 */
describe('SLA clocks of two processes on one conversation', function () {
  this.timeout(60_000);
  useTestDatabase();

  it(`an agent's reply and a customer message at once: both count, in ${ROUNDS} conversations`, async () => {
    const [a, b] = [new SlaClock(policyOf), new SlaClock(policyOf)];
    const pipeline = clockedPipeline(a);
    const opened = await Promise.all(Array.from({ length: ROUNDS }, (_, i) =>
      ingestMessage(inbound({ threadKey: `race-${i}`, text: 'my thermostat is broken and shows E42' }), pipeline)));
    await Promise.all(opened.map(async ({ conversationId }) => {
      const { firstMessageAt } = (await ConversationModel.findById(conversationId, { firstMessageAt: 1 }).lean())!;
      const replied = new Date(firstMessageAt.getTime() + 5 * MINUTE);
      const wrote = new Date(firstMessageAt.getTime() + 6 * MINUTE);
      await Promise.all([a.agentReplied(conversationId, replied), b.customerMessage(conversationId, wrote)]);
    }));
    const lost = [];
    for (const { conversationId } of opened) {
      const sla = (await ConversationModel.findById(conversationId, { sla: 1 }).lean())?.sla;
      assert.ok(sla, 'the conversation has its clocks');
      if (sla.firstResponseAt === undefined || sla.firstResponseAt === null) lost.push(conversationId);
    }
    assert.deepEqual(lost, [], 'every conversation keeps the reply as its first response');
  });
});
