import { webApi } from '@slack/bolt';
import type { ActionEffects } from '../actions/types';
import { cliActor } from '../audit/admin';
import type { Config } from '../config';
import { checkStartup } from '../config/startup';
import { eraseCustomer, type CustomerRef } from '../privacy/erase';
import { DepartmentDirectory } from '../slack/directory';
import { SlackNotifier } from '../slack/notify';
import { withDatabase } from './database';

/** With SLACK_BOT_TOKEN set, the CLI redraws each erased conversation's card itself, as the API's erase does. */
function cardRedrawer(config: Config): ActionEffects | undefined {
  const slack = config.slack;
  if (!slack) return undefined;
  const directory = new DepartmentDirectory(checkStartup(config), slack.channels, slack.triageChannel);
  const client = new webApi.WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 2 } });
  const notifier = new SlackNotifier(client, directory, config.jobs.lockLifetimeMs, config.locale);
  return { changed: (id) => notifier.refreshCard(id) };
}

/** Erases a customer's text and profile (src/privacy/erase.ts) and prints the counts as JSON. */
export async function eraseFromCli(customer: CustomerRef): Promise<void> {
  const counts = await withDatabase((config) => eraseCustomer(customer, cliActor(), { locale: config.locale, effects: cardRedrawer(config) }));
  process.stdout.write(`${JSON.stringify(counts)}\n`);
  process.stderr.write(`erased ${counts.messages} message(s) in ${counts.conversations} conversation(s) of ${customer.channel} ${customer.authorId ?? customer.handle ?? ''}; the audit trail records it without content\n`);
}
