import type { App } from '@slack/bolt';
import type { Outbox } from '../domain/outbox';
import type { Logger } from '../runtime/logger';
import { keepPendingReply, resolvePendingReplies } from './pending';
import { acceptAgentMessage } from './thread-message';
import { wellFormedMessage } from './payloads';
import type { ThreadDraftDeps } from './draft-thread';
import type { AgentNames } from './users';

export interface EventDeps {
  outbox: Outbox;
  agents: AgentNames;
  notePrefix: string;
  logger: Logger;
  /** people checks and reply policies (absent: every reply goes out as written) */
  drafts?: ThreadDraftDeps;
}

interface ThreadMessage {
  channel: string;
  user?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  parent_user_id?: string;
  bot_id?: string;
  subtype?: string;
}

/** An agent's reply in a conversation's thread becomes a queued reply (or an internal note). */
export function registerEvents(app: App, deps: EventDeps): void {
  app.event('message', async ({ event, context }) => {
    if (!wellFormedMessage(event)) return; // e.g. no ts: it could not be keyed, so it is not stored
    const m = event as unknown as ThreadMessage;
    // only people's new replies inside a thread: not bots (our own posts), edits or joins
    if (!m.thread_ts || m.thread_ts === m.ts || m.bot_id || m.subtype || !m.user || !m.text?.trim()) return;
    const message = { channel: m.channel, threadTs: m.thread_ts, ts: m.ts, user: m.user, text: m.text };
    if ((await acceptAgentMessage(message, deps)) !== 'unknown_thread') return;
    // a thread under someone else's message is not ours to answer; under ours (or unnamed) its card may be on its way
    if (m.parent_user_id !== undefined && m.parent_user_id !== context.botUserId) return;
    // Slack got its 200 and will not send this again: keep it until the card's thread is known
    await keepPendingReply(message);
    // the card's thread may have been recorded while we were storing this
    await resolvePendingReplies({ channel: m.channel, threadTs: m.thread_ts }, deps);
  });
}
