import type { AckFn, App, BlockAction, ButtonAction, ViewResponseAction, ViewSubmitAction } from '@slack/bolt';
import { discardDraft, noteDraftAction, rejectDraft, sendDraft, type DraftOutcome, type StoredDraft } from '../actions/drafts';
import type { ActionDeps, Actor } from '../actions/types';
import { t, type Locale, type MessageKey } from '../i18n';
import { ConversationModel } from '../store/models/conversation';
import { DraftModel } from '../store/models/draft';
import { decidedBlocks, DRAFT_ACTIONS, DRAFT_FIELDS, DRAFT_VIEWS, draftModal } from './draft-blocks';
import type { AgentNames } from './users';

export interface SlackDraftDeps {
  outbox: ActionDeps['outbox'];
  agents: AgentNames;
  /** DEFAULT_LOCALE: the thread lines everyone reads */
  locale: Locale;
}

const CHANNEL_NAMES: Record<string, string> = { x: 'X', webhook: 'Webhook', replay: 'Demo' };

/** What the presser is told privately about an outcome that changed nothing (or the confirm author's Send/Discard). */
const TOLD: Partial<Record<DraftOutcome['outcome'], MessageKey>> = {
  decided: 'slack.draft.decided', not_found: 'slack.draft.decided', own_draft: 'slack.draft.ownDraft', not_author: 'slack.draft.notAuthor', wrong_policy: 'slack.draft.decided',
};

/** What the thread hears after a decision, from Slack or the API: the approval line redrawn, a rejected author told why. */
export function draftNotices(client: App['client'], deps: Pick<SlackDraftDeps, 'agents' | 'locale'>) {
  const redrawLine = async (draft: StoredDraft) => {
    const { channel, lineTs } = draft.slack ?? {};
    if (!channel || !lineTs || draft.state === 'pending') return;
    const decision = { state: draft.state, author: draft.author.name ?? '', by: draft.decision?.name ?? '', reason: draft.decision?.reason ?? undefined, edited: draft.decision?.edited ?? false };
    await client.chat.update({ channel, ts: lineTs, ...decidedBlocks(decision, draft.text, deps.locale) });
  };
  const tellRejected = async (draft: StoredDraft) => {
    const { channel, userId, threadTs } = draft.slack ?? {};
    if (!channel || !userId || draft.state !== 'rejected') return;
    const text = t(await deps.agents.localeOf(userId), 'slack.draft.rejectedAuthor', { name: draft.decision?.name ?? '', reason: draft.decision?.reason ?? '' });
    await client.chat.postEphemeral({ channel, user: userId, text, ...(threadTs ? { thread_ts: threadTs } : {}) });
  };
  return {
    redrawLine,
    tellRejected,
    /** ActionEffects.draftDecided */
    decided: async (draftId: string) => {
      const draft = (await DraftModel.findById(draftId).lean()) as StoredDraft | null;
      if (!draft) return;
      await redrawLine(draft);
      await tellRejected(draft);
    },
  };
}

