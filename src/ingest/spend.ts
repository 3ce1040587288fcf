/** The spend meter of pay-per-use accounts (X): what X bills, against the monthly budget, with one warning on the way. */
import type { Billable, Connector } from '../domain/message';
import type { Logger } from '../runtime/logger';
import type { AccountKey } from '../store/repositories/channel-accounts';
import { claimBudgetWarning, dayOf, forgetBilledBefore, monthOf, recordBillables, usageOfMonth } from '../store/repositories/usage';
import type { MonthUsage, Prices } from '../store/repositories/usage';

export type { Prices } from '../store/repositories/usage';

export interface BudgetWarning extends AccountKey {
  month: string;
  spentUsd: number;
  budgetUsd: number;
  text: string;
}

export interface SpendOptions {
  prices: Prices;
  monthlyBudgetUsd?: number;
  /** share of the budget at which the one warning of the month goes out (default 0.8) */
  warnAt?: number;
  logger: Logger;
  /** besides the log: e.g. the managers' Slack channel */
  onWarning?: (warning: BudgetWarning) => Promise<void>;
}

export interface Spend {
  spentUsd: number;
  budgetUsd?: number;
  overBudget: boolean;
}

export const usd = (n: number): string => n.toFixed(2);

export class SpendMeter {
  private readonly purged = new Map<string, string>();

  constructor(private readonly options: SpendOptions) {}

  get budgetUsd(): number | undefined {
    return this.options.monthlyBudgetUsd;
  }

  /** Counts `items` (each resource once per UTC day), then warns once when the month passes the warning share. */
  async record(key: AccountKey, items: Billable[], now: Date): Promise<Spend> {
    await this.forgetOldDays(key, now);
    const month = await recordBillables(key, items, this.options.prices, now);
    const spend = this.judge(month);
    await this.maybeWarn(key, month, spend);
    return spend;
  }

  async current(key: AccountKey, now: Date): Promise<Spend & { month: MonthUsage }> {
    const month = await usageOfMonth(key, monthOf(now));
    return { ...this.judge(month), month };
  }

  private judge(month: MonthUsage): Spend {
    const budgetUsd = this.options.monthlyBudgetUsd;
    return { spentUsd: month.usd, budgetUsd, overBudget: budgetUsd !== undefined && month.usd >= budgetUsd - 1e-9 };
  }

  private async forgetOldDays(key: AccountKey, now: Date): Promise<void> {
    const day = dayOf(now);
    const id = `${key.channel}:${key.account}`;
    if (this.purged.get(id) === day) return;
    await forgetBilledBefore(key, day);
    this.purged.set(id, day);
  }

  private async maybeWarn(key: AccountKey, month: MonthUsage, spend: Spend): Promise<void> {
    const budget = spend.budgetUsd;
    const share = this.options.warnAt ?? 0.8;
    if (budget === undefined || spend.spentUsd < budget * share - 1e-9) return;
    if (!(await claimBudgetWarning(key, month.month))) return;
    const text = `X spend for ${key.account} reached ${usd(spend.spentUsd)} of ${usd(budget)} USD in ${month.month} (${Math.round((spend.spentUsd / budget) * 100)}%); polling pauses at the budget`;
    const warning = { ...key, month: month.month, spentUsd: spend.spentUsd, budgetUsd: budget, text };
    this.options.logger.warn({ ...key, spentUsd: spend.spentUsd, budgetUsd: budget }, text);
    // a warning that cannot be posted must not fail the poll or the delivery that crossed the line
    await this.options.onWarning?.(warning).catch((err: unknown) => this.options.logger.warn({ err, ...key }, 'budget warning could not be posted'));
  }
}

/**
 * The connector with its writes counted: each send's (and each found earlier send's) billed resource
 * goes to the meter; a meter failure is logged, never turned into a failed delivery.
 */
export function meteredConnector(connector: Connector, account: string, meter: SpendMeter, logger: Logger, now = () => new Date()): Connector {
  const key = { channel: connector.kind, account };
  const count = async (billed: Billable | undefined): Promise<void> => {
    if (!billed) return;
    await meter.record(key, [billed], now()).catch((err: unknown) => logger.warn({ err, ...key }, 'a write could not be counted'));
  };
  return {
    ...connector,
    async send(reply: Parameters<Connector['send']>[0]) {
      const result = await connector.send(reply);
      await count(result.billed);
      return result;
    },
    ...(connector.findSent && {
      async findSent(reply: Parameters<Connector['send']>[0], since: Date) {
        const found = await connector.findSent?.(reply, since);
        await count(found?.billed ?? undefined);
        return found ?? null;
      },
    }),
  };
}
