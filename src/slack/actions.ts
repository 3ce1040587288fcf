import type { App, BlockAction, ButtonAction, StaticSelectAction } from '@slack/bolt';
import { assignConversation, changeStatus, markFeedback, reassign } from '../actions/conversation';
import { blockSenderOf, setNeedsReply } from '../actions/screening';
import type { ActionDeps, Actor } from '../actions/types';
import { ACTIONS } from './blocks';
import type { DepartmentDirectory } from './directory';
import type { AgentNames } from './users';

export interface SlackActionDeps extends ActionDeps {
  directory: DepartmentDirectory;
  agents: AgentNames;
}

// a button's value is the conversation id we put there; anything else did not come from our card
const conversationIdOf = (value: string | undefined): string | undefined => (value && /^[0-9a-f]{24}$/.test(value) ? value : undefined);

/**
 * The card's buttons: assign to me, reassign (or route from triage, or move to the close second), resolve, mark as
 * product feedback, no reply needed / needs a reply, block the sender (src/actions does the work).
 */
export function registerActions(app: App, deps: SlackActionDeps): void {
  const actorOf = async (userId: string): Promise<Actor> => ({ id: `slack:${userId}`, name: await deps.agents.nameOf(userId) });

  app.action<BlockAction<ButtonAction>>(ACTIONS.assign, async ({ ack, action, body }) => {
    await ack();
    const id = conversationIdOf(action.value);
    if (!id) return;
    const actor = await actorOf(body.user.id);
    await assignConversation(id, { name: actor.name, slackUserId: body.user.id }, actor, deps);
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.resolve, async ({ ack, action, body }) => {
    await ack();
    const id = conversationIdOf(action.value);
    if (id) await changeStatus(id, 'resolved', await actorOf(body.user.id), deps);
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.feedback, async ({ ack, action, body }) => {
    await ack();
    const id = conversationIdOf(action.value);
    if (id) await markFeedback(id, true, await actorOf(body.user.id), deps);
  });

  for (const [action, needed] of [[ACTIONS.noReply, false], [ACTIONS.needsReply, true]] as const) {
    app.action<BlockAction<ButtonAction>>(action, async ({ ack, action: pressed, body }) => {
      await ack();
      const id = conversationIdOf(pressed.value);
      if (id) await setNeedsReply(id, needed, await actorOf(body.user.id), deps);
    });
  }

  app.action<BlockAction<ButtonAction>>(ACTIONS.block, async ({ ack, action, body }) => {
    await ack();
    const id = conversationIdOf(action.value);
    if (id) await blockSenderOf(id, await actorOf(body.user.id), deps);
  });

  // the menu, and the card's "Move to <close second>" button: both carry `conversationId|department`
  const move = async (choice: string | undefined, userId: string) => {
    const [value, to] = (choice ?? '').split('|');
    const id = conversationIdOf(value);
    if (!id || !to || !deps.directory.get(to)) return;
    await reassign(id, to, await actorOf(userId), deps, 'reassigned in Slack');
  };
  app.action<BlockAction<StaticSelectAction>>(ACTIONS.reassign, async ({ ack, action, body }) => {
    await ack();
    await move(action.selected_option?.value, body.user.id);
  });
  app.action<BlockAction<ButtonAction>>(ACTIONS.moveToRunnerUp, async ({ ack, action, body }) => {
    await ack();
    await move(action.value, body.user.id);
  });
}
