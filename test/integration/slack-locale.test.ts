import assert from 'node:assert/strict';
import { ingestBatch } from '../../src/ingest/pipeline';
import { ConversationModel } from '../../src/store/models/conversation';
import { clearCollections, useTestDatabase } from '../support/database';
import { withoutJoiners } from '../support/mrkdwn';
import { blockActionsPayload } from '../support/slack-requests';
import { AGENT, CHANNELS, startSlackWorld, type SlackWorld } from '../support/slack-world';
import type { Locale } from '../../src/i18n';

const DE_AGENT = { id: 'U0AGENTDE', name: 'jonas', displayName: 'Jonas' };

describe('Slack messages in the reader\'s language: the acting user\'s Slack locale, else DEFAULT_LOCALE', () => {
  useTestDatabase();
  let w: SlackWorld;
  let seq = 0;
  const start = async (locale?: Locale) => {
    w = await startSlackWorld({}, {}, locale);
    w.slackApi.addUser({ ...DE_AGENT, locale: 'de-DE' });
  };
  beforeEach(() => clearCollections());
  afterEach(() => w.close());

  async function customerWrites(text = 'my thermostat is broken') {
    const externalId = `m${++seq}`;
    const [result] = await ingestBatch([{ channel: 'webhook', account: 'shop', externalId, threadKey: externalId, kind: 'mention', author: { handle: '@kim' }, text, createdAt: new Date() }], w.pipeline);
    await w.runJobs();
    const conversation = (await ConversationModel.findById(result?.conversationId).lean())!;
    return { id: String(conversation._id), ts: conversation.slack?.ts ?? '' };
  }
  const click = (user: string, card: { id: string; ts: string }, actionId: string) =>
    w.postSigned(blockActionsPayload({ user, channel: CHANNELS.support, messageTs: card.ts, actionId, value: card.id, responseUrl: 'http://127.0.0.1:9/unused' })).expect(200);
  const shown = (ts: string) => withoutJoiners(JSON.stringify(w.slackApi.message(CHANNELS.support, ts)?.blocks ?? []));

  it('posts cards in English by default and redraws one in German for a de-DE user who assigns it', async () => {
    await start();
    const card = await customerWrites();
    assert.match(shown(card.ts), /"Assign to me".*"Resolve".*"Mark as product feedback"/);
    await click(DE_AGENT.id, card, 'sb_assign_me');
    const german = shown(card.ts);
    for (const text of ['Zugewiesen an Jonas', 'Mir zuweisen', 'Als Produkt-Feedback markieren', '90 % sicher', 'erste Antwort fällig']) assert.ok(german.includes(text), `German card shows "${text}": ${german}`);
    assert.doesNotMatch(german, /Assign to me|confident/);
    // asked once with include_locale, then cached
    await click(DE_AGENT.id, card, 'sb_feedback');
    const lookups = w.slackApi.callsTo('users.info').filter((c) => c.body.user === DE_AGENT.id);
    assert.deepEqual(lookups.map((c) => String(c.body.include_locale)), ['true']);
  });

  it('an en-US user gets English back on a German-default install; new cards follow DEFAULT_LOCALE=de', async () => {
    await start('de');
    const card = await customerWrites();
    assert.match(shown(card.ts), /"Mir zuweisen".*"Erledigt"/);
    assert.equal(withoutJoiners(w.slackApi.message(CHANNELS.support, card.ts)?.text ?? ''), 'Neues Gespräch von @kim');
    await click(AGENT.id, card, 'sb_resolve');
    assert.match(shown(card.ts), /Resolved/);
  });
});
