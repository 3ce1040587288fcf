import type { Types } from 'mongoose';
import { crashPoint } from '../domain/crash';
import type { MessageKind } from '../domain/message';
import { recordAgentMessage } from '../outbound/queue';
import { recordAction } from '../audit/record';
import type { ActionDeps, Actor } from './types';

export interface WrittenMessage {
  conversation: { _id: Types.ObjectId; channel: string; account: string; kind: MessageKind };
  text: string;
  /** unique per message the agent wrote (`slack:C0:ts`, `api:…`): written again, it is the same message */
  key: string;
  actor: Actor & { userId: string };
  /** an internal note: stored and shown to agents, never sent */
  note: boolean;
  /** where the agent wrote it in Slack: the thread hears how its delivery went */
  slack?: { channel: string; ts: string; userId: string };
  /** written outside Slack: the card's thread gets a line with it, so Slack readers see the whole dialogue */
  origin?: 'inbox' | 'api';
}

/**
 * An agent's reply (queued for delivery through the conversation's channel) or internal note, exactly once per key:
 * `created` false means the key was used before and nothing was stored or queued.
 */
export async function writeToConversation(m: WrittenMessage, deps: Pick<ActionDeps, 'outbox'>): Promise<{ id: Types.ObjectId; created: boolean }> {
  const stored = await recordAgentMessage({
    conversation: m.conversation,
    text: m.text,
    externalId: m.key,
    author: { id: m.actor.userId, name: m.actor.name },
    note: m.note,
    slack: m.slack,
    origin: m.origin,
  });
  if (!stored.created) return stored;
  crashPoint('after-reply-stored');
  await recordAction({ conversationId: m.conversation._id, type: m.note ? 'note' : 'replied', actor: m.actor, after: { messageId: String(stored.id) } });
  if (!m.note) await deps.outbox.replyQueued(String(stored.id));
  if (m.origin) await deps.outbox.agentMessageWritten(String(stored.id));
  return stored;
}
