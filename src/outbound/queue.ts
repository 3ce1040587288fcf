import type { Types } from 'mongoose';
import type { MessageKind } from '../domain/message';
import { insertOnce } from '../store/connection';
import { messageIdFor } from '../store/ids';
import { MessageModel } from '../store/models/message';

export interface AgentMessage {
  conversation: { _id: Types.ObjectId; channel: string; account: string; kind: MessageKind };
  text: string;
  /** the agent's Slack message: its id makes a redelivered Slack event a duplicate */
  slack: { channel: string; ts: string; userId: string };
  authorName: string;
}

/**
 * Stores an agent's thread message as a queued reply, or as an internal note when it starts with
 * the note prefix. Returns null when this Slack message was stored before (a retried event).
 */
export async function recordAgentMessage(m: AgentMessage, notePrefix: string): Promise<{ id: Types.ObjectId; note: boolean } | null> {
  const note = m.text.trimStart().toLowerCase().startsWith(notePrefix.toLowerCase());
  const externalId = `slack:${m.slack.channel}:${m.slack.ts}`;
  const id = messageIdFor({ channel: m.conversation.channel, account: m.conversation.account, externalId });
  const stored = await insertOnce(() =>
    MessageModel.create({
      _id: id,
      channel: m.conversation.channel,
      account: m.conversation.account,
      externalId,
      conversationId: m.conversation._id,
      direction: note ? 'note' : 'outbound',
      kind: m.conversation.kind,
      author: { id: m.slack.userId, name: m.authorName },
      text: note ? m.text.trimStart().slice(notePrefix.length).trim() || m.text : m.text.trim(),
      sentAt: new Date(),
      slack: m.slack,
      delivery: note ? undefined : { state: 'queued', attempts: 0 },
    }),
  );
  if (!stored) return null; // a retried Slack event
  return { id, note };
}
