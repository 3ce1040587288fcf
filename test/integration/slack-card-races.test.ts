import assert from 'node:assert/strict';
import request from 'supertest';
import { ingestMessage } from '../../src/ingest/pipeline';
import { ConversationModel } from '../../src/store/models/conversation';
import { bearer, seedDepartments } from '../support/app';
import { inbound } from '../support/factories';
import { CHANNELS, useSlackWorld } from '../support/slack-world';

type Channel = keyof typeof CHANNELS;

/**
 * Agents act on a conversation from different processes (Slack handlers, API requests) while its card is being
 * posted or redrawn: what the card ends showing must be where the conversation is and what was done to it.
 */
describe('cards racing the actions on their conversation', function () {
  this.timeout(60_000);
  const world = useSlackWorld();

  /** A new conversation, an agent's token, and `before(method, act)`: `act` runs once, just before Slack gets the next call of `method`. */
  async function scene() {
    const w = world();
    await seedDepartments();
    const agent = await bearer('agent');
    const opened = await ingestMessage(inbound({ text: 'my thermostat is broken and shows E42' }), w.pipeline);
    const id = String(opened.conversationId);
    const patch = (body: object) => request(w.app).patch(`/api/conversations/${id}`).set('Authorization', agent).send(body).expect(200);
    const before = (method: 'postMessage' | 'update', act: () => Promise<unknown>) => {
      const chat = w.slack.client.chat as unknown as Record<typeof method, (args: unknown) => Promise<unknown>>;
      const original = chat[method].bind(chat);
      let done = false;
      chat[method] = async (args: unknown) => {
        if (!done) {
          done = true;
          await act();
        }
        return original(args);
      };
      return () => done;
    };
    return { w, id, patch, before };
  }

  it('a conversation moved while its card is posted gets its card in the new department; the old card says where it went', async () => {
    const { w, id, patch, before } = await scene();
    const from = (await ConversationModel.findById(id).lean())!.department as Channel;
    const to: Channel = from === 'sales' ? 'hr' : 'sales';
    // another process: the web inbox moves it while this post is on its way
    before('postMessage', () => patch({ department: to, reason: 'race' }));
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

  it('two actions at once: the card ends showing both when the earlier redraw lands last', async () => {
    const { w, id, patch, before } = await scene();
    await w.runJobs();
    const { slack } = (await ConversationModel.findById(id).lean())!;
    assert.ok(slack?.ts, 'the card is posted');
    // the second agent resolves it while the first agent's redraw (feedback, still open) is on its way
    const raced = before('update', () => patch({ status: 'resolved' }));
    await patch({ productFeedback: true });
    assert.ok(raced());

    const shown = JSON.stringify(w.slackApi.message(slack.channel!, slack.ts)?.blocks);
    assert.match(shown, /Resolved/, 'the later action shows');
    assert.match(shown, /Marked as product feedback/, 'and the earlier one');
  });
});
