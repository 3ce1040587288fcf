import type { DeliveryReporter } from '../outbound/deliver';
import { escapeMrkdwn } from './escape';
import type { SlackNotifier } from './notify';

/** Tells the agent's thread how the reply went: a reaction on their message and a line with the link or reason. */
export function slackDeliveryReporter(notifier: SlackNotifier): DeliveryReporter {
  return {
    async sent(reply, url, kind) {
      const { channel, ts } = reply.slack ?? {};
      if (!channel || !ts) return;
      await notifier.react(channel, ts, 'white_check_mark');
      const where = kind === 'dm' ? 'Sent as a direct message' : 'Posted as a reply';
      await notifier.sayInThread(reply.conversationId, url ? `${where}: ${url}` : `${where}.`);
    },
    async failed(reply, reason) {
      const { channel, ts } = reply.slack ?? {};
      if (!channel || !ts) return;
      await notifier.react(channel, ts, 'x');
      await notifier.sayInThread(reply.conversationId, `Not sent to the customer: ${escapeMrkdwn(reason)}`);
    },
  };
}
