import type { Connector, Cursor } from '../domain/message';
import type { Logger } from '../runtime/logger';
import { ChannelAccountModel, type TimelineState } from '../store/models/channel-account';
import * as accounts from '../store/repositories/channel-accounts';
import { withLease } from '../store/repositories/leases';
import { ingestBatch, type PipelineDeps } from './pipeline';
import { skipReason, timelineFailed, timelineSucceeded, type TimelineOutcome } from './poll-timeline';
import { usd, type SpendMeter } from './spend';

export interface PollDeps {
  pipeline: PipelineDeps;
  logger: Logger;
  /** who polls: host and process, so two app processes can tell their leases apart */
  owner: string;
  /** the poll lease's lifetime (JOBS_LOCK_LIFETIME_MS), renewed while a poll runs: a dead poller's lease ends after one */
  leaseMs: number;
  /** pay-per-use accounts: counts what X bills and pauses polling at the monthly budget */
  spend?: SpendMeter;
  now?: () => Date;
}

/** 'superseded': another process registered newer credentials for the account (a rolling restart): it polls, not this one */
export type PollOutcome = TimelineOutcome | 'busy' | 'over_budget' | 'superseded';

export interface PollResult {
  /** 'polled' when any timeline was read; otherwise why none was */
  outcome: PollOutcome;
  stored: number;
  duplicates: number;
  /** each timeline's own outcome (a connector without timelines has one, 'all') */
  timelines: Record<string, PollOutcome>;
}

const nothing = (outcome: PollOutcome): PollResult => ({ outcome, stored: 0, duplicates: 0, timelines: {} });

/**
 * One poll of one account: at most one poller at a time; each timeline read, stored, charged and failing on its own.
 * `credentials`: the fingerprint this process registered the account with; polling with others would mark it failing.
 */
export async function pollAccount(connector: Connector, account: string, deps: PollDeps, credentials?: string): Promise<PollResult> {
  if (!connector.pull) throw new Error(`connector ${connector.kind} cannot be polled`);
  const key = { channel: connector.kind, account };
  const now = deps.now?.() ?? new Date();
  const state = await ChannelAccountModel.findOne(key).lean();
  if (!state) throw new Error(`account ${connector.kind}/${account} is not registered`);
  if (credentials && state.credentialsFingerprint && state.credentialsFingerprint !== credentials) return nothing('superseded');
  if (state.status === 'failing') return nothing('failing');
  if (state.pausedUntil && state.pausedUntil > now) return nothing('rate_limited');
  // writes count too, so the month may have passed the budget since the last poll
  const spend = deps.spend?.budgetUsd === undefined ? undefined : await deps.spend.current(key, now);
  if (spend?.overBudget) {
    if (state.status !== 'over_budget') await overBudget(key, spend.spentUsd, spend.budgetUsd ?? 0, now, deps.logger);
    return nothing('over_budget');
  }
  if (state.status === 'over_budget') await accounts.setAccountStatus(key, 'active');

  // cursor and timelines read again under the lease: the poller that held it before may have moved them
  const poll = async () => {
    const current = (await ChannelAccountModel.findOne(key, { cursor: 1, timelines: 1 }).lean()) ?? state;
    return pollTimelines(connector, key, current.timelines as Record<string, TimelineState> | undefined, accounts.cleanCursor(current.cursor), deps, now);
  };
  return withLease(`poll:${key.channel}:${key.account}`, deps.owner, deps.leaseMs, poll, nothing('busy'), now);
}

async function pollTimelines(
  connector: Connector,
  key: accounts.AccountKey,
  states: Record<string, TimelineState> = {},
  stored: Cursor,
  deps: PollDeps,
  now: Date,
): Promise<PollResult> {
  const result: PollResult = nothing('unavailable');
  let cursor = stored;
  for (const name of connector.timelines ?? ['all']) {
    const skip = skipReason(states[name], now);
    if (skip) {
      result.timelines[name] = skip;
      continue;
    }
    try {
      const pulled = connector.pullTimeline ? await connector.pullTimeline(name, cursor) : await (connector.pull as NonNullable<Connector['pull']>)(cursor);
      // X billed the reads whatever happens next: count them first (a re-read today is not billed again)
      const spend = deps.spend && pulled.billed ? await deps.spend.record(key, pulled.billed, now) : undefined;
      if (pulled.problems?.length) deps.logger.warn({ ...key, timeline: name, problems: pulled.problems }, 'X reported problems beside the data');
      const results = await ingestBatch(pulled.messages, deps.pipeline);
      cursor = { ...cursor, ...accounts.cleanCursor(pulled.cursor) };
      await accounts.saveCursor(key, cursor, now);
      await timelineSucceeded(key, name, states[name], now);
      const storedNow = results.filter((r) => r.outcome === 'stored').length;
      Object.assign(result, { stored: result.stored + storedNow, duplicates: result.duplicates + results.length - storedNow });
      result.timelines[name] = 'polled';
      if (spend?.overBudget) {
        await overBudget(key, spend.spentUsd, spend.budgetUsd ?? 0, now, deps.logger);
        break;
      }
    } catch (err) {
      result.timelines[name] = await timelineFailed(key, name, states[name], err, now, deps.logger);
    }
  }
  const outcomes = Object.values(result.timelines);
  if (outcomes.length > 0 && outcomes.every((o) => o === 'failing')) {
    await accounts.setAccountStatus(key, 'failing', 'every timeline refused the credentials: polling stops until they change');
  }
  result.outcome = outcomes.includes('polled') ? 'polled' : (outcomes[0] ?? 'unavailable');
  return result;
}

async function overBudget(key: accounts.AccountKey, spent: number, budget: number, now: Date, logger: Logger): Promise<void> {
  const reason = `monthly X budget reached: ${usd(spent)} of ${usd(budget)} USD in ${now.toISOString().slice(0, 7)}`;
  await accounts.setAccountStatus(key, 'over_budget', reason);
  logger.warn({ ...key, spentUsd: spent, budgetUsd: budget }, `${reason}; polling paused until next month`);
}
