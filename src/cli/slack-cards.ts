import { webApi } from '@slack/bolt';
import type { ActionEffects } from '../actions/types';
import type { Config } from '../config';
import { checkStartup } from '../config/startup';
import { DepartmentDirectory } from '../slack/directory';
import { SlackNotifier } from '../slack/notify';

/**
 * With SLACK_BOT_TOKEN set, a command redraws the cards it changed itself, as the API's action does. A card
 * Slack refuses to update is reported on stderr and the command carries on: the store's change stands.
 */
export function cardRedrawer(config: Config): ActionEffects | undefined {
  const slack = config.slack;
  if (!slack) return undefined;
  const directory = new DepartmentDirectory(checkStartup(config), slack.channels, slack.triageChannel);
  const client = new webApi.WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 2 } });
  const notifier = new SlackNotifier(client, directory, config.jobs.lockLifetimeMs, config.locale);
  return {
    changed: async (id) => {
      try {
        await notifier.refreshCard(id);
      } catch (err) {
        process.stderr.write(`the Slack card of conversation ${id} was not redrawn: ${(err as Error).message}\n`);
      }
    },
  };
}
