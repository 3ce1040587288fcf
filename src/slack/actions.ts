import type { App, BlockAction, ButtonAction, StaticSelectAction } from '@slack/bolt';
import type { ConversationEvents } from '../domain/events';
import type { Outbox } from '../domain/outbox';
import { ActivityModel } from '../store/models/activity';
import { ConversationModel } from '../store/models/conversation';
import { reassignConversation, setConversationStatus } from '../store/repositories/conversations';
import { ACTIONS } from './blocks';
import type { DepartmentDirectory } from './directory';
import { announceMove } from './moves';
import type { SlackNotifier } from './notify';
import type { AgentNames } from './users';

export interface ActionDeps {
  notifier: SlackNotifier;
  directory: DepartmentDirectory;
  outbox: Outbox;
  agents: AgentNames;
  events?: ConversationEvents;
}

const actor = (userId: string) => `slack:${userId}`;
// a button's value is the conversation id we put there; anything else did not come from our card
const conversationIdOf = (value: string | undefined): string | undefined => (value && /^[0-9a-f]{24}$/.test(value) ? value : undefined);

/** The card's buttons: assign to me, reassign (or route from triage), resolve, mark as product feedback. */
export function registerActions(app: App, deps: ActionDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTIONS.assign, async ({ ack, action, body }) => {
    await ack();
    const id = conversationIdOf(action.value);
    if (!id) return;
    const name = await deps.agents.nameOf(body.user.id);
    const { matchedCount } = await ConversationModel.updateOne({ _id: id }, { $set: { assignee: { slackUserId: body.user.id, name } } });
    if (!matchedCount) return;
    await ActivityModel.create({ conversationId: id, type: 'assigned', actor: actor(body.user.id), details: { name } });
    await deps.notifier.refreshCard(id, undefined, await deps.agents.localeOf(body.user.id));
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.resolve, async ({ ack, action, body }) => {
    await ack();
    const id = conversationIdOf(action.value);
    const at = new Date();
    if (!id || !(await setConversationStatus(id, 'resolved', at))) return;
    await deps.events?.statusChanged(id, 'resolved', at);
    await ActivityModel.create({ conversationId: id, type: 'resolved', actor: actor(body.user.id) });
    await deps.notifier.refreshCard(id, undefined, await deps.agents.localeOf(body.user.id));
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.feedback, async ({ ack, action, body }) => {
    await ack();
    const id = conversationIdOf(action.value);
    if (!id) return;
    const { matchedCount } = await ConversationModel.updateOne({ _id: id }, { $set: { productFeedback: true } });
    if (!matchedCount) return;
    await ActivityModel.create({ conversationId: id, type: 'feedback', actor: actor(body.user.id) });
    await deps.notifier.refreshCard(id, undefined, await deps.agents.localeOf(body.user.id));
  });

  app.action<BlockAction<StaticSelectAction>>(ACTIONS.reassign, async ({ ack, action, body }) => {
    await ack();
    const [value, to] = (action.selected_option?.value ?? '').split('|');
    const id = conversationIdOf(value);
    if (!id || !to || !deps.directory.get(to)) return;
    const moved = await reassignConversation(id, to, actor(body.user.id), 'reassigned in Slack');
    if (!moved?.changed) return;
    await ActivityModel.create({ conversationId: id, type: 'reassigned', actor: actor(body.user.id), details: { to } });
    await deps.events?.reassigned(id, to, new Date());
    await announceMove(deps, id, to, await deps.agents.nameOf(body.user.id), await deps.agents.localeOf(body.user.id));
  });
}
