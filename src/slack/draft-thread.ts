import type { webApi } from '@slack/bolt';
import { checkDraft, createDraft, noteDraftAction, type StoredDraft } from '../actions/drafts';
import type { ReplyPolicy } from '../domain/department';
import { t } from '../i18n';
import { slackAccess } from '../people/access';
import { DraftModel } from '../store/models/draft';
import { REFUSALS } from './draft-access';
import { approvalBlocks, previewBlocks } from './draft-blocks';
import type { AgentThreadMessage } from './thread-message';
import type { AgentNames } from './users';

export interface ThreadDraftDeps {
  client: webApi.WebClient;
  agents: AgentNames;
  /** the department's reply policy (its own, else REPLY_POLICY) */
  policyOf(department: string): ReplyPolicy;
}

export type Held = 'draft' | 'refused' | 'duplicate';

interface Conversation {
  _id: StoredDraft['conversationId'];
  department: string;
  channel: string;
}

/**
 * Before a thread message is stored: a Slack user the people list does not allow is refused (ephemeral, recorded),
 * and a reply in a `confirm` or `approval` department becomes a draft instead of a queued reply. Undefined: go on as usual.
 */
export async function holdThreadMessage(m: AgentThreadMessage, c: Conversation, name: string, note: boolean, deps: ThreadDraftDeps): Promise<Held | undefined> {
  const access = await slackAccess(m.user, 'agent', c.department);
  const locale = await deps.agents.localeOf(m.user);
  if (!access.ok) {
    const text = `${t(locale, 'slack.access.replyNotStored')} ${t(locale, REFUSALS[access.why])}`;
    await deps.client.chat.postEphemeral({ channel: m.channel, user: m.user, thread_ts: m.threadTs, text });
    await noteDraftAction(c._id, 'refused', { id: `slack:${m.user}`, name }, { action: note ? 'note' : 'reply', why: access.why, slack: `${m.channel}:${m.ts}` });
    return 'refused';
  }
  const policy = deps.policyOf(c.department);
  if (note || policy === 'direct') return undefined;
  const { draft, created } = await createDraft({
    conversation: c, policy, text: m.text, key: `slack:${m.channel}:${m.ts}`,
    actor: { id: `slack:${m.user}`, name, userId: m.user },
    slack: { channel: m.channel, ts: m.ts, threadTs: m.threadTs, userId: m.user },
  });
  if (!created) return 'duplicate';
  const id = String(draft._id);
  const check = await checkDraft(c._id, draft.text);
  if (policy === 'confirm') {
    await deps.client.chat.postEphemeral({ channel: m.channel, user: m.user, thread_ts: m.threadTs, ...previewBlocks(id, draft.text, check, c.channel, locale) });
    return 'draft';
  }
  // the thread line is for everyone in the channel: the default language, like the card
  const line = await deps.client.chat.postMessage({ channel: m.channel, thread_ts: m.threadTs, ...approvalBlocks(id, name, draft.text, check, c.channel, locale) });
  if (line.ts) await DraftModel.updateOne({ _id: draft._id }, { $set: { 'slack.lineTs': line.ts } });
  await deps.client.chat.postEphemeral({ channel: m.channel, user: m.user, thread_ts: m.threadTs, text: t(locale, 'slack.draft.awaitingAuthor') });
  return 'draft';
}
