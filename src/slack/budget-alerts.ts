import type { BudgetWarning } from '../ingest/spend';
import { t } from '../i18n';
import { escapeMrkdwn } from './escape';
import type { SlackNotifier } from './notify';

/** The spend meter's budget warning (our own words and the configured account id), posted to the managers' channel in DEFAULT_LOCALE. */
export function slackBudgetWarning(notifier: SlackNotifier, managerChannel: string): (warning: BudgetWarning) => Promise<void> {
  const locale = notifier.locale;
  const usd = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: false });
  return (warning) =>
    notifier.postToChannel(managerChannel, t(locale, 'slack.budget.warn', {
      account: escapeMrkdwn(warning.account),
      spent: usd.format(warning.spentUsd),
      budget: usd.format(warning.budgetUsd),
      month: warning.month,
      share: Math.round((warning.spentUsd / warning.budgetUsd) * 100),
    }));
}
