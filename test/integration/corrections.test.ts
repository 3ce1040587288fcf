import assert from 'node:assert/strict';
import { ingestMessage } from '../../src/ingest/pipeline';
import { Router } from '../../src/routing/router';
import { ConversationModel } from '../../src/store/models/conversation';
import { reassignConversation } from '../../src/store/repositories/conversations';
import { clearCollections, useTestDatabase } from '../support/database';
import { inbound } from '../support/factories';
import { KeywordClassifier, testRules } from '../support/keyword-classifier';

describe('corrections apply at once to near-identical messages (FerretDB)', () => {
  useTestDatabase();
  const router = new Router(new KeywordClassifier(testRules), { threshold: 0.5, departments: ['support', 'sales', 'product', 'hr', 'other'] });
  beforeEach(clearCollections);

  const anna = { id: 'u-anna', handle: '@anna' };
  const ben = { id: 'u-ben', handle: '@ben' };

  async function corrected(): Promise<void> {
    const first = await ingestMessage(inbound({ author: anna, text: 'Order 1234: the wall unit arrived broken, can I swap it for the pro model?' }), { router });
    assert.equal(first.department, 'support');
    await reassignConversation(String(first.conversationId), 'sales', 'agent-kim');
  }

  it("routes the same customer's next near-identical message where a person moved the last one, without retraining", async () => {
    await corrected();
    const next = await ingestMessage(inbound({ author: anna, text: 'order 5678 - the wall unit arrived broken, can I swap it for the pro model??' }), { router });
    assert.equal(next.department, 'sales');
    const conversation = await ConversationModel.findById(next.conversationId).lean();
    assert.equal(conversation?.routing.method, 'rule');
    assert.match(conversation?.routing.rule ?? '', /correction by agent-kim/);
    assert.equal(conversation?.routing.label, 'support', "the model's own view is still recorded");
  });

  it('leaves other customers and different requests of the same customer to the model', async () => {
    await corrected();
    const other = await ingestMessage(inbound({ author: ben, text: 'Order 1234: the wall unit arrived broken, can I swap it for the pro model?' }), { router });
    assert.equal(other.department, 'support');
    const different = await ingestMessage(inbound({ author: anna, text: 'My display is broken since Monday' }), { router });
    assert.equal(different.department, 'support');
  });

  it('a correction to triage teaches nothing', async () => {
    const first = await ingestMessage(inbound({ author: anna, text: 'the heater is broken' }), { router });
    await reassignConversation(String(first.conversationId), 'triage', 'agent-kim');
    const next = await ingestMessage(inbound({ author: anna, text: 'the heater is broken!' }), { router });
    assert.equal(next.department, 'support');
  });
});
