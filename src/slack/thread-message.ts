import { crashPoint } from '../domain/crash';
import { recordAgentMessage } from '../outbound/queue';
import { ActivityModel } from '../store/models/activity';
import { ConversationModel } from '../store/models/conversation';
import { SlackThreadModel, slackThreadKey } from '../store/models/slack-thread';
import type { EventDeps } from './events';

/** An agent's message in a Slack thread, as the events API gave it. */
export interface AgentThreadMessage {
  channel: string;
  threadTs: string;
  ts: string;
  user: string;
  text: string;
}

export type Accepted = 'queued' | 'note' | 'duplicate' | 'unknown_thread';

/** Stores the message against its card's conversation and queues the reply; 'unknown_thread' when no card of ours owns it (yet). */
export async function acceptAgentMessage(m: AgentThreadMessage, deps: Pick<EventDeps, 'outbox' | 'agents' | 'notePrefix'>): Promise<Accepted> {
  const thread = await SlackThreadModel.findById(slackThreadKey(m.channel, m.threadTs)).lean();
  const conversation = thread && (await ConversationModel.findById(thread.conversationId).lean());
  if (!conversation) return 'unknown_thread';
  const authorName = await deps.agents.nameOf(m.user);
  const stored = await recordAgentMessage({ conversation, text: m.text, slack: { channel: m.channel, ts: m.ts, userId: m.user }, authorName }, deps.notePrefix);
  if (!stored) return 'duplicate'; // Slack delivered this event before (x-slack-retry-num)
  crashPoint('after-reply-stored');
  await ActivityModel.create({ conversationId: conversation._id, type: stored.note ? 'note' : 'replied', actor: `slack:${m.user}` });
  if (stored.note) return 'note';
  await deps.outbox.replyQueued(String(stored.id));
  return 'queued';
}
