import type { App } from '@slack/bolt';
import { crashPoint } from '../domain/crash';
import type { Outbox } from '../domain/outbox';
import { recordAgentMessage } from '../outbound/queue';
import { ActivityModel } from '../store/models/activity';
import { ConversationModel } from '../store/models/conversation';
import { SlackThreadModel, slackThreadKey } from '../store/models/slack-thread';
import { wellFormedMessage } from './payloads';
import type { AgentNames } from './users';

export interface EventDeps {
  outbox: Outbox;
  agents: AgentNames;
  notePrefix: string;
}

interface ThreadMessage {
  channel: string;
  user?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  bot_id?: string;
  subtype?: string;
}

/** An agent's reply in a conversation's thread becomes a queued reply (or an internal note). */
export function registerEvents(app: App, deps: EventDeps): void {
  app.event('message', async ({ event }) => {
    if (!wellFormedMessage(event)) return; // e.g. no ts: it could not be keyed, so it is not stored
    const m = event as unknown as ThreadMessage;
    // only people's new replies inside a thread: not bots (our own posts), edits or joins
    if (!m.thread_ts || m.thread_ts === m.ts || m.bot_id || m.subtype || !m.user || !m.text?.trim()) return;
    const thread = await SlackThreadModel.findById(slackThreadKey(m.channel, m.thread_ts)).lean();
    const conversation = thread && (await ConversationModel.findById(thread.conversationId).lean());
    if (!conversation) return;
    const authorName = await deps.agents.nameOf(m.user);
    const stored = await recordAgentMessage(
      { conversation, text: m.text, slack: { channel: m.channel, ts: m.ts, userId: m.user }, authorName },
      deps.notePrefix,
    );
    if (!stored) return; // Slack delivered this event before (x-slack-retry-num)
    crashPoint('after-reply-stored');
    await ActivityModel.create({ conversationId: conversation._id, type: stored.note ? 'note' : 'replied', actor: `slack:${m.user}` });
    if (!stored.note) await deps.outbox.replyQueued(String(stored.id));
  });
}
