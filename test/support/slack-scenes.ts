/** Steps of the Slack loop that tests tell stories with: a customer writes on X, an agent answers in the thread. */
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { ingestBatch } from '../../src/ingest/pipeline';
import { ConversationModel } from '../../src/store/models/conversation';
import { eventCallback, messageEvent } from './slack-requests';
import { testFerretdbUri } from '../setup/ferretdb';
import { AGENT, CHANNELS, SIGNING_SECRET, TRIAGE_CHANNEL, type SlackWorld } from './slack-world';

/** The settings a CLI process needs to use the test's database and redraw cards in the world's fake Slack. */
export function cliEnv(w: SlackWorld): Record<string, string> {
  return {
    MONGODB_URI: testFerretdbUri(), DB_NAME: mongoose.connection.name,
    SLACK_BOT_TOKEN: w.slackApi.identity.token, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: w.slackApi.apiUrl,
    SLACK_CHANNELS: Object.entries(CHANNELS).map(([k, v]) => `${k}=${v}`).join(','), SLACK_TRIAGE_CHANNEL: TRIAGE_CHANNEL,
  };
}

/** A customer mentions the account on X; we pull it, route it and run the outbox. */
export async function customerMentions(w: SlackWorld, text: string, username = 'lena_b') {
  const customer = w.x.fake.addUser(username, 'Lena B');
  const tweet = w.x.fake.addMention({ from: customer, text: `@kestrelhome ${text}` });
  const pulled = await w.x.connector.pull(null);
  // the pull reads every mention so far (oldest first): this one's result is the one that matters
  const result = (await ingestBatch(pulled.messages, w.pipeline)).find((r) => r.externalId === tweet.id);
  await w.runJobs();
  const conversation = (await ConversationModel.findById(result?.conversationId).lean())!;
  return { customer, tweet, conversation, card: w.slackApi.messages(conversation.slack?.channel ?? '')[0]! };
}

/** The agent writes in the card's thread; Slack sends us the signed event. */
export async function agentReplies(w: SlackWorld, card: { ts: string }, channel: string, text: string) {
  const reply = w.slackApi.addMessage(channel, { user: AGENT.id, text, thread_ts: card.ts });
  const event = eventCallback({ event: messageEvent({ channel, user: AGENT.id, text, ts: reply.ts, thread_ts: card.ts, parent_user_id: w.slackApi.identity.botUserId }) });
  const res = await w.postSigned(event);
  assert.equal(res.status, 200);
  return { reply, event };
}
