import type { BudgetWarning } from '../ingest/spend';
import { escapeMrkdwn } from './escape';
import type { SlackNotifier } from './notify';

/** The spend meter's budget warning (our own words and the configured account id), posted to the managers' channel. */
export function slackBudgetWarning(notifier: SlackNotifier, managerChannel: string): (warning: BudgetWarning) => Promise<void> {
  return (warning) => notifier.postToChannel(managerChannel, `:money_with_wings: ${escapeMrkdwn(warning.text)}`);
}
