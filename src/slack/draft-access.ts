import type { AnyMiddlewareArgs, Middleware, webApi } from '@slack/bolt';
import { noteDraftAction } from '../actions/drafts';
import type { MessageKey } from '../i18n';
import { t } from '../i18n';
import { slackAccess, type Access, type Need } from '../people/access';
import { ConversationModel } from '../store/models/conversation';
import { DraftModel } from '../store/models/draft';
import { DRAFT_ACTIONS, DRAFT_VIEWS } from './draft-blocks';
import type { AgentNames } from './users';

export const REFUSALS: Record<Exclude<Access, { ok: true }>['why'], MessageKey> = {
  unknown: 'slack.access.unknown', role: 'slack.access.role', department: 'slack.access.department',
};

const APPROVING = new Set<string>([DRAFT_ACTIONS.approve, DRAFT_ACTIONS.edit, DRAFT_ACTIONS.reject, DRAFT_VIEWS.reject, DRAFT_VIEWS.edit]);
const DRAFTS = new Set<string>([...APPROVING, DRAFT_ACTIONS.send, DRAFT_ACTIONS.discard]);
const hex24 = (v: string | undefined) => /^[0-9a-f]{24}/.exec(v ?? '')?.[0];

interface Interaction {
  type?: string;
  user?: { id?: string };
  actions?: Array<{ action_id?: string; value?: string; selected_option?: { value?: string } }>;
  view?: { callback_id?: string; private_metadata?: string };
  container?: { channel_id?: string };
  message?: { thread_ts?: string; ts?: string };
}

/** Which conversation (and department) a press or submission is about: a draft's, or the card's (the button's value). */
async function subjectOf(name: string, value: string | undefined): Promise<{ conversationId?: string; department?: string }> {
  const id = hex24(value);
  if (!id) return {};
  if (DRAFTS.has(name)) {
    const draft = await DraftModel.findById(id, { conversationId: 1, department: 1 }).lean();
    return draft ? { conversationId: String(draft.conversationId), department: draft.department } : {};
  }
  const conversation = await ConversationModel.findById(id, { department: 1 }).lean();
  return conversation ? { conversationId: id, department: conversation.department } : {};
}

/**
 * Bolt middleware after actOnce: a press of one of our buttons or a submission of one of our modals by a Slack user
 * who is not on the people list, or whose role or departments do not allow it, is acknowledged, refused with an
 * ephemeral message (a modal shows the refusal in its field) and recorded. Nobody is checked while the list is empty.
 */
export function peopleGate(client: webApi.WebClient, agents: AgentNames): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as Interaction;
    const isView = body.type === 'view_submission';
    const name = isView ? body.view?.callback_id : body.actions?.[0]?.action_id;
    const user = body.user?.id;
    if ((body.type !== 'block_actions' && !isView) || !name?.startsWith('sb_') || !user) {
      await args.next();
      return;
    }
    const need: Need = APPROVING.has(name) ? 'approver' : 'agent';
    const action = body.actions?.[0];
    const subject = await subjectOf(name, isView ? body.view?.private_metadata : (action?.value ?? action?.selected_option?.value));
    const access = await slackAccess(user, need, subject.department);
    if (access.ok) {
      await args.next();
      return;
    }
    const locale = await agents.localeOf(user);
    const text = t(locale, REFUSALS[access.why]);
    const { ack } = args as unknown as { ack?: (response?: unknown) => Promise<void> };
    if (isView) {
      await ack?.({ response_action: 'errors', errors: { [name === DRAFT_VIEWS.reject ? 'sb_draft_reason' : 'sb_draft_text']: text } });
    } else {
      await ack?.();
      const channel = body.container?.channel_id;
      const threadTs = body.message?.thread_ts;
      if (channel) await client.chat.postEphemeral({ channel, user, text, ...(threadTs ? { thread_ts: threadTs } : {}) });
    }
    if (subject.conversationId) await noteDraftAction(subject.conversationId, 'refused', { id: `slack:${user}`, name: await agents.nameOf(user) }, { action: name, why: access.why });
    args.logger.warn(`Slack user ${user} refused for ${name}: ${access.why}`);
  };
}
