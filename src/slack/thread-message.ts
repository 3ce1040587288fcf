import { writeToConversation } from '../actions/messages';
import { ConversationModel } from '../store/models/conversation';
import { SlackThreadModel, slackThreadKey } from '../store/models/slack-thread';
import type { EventDeps } from './events';
import { holdThreadMessage } from './draft-thread';

/** An agent's message in a Slack thread, as the events API gave it. */
export interface AgentThreadMessage {
  channel: string;
  threadTs: string;
  ts: string;
  user: string;
  text: string;
}

export type Accepted = 'queued' | 'note' | 'duplicate' | 'unknown_thread' | 'draft' | 'refused';

/** `note:` (NOTE_PREFIX) at the start keeps a thread message internal; the prefix is not part of the note. */
export function asNote(text: string, notePrefix: string): string | undefined {
  const start = text.trimStart();
  if (!start.toLowerCase().startsWith(notePrefix.toLowerCase())) return undefined;
  return start.slice(notePrefix.length).trim() || text;
}

/** Stores the message against its card's conversation and queues the reply; 'unknown_thread' when no card of ours owns it (yet). */
export async function acceptAgentMessage(m: AgentThreadMessage, deps: Pick<EventDeps, 'outbox' | 'agents' | 'notePrefix' | 'drafts'>): Promise<Accepted> {
  const thread = await SlackThreadModel.findById(slackThreadKey(m.channel, m.threadTs)).lean();
  const conversation = thread && (await ConversationModel.findById(thread.conversationId).lean());
  if (!conversation) return 'unknown_thread';
  const name = await deps.agents.nameOf(m.user);
  const note = asNote(m.text, deps.notePrefix);
  // the people list and the department's reply policy come first: a refused or held message queues nothing
  const held = deps.drafts && (await holdThreadMessage(m, conversation, name, note !== undefined, deps.drafts));
  if (held) return held;
  const stored = await writeToConversation(
    {
      conversation,
      text: note ?? m.text,
      // the Slack message's id: a redelivered event (x-slack-retry-num) is the same message
      key: `slack:${m.channel}:${m.ts}`,
      actor: { id: `slack:${m.user}`, name, userId: m.user },
      note: note !== undefined,
      slack: { channel: m.channel, ts: m.ts, userId: m.user },
    },
    deps,
  );
  if (!stored.created) return 'duplicate';
  return note !== undefined ? 'note' : 'queued';
}
