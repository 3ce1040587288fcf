import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Outbox } from '../domain/outbox';
import { queueOtherWay, type OtherWay } from '../outbound/queue';
import { recordAction } from '../audit/record';
import { MessageModel } from '../store/models/message';
import { CHOICE_ACTIONS, replyChosenBlocks } from './reply-choice';
import type { AgentNames } from './users';

export interface ReplyChoiceDeps {
  outbox: Outbox;
  agents: AgentNames;
}

/** "Answer by DM" / "Post as a new post mentioning @handle" under a reply X would not take: acts once per reply. */
export function registerReplyChoices(app: App, deps: ReplyChoiceDeps): void {
  const choose = (via: OtherWay) =>
    async ({ ack, action, body, client }: { ack: () => Promise<void>; action: ButtonAction; body: BlockAction; client: App['client'] }) => {
      await ack();
      const queued = await queueOtherWay(action.value ?? '', via);
      if (!queued) return; // chosen before (a second press, or the other button), or nothing to choose
      const name = await deps.agents.nameOf(body.user.id);
      const conversationId = (await MessageModel.findById(queued.id, { conversationId: 1 }).lean())?.conversationId;
      if (conversationId) await recordAction({ conversationId, type: 'replied', actor: `slack:${body.user.id}`, details: { via }, after: { messageId: String(queued.id) } });
      await deps.outbox.replyQueued(String(queued.id));
      const channel = body.container.channel_id as string | undefined;
      const ts = body.container.message_ts as string | undefined;
      if (channel && ts) await client.chat.update({ channel, ts, ...replyChosenBlocks(via, name, await deps.agents.localeOf(body.user.id)) });
    };
  app.action<BlockAction<ButtonAction>>(CHOICE_ACTIONS.dm, choose('dm'));
  app.action<BlockAction<ButtonAction>>(CHOICE_ACTIONS.post, choose('post'));
}
