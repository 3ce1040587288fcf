import { t } from '../i18n';
import { insertOnce } from '../store/connection';
import { PendingSlackReplyModel, pendingReplyKey } from '../store/models/pending-slack-reply';
import type { EventDeps } from './events';
import type { SlackNotifier } from './notify';
import { acceptAgentMessage, type AgentThreadMessage } from './thread-message';

/** Longer than a card post's retries take (Slack backoff, 10 tries: about 14 minutes). */
export const PENDING_REPLY_WAIT_MS = 15 * 60_000;

/** Keeps a thread message whose card is not known yet; a redelivered event is the same document. */
export async function keepPendingReply(m: AgentThreadMessage): Promise<void> {
  await insertOnce(() => PendingSlackReplyModel.create({ _id: pendingReplyKey(m.channel, m.ts), ...m, receivedAt: new Date() }));
}

type Deps = Pick<EventDeps, 'outbox' | 'agents' | 'notePrefix'>;

/**
 * Hands kept messages whose thread is now known to the normal path (once: the reply's id is its Slack message).
 * `thread` narrows it to one card's thread; returns the messages still waiting.
 */
export async function resolvePendingReplies(thread: { channel: string; threadTs: string } | undefined, deps: Deps) {
  const waiting = await PendingSlackReplyModel.find(thread ?? {}).lean();
  const left: typeof waiting = [];
  for (const p of waiting) {
    const accepted = await acceptAgentMessage({ channel: p.channel, threadTs: p.threadTs, ts: p.ts, user: p.user, text: p.text }, deps);
    if (accepted === 'unknown_thread') left.push(p);
    else await PendingSlackReplyModel.deleteOne({ _id: p._id });
  }
  return left;
}

/** The periodic pass: resolve what can be, and after the wait say in the thread (and the log) what never found its card. */
export async function sweepPendingReplies(deps: Deps & Pick<EventDeps, 'logger'>, notifier: SlackNotifier, now = new Date()): Promise<void> {
  for (const p of await resolvePendingReplies(undefined, deps)) {
    if (p.receivedAt.getTime() > now.getTime() - PENDING_REPLY_WAIT_MS) continue;
    deps.logger.warn({ channel: p.channel, threadTs: p.threadTs, ts: p.ts, user: p.user }, 'agent reply not sent: its thread never became a known conversation card');
    // only under a card of ours: a thread under another post of ours (a digest, an alert) is people talking
    if (await notifier.isCard(p.channel, p.threadTs)) {
      const text = t(await notifier.localeFor(p.user), 'slack.reply.noThread', { user: `<@${p.user}>` });
      await notifier.postInThread(p.channel, p.threadTs, text);
    }
    await PendingSlackReplyModel.deleteOne({ _id: p._id });
  }
}
