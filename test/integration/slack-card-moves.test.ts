import assert from 'node:assert/strict';
import request from 'supertest';
import { ingestMessage } from '../../src/ingest/pipeline';
import { ConversationModel } from '../../src/store/models/conversation';
import { bearer, seedDepartments } from '../support/app';
import { inbound } from '../support/factories';
import { CHANNELS, useSlackWorld } from '../support/slack-world';

type Channel = keyof typeof CHANNELS;

/**
 * A move that lands while the conversation's first card is on its way to Slack finds no card to redraw; the poster
 * must notice the department changed under it, or the new department is never told.
 */
describe('a conversation moved while its card is being posted', function () {
  this.timeout(60_000);
  const world = useSlackWorld();

  it('gets its card in the new department, and the card in the old one says where it went', async () => {
    const w = world();
    await seedDepartments();
    const agent = await bearer('agent');
    const opened = await ingestMessage(inbound({ text: 'my thermostat is broken and shows E42' }), w.pipeline);
    const id = String(opened.conversationId);
    const from = (await ConversationModel.findById(id).lean())!.department as Channel;
    const to: Channel = from === 'sales' ? 'hr' : 'sales';
    const chat = w.slack.client.chat;
    const post = chat.postMessage.bind(chat);
    let moved = false;
    (chat as { postMessage: unknown }).postMessage = async (args: Parameters<typeof post>[0]) => {
      if (!moved) {
        moved = true;
        // another process: the web inbox moves it while this post is on its way
        await request(w.app).patch(`/api/conversations/${id}`).set('Authorization', agent).send({ department: to, reason: 'race' }).expect(200);
      }
      return post(args);
    };
    await w.runJobs();

    const after = await ConversationModel.findById(id).lean();
    assert.equal(after?.department, to);
    assert.equal(after?.slack?.channel, CHANNELS[to], 'its card is the new department\'s');
    assert.equal(w.slackApi.messages(CHANNELS[to]).length, 1, 'one card in the new channel');
    const old = w.slackApi.messages(CHANNELS[from]);
    assert.equal(old.length, 1);
    const shown = JSON.stringify(old[0]?.blocks);
    assert.match(shown, /Moved to /, 'the old card says it moved');
    assert.doesNotMatch(shown, /"type":"actions"/, 'and offers no buttons');
  });
});
