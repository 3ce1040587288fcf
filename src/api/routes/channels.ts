import { Router } from 'express';
import type { SpendMeter } from '../../ingest/spend';
import type { TimelineState } from '../../store/models/channel-account';
import { ChannelAccountModel } from '../../store/models/channel-account';
import { requireRole } from '../auth';

export interface ChannelRouteDeps {
  /** the X spend meter: this month's spend and the budget of each account */
  spend?: SpendMeter;
  now?: () => Date;
}

// the timelines a connector polls are known once it has polled; these show before that
const KNOWN_TIMELINES: Record<string, string[]> = { x: ['mentions', 'dms'] };

const presentTimeline = (name: string, t: TimelineState = {}) => ({
  name,
  status: t.status ?? 'active',
  lastSuccessAt: t.lastSuccessAt ?? null,
  lastError: t.lastError ?? null,
  lastErrorAt: t.lastErrorAt ?? null,
  pauseReason: t.pauseReason ?? null,
  pausedUntil: t.pausedUntil ?? null,
});

/** GET /api/channels: every connected account, each timeline's health, and this month's X spend against the budget. */
export function channelRoutes(deps: ChannelRouteDeps = {}): Router {
  const router = Router();
  router.get('/channels', requireRole('manager'), async (_req, res) => {
    const now = deps.now?.() ?? new Date();
    const accounts = await ChannelAccountModel.find().sort({ channel: 1, account: 1 }).lean();
    const data = [];
    for (const a of accounts) {
      const timelines = (a.timelines ?? {}) as Record<string, TimelineState>;
      const names = [...new Set([...(KNOWN_TIMELINES[a.channel] ?? []), ...Object.keys(timelines)])];
      const spend = deps.spend && a.channel === 'x' ? await deps.spend.current({ channel: a.channel, account: a.account }, now) : undefined;
      data.push({
        channel: a.channel,
        account: a.account,
        status: a.status,
        statusReason: a.statusReason ?? null,
        ownsApp: a.ownsApp ?? null,
        lastPolledAt: a.lastPolledAt ?? null,
        timelines: names.map((name) => presentTimeline(name, timelines[name])),
        spend: spend
          ? { month: spend.month.month, spentUsd: round(spend.spentUsd), budgetUsd: spend.budgetUsd ?? null, counts: spend.month.counts }
          : null,
      });
    }
    res.json({ data });
  });
  return router;
}

// float sums of prices (0.001 + 0.005 ...) print with noise; a tenth of a cent is X's smallest price
const round = (n: number): number => Math.round(n * 1e6) / 1e6;
