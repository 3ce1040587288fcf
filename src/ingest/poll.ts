import { ConnectorAuthError, ConnectorRateLimitError } from '../domain/errors';
import type { Connector } from '../domain/message';
import type { Logger } from '../runtime/logger';
import { ChannelAccountModel } from '../store/models/channel-account';
import * as accounts from '../store/repositories/channel-accounts';
import { acquireLease, releaseLease } from '../store/repositories/leases';
import { ingestBatch, type PipelineDeps } from './pipeline';

export interface Pricing {
  pricePerPostUsd: number;
  pricePerDmEventUsd: number;
  monthlyBudgetUsd?: number;
}

export interface PollDeps {
  pipeline: PipelineDeps;
  logger: Logger;
  /** who polls: host and process, so two app processes can tell their leases apart */
  owner: string;
  leaseMs: number;
  pricing?: Pricing;
  now?: () => Date;
}

export type PollOutcome = 'polled' | 'busy' | 'rate_limited' | 'failing' | 'over_budget' | 'unavailable';

export interface PollResult {
  outcome: PollOutcome;
  stored: number;
  duplicates: number;
}

const nothing = (outcome: PollOutcome): PollResult => ({ outcome, stored: 0, duplicates: 0 });

function spend(usage: { posts: number; dmEvents: number }, p: Pricing): number {
  return usage.posts * p.pricePerPostUsd + usage.dmEvents * p.pricePerDmEventUsd;
}

/** One poll of one account: at most one poller at a time, the cursor saved only after storing. */
export async function pollAccount(connector: Connector, account: string, deps: PollDeps): Promise<PollResult> {
  if (!connector.pull) throw new Error(`connector ${connector.kind} cannot be polled`);
  const key = { channel: connector.kind, account };
  const now = deps.now?.() ?? new Date();
  const state = await ChannelAccountModel.findOne(key).lean();
  if (!state) throw new Error(`account ${connector.kind}/${account} is not registered`);
  if (state.status === 'failing') return nothing('failing');
  if (state.pausedUntil && state.pausedUntil > now) return nothing('rate_limited');
  if (state.status === 'over_budget' && !(await stillOverBudget(key, now, deps))) await accounts.setAccountStatus(key, 'active');
  else if (state.status === 'over_budget') return nothing('over_budget');

  const lease = `poll:${key.channel}:${key.account}`;
  if (!(await acquireLease(lease, deps.owner, deps.leaseMs, now))) return nothing('busy');
  try {
    const pulled = await connector.pull(state.cursor as Record<string, string>);
    const results = await ingestBatch(pulled.messages, deps.pipeline);
    await accounts.saveCursor(key, pulled.cursor, now);
    if (pulled.usage) await chargeUsage(key, pulled.usage, now, deps);
    const stored = results.filter((r) => r.outcome === 'stored').length;
    return { outcome: 'polled', stored, duplicates: results.length - stored };
  } catch (err) {
    return await handlePollError(key, err, deps);
  } finally {
    await releaseLease(lease, deps.owner);
  }
}

async function handlePollError(key: accounts.AccountKey, err: unknown, deps: PollDeps): Promise<PollResult> {
  if (err instanceof ConnectorRateLimitError) {
    await accounts.pauseUntil(key, err.resetAt);
    deps.logger.warn({ ...key, resetAt: err.resetAt }, 'rate limited: polling resumes after the reset');
    return nothing('rate_limited');
  }
  if (err instanceof ConnectorAuthError) {
    await accounts.setAccountStatus(key, 'failing', err.message);
    deps.logger.error({ ...key, reason: err.message }, 'credentials refused: polling stops until they are fixed');
    return nothing('failing');
  }
  deps.logger.warn({ ...key, err }, 'poll failed; the cursor stays and the next poll retries');
  return nothing('unavailable');
}

async function chargeUsage(key: accounts.AccountKey, usage: { posts: number; dmEvents: number }, now: Date, deps: PollDeps) {
  const month = await accounts.recordUsage(key, usage, now);
  const budget = deps.pricing?.monthlyBudgetUsd;
  if (!deps.pricing || budget === undefined || !month) return;
  const spent = spend(month, deps.pricing);
  if (spent >= budget) {
    const reason = `monthly read budget reached: ${spent.toFixed(2)} of ${budget.toFixed(2)} USD in ${month.month}`;
    await accounts.setAccountStatus(key, 'over_budget', reason);
    deps.logger.warn({ ...key, spentUsd: spent, budgetUsd: budget }, `${reason}; polling paused until next month`);
  }
}

async function stillOverBudget(key: accounts.AccountKey, now: Date, deps: PollDeps): Promise<boolean> {
  const budget = deps.pricing?.monthlyBudgetUsd;
  if (!deps.pricing || budget === undefined) return false;
  const month = await accounts.usageOf(key, accounts.monthOf(now));
  return month !== null && spend(month, deps.pricing) >= budget;
}