/** Send and Discard under a `confirm` preview; Approve, Edit and approve, Reject (with modals) on an `approval` line. */
export function registerDrafts(app: App, deps: SlackDraftDeps): void {
  const client = app.client;
  const actorOf = async (userId: string): Promise<Actor> => ({ id: `slack:${userId}`, name: await deps.agents.nameOf(userId) });

  /** The ephemeral answer in the draft's thread, in the presser's language. */
  const tell = async (draft: StoredDraft | undefined, user: string, text: string) => {
    const channel = draft?.slack?.channel;
    if (channel) await client.chat.postEphemeral({ channel, user, text, ...(draft.slack?.threadTs ? { thread_ts: draft.slack.threadTs } : {}) });
  };
  const tellOutcome = async (result: DraftOutcome, user: string, actor: Actor) => {
    const locale = await deps.agents.localeOf(user);
    const draft = 'draft' in result ? result.draft : undefined;
    if (result.outcome === 'own_draft' && draft) await noteDraftAction(draft.conversationId, 'refused', actor, { action: 'approve own draft', draftId: String(draft._id) });
    if (result.outcome === 'too_long' && draft) {
      const c = await ConversationModel.findById(draft.conversationId, { channel: 1 }).lean();
      const vars = { length: result.check.length, limit: result.check.limit, channel: CHANNEL_NAMES[c?.channel ?? ''] ?? c?.channel ?? '' };
      return tell(draft, user, t(locale, 'slack.draft.tooLongToApprove', vars));
    }
    const key = TOLD[result.outcome];
    if (key) await tell(draft, user, t(locale, key));
  };
  const { redrawLine, tellRejected } = draftNotices(app.client, deps);

  app.action<BlockAction<ButtonAction>>(DRAFT_ACTIONS.send, async ({ ack, action, body }) => {
    await ack();
    const actor = await actorOf(body.user.id);
    const result = await sendDraft(action.value ?? '', actor, deps);
    if (result.outcome === 'sent') await tell(result.draft, body.user.id, t(await deps.agents.localeOf(body.user.id), 'slack.draft.sent'));
    else await tellOutcome(result, body.user.id, actor);
  });

  app.action<BlockAction<ButtonAction>>(DRAFT_ACTIONS.discard, async ({ ack, action, body }) => {
    await ack();
    const actor = await actorOf(body.user.id);
    const result = await discardDraft(action.value ?? '', actor);
    if (result.outcome === 'discarded') {
      await tell(result.draft, body.user.id, t(await deps.agents.localeOf(body.user.id), 'slack.draft.discarded'));
      await redrawLine(result.draft);
    } else await tellOutcome(result, body.user.id, actor);
  });

  app.action<BlockAction<ButtonAction>>(DRAFT_ACTIONS.approve, async ({ ack, action, body }) => {
    await ack();
    const actor = await actorOf(body.user.id);
    const result = await sendDraft(action.value ?? '', actor, deps);
    if (result.outcome === 'sent') await redrawLine(result.draft);
    else await tellOutcome(result, body.user.id, actor);
  });

  // the modals open only for someone who may decide: the author is told at once, before typing a reason
  for (const kind of ['reject', 'edit'] as const) {
    app.action<BlockAction<ButtonAction>>(kind === 'reject' ? DRAFT_ACTIONS.reject : DRAFT_ACTIONS.edit, async ({ ack, action, body }) => {
      await ack();
      const actor = await actorOf(body.user.id);
      const draft = (await DraftModel.findById(/^[0-9a-f]{24}$/.test(action.value ?? '') ? action.value : undefined).lean()) as StoredDraft | null;
      if (!draft || draft.state !== 'pending') return tellOutcome({ outcome: 'decided', draft: draft ?? undefined } as DraftOutcome, body.user.id, actor);
      if (draft.author.id === actor.id) return tellOutcome({ outcome: 'own_draft', draft }, body.user.id, actor);
      await client.views.open({ trigger_id: body.trigger_id, view: draftModal(kind, String(draft._id), draft.text, await deps.agents.localeOf(body.user.id)) });
    });
  }

  const submitted = (view: ViewSubmitAction['view'], block: string): string => {
    const field = (view.state.values[block] ?? {}).value;
    return field?.value ?? '';
  };
  const fieldError = async (ack: AckFn<ViewResponseAction>, block: string, user: string, key: MessageKey) =>
    ack({ response_action: 'errors', errors: { [block]: t(await deps.agents.localeOf(user), key) } });

  app.view<ViewSubmitAction>(DRAFT_VIEWS.reject, async ({ ack, body, view }) => {
    const actor = await actorOf(body.user.id);
    const reason = submitted(view, DRAFT_FIELDS.reason).trim();
    const result = await rejectDraft(view.private_metadata, actor, reason);
    if (result.outcome !== 'rejected') {
      const key = TOLD[result.outcome] ?? 'slack.draft.decided';
      if (result.outcome === 'own_draft') await noteDraftAction(result.draft.conversationId, 'refused', actor, { action: 'reject own draft', draftId: view.private_metadata });
      return fieldError(ack, DRAFT_FIELDS.reason, body.user.id, key);
    }
    await ack();
    await redrawLine(result.draft);
    await tellRejected(result.draft);
  });

  app.view<ViewSubmitAction>(DRAFT_VIEWS.edit, async ({ ack, body, view }) => {
    const actor = await actorOf(body.user.id);
    const text = submitted(view, DRAFT_FIELDS.text).trim();
    const result = await sendDraft(view.private_metadata, actor, deps, text);
    if (result.outcome === 'too_long') {
      const c = await ConversationModel.findById(result.draft.conversationId, { channel: 1 }).lean();
      const vars = { length: result.check.length, limit: result.check.limit, channel: CHANNEL_NAMES[c?.channel ?? ''] ?? c?.channel ?? '' };
      return ack({ response_action: 'errors', errors: { [DRAFT_FIELDS.text]: t(await deps.agents.localeOf(body.user.id), 'slack.draft.tooLongToApprove', vars) } });
    }
    if (result.outcome !== 'sent') {
      if (result.outcome === 'own_draft') await noteDraftAction(result.draft.conversationId, 'refused', actor, { action: 'approve own draft', draftId: view.private_metadata });
      return fieldError(ack, DRAFT_FIELDS.text, body.user.id, TOLD[result.outcome] ?? 'slack.draft.decided');
    }
    await ack();
    await redrawLine(result.draft);
  });
}
