import assert from 'node:assert/strict';
import request from 'supertest';
import { ingestMessage } from '../../src/ingest/pipeline';
import { ConversationModel } from '../../src/store/models/conversation';
import { bearer, seedDepartments } from '../support/app';
import { inbound } from '../support/factories';
import { useSlackWorld } from '../support/slack-world';

/**
 * Two agents act on one conversation at once (Slack handlers or API requests in different processes): each redraws
 * the card with what it read, and the redraw that read first may land last.
 */
describe('card redraws racing each other', function () {
  this.timeout(60_000);
  const world = useSlackWorld();

  it('the card ends showing both actions when the earlier redraw lands last', async () => {
    const w = world();
    await seedDepartments();
    const agent = await bearer('agent');
    const opened = await ingestMessage(inbound({ text: 'my thermostat is broken and shows E42' }), w.pipeline);
    await w.runJobs();
    const id = String(opened.conversationId);
    const { slack } = (await ConversationModel.findById(id).lean())!;
    assert.ok(slack?.ts, 'the card is posted');

    const chat = w.slack.client.chat;
    const update = chat.update.bind(chat);
    let raced = false;
    (chat as { update: unknown }).update = async (args: Parameters<typeof update>[0]) => {
      if (!raced) {
        raced = true;
        // the second agent resolves it while the first agent's redraw (feedback, still open) is on its way
        await request(w.app).patch(`/api/conversations/${id}`).set('Authorization', agent).send({ status: 'resolved' }).expect(200);
      }
      return update(args);
    };
    await request(w.app).patch(`/api/conversations/${id}`).set('Authorization', agent).send({ productFeedback: true }).expect(200);
    assert.ok(raced);

    const shown = JSON.stringify(w.slackApi.message(slack.channel!, slack.ts)?.blocks);
    assert.match(shown, /Resolved/, 'the later action shows');
    assert.match(shown, /Marked as product feedback/, 'and the earlier one');
  });
});
