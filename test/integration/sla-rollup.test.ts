import assert from 'node:assert/strict';
import { Types } from 'mongoose';
import { assignConversation, changeStatus } from '../../src/actions/conversation';
import { DEFAULT_DEPARTMENTS } from '../../src/domain/department';
import { ingestBatch, type PipelineDeps } from '../../src/ingest/pipeline';
import { resetDemo } from '../../src/runtime/demo';
import { SlaClock } from '../../src/sla/clock';
import { slaFigures, type GroupBy } from '../../src/sla/figures';
import { MinuteCounts } from '../../src/sla/minutes';
import { refreshSlaRollups } from '../../src/sla/rollup';
import { windowParts } from '../../src/sla/rollup-read';
import { ConversationModel } from '../../src/store/models/conversation';
import { SlaRollupModel, SlaRollupStateModel } from '../../src/store/models/sla-rollup';
import { reassignConversation } from '../../src/store/repositories/conversations';
import { clockedPipeline } from '../support/app';
import { clearCollections, useTestDatabase } from '../support/database';
import { inbound } from '../support/factories';

const MINUTE = 60_000;
const DAY = 86_400_000;
const policyOf = (key: string) => DEFAULT_DEPARTMENTS.find((d) => d.key === key)?.sla;
const TEXTS = ['my thermostat is broken', 'what is the price', 'a feature idea', 'is there a job', 'hello'];

/** The same figures with no rollups at all: one raw aggregation over the window, as before rollups existed. */
async function rawFigures(from: Date, to: Date, groupBy: GroupBy, now: Date) {
  const state = await SlaRollupStateModel.findById('sla').lean();
  await SlaRollupStateModel.deleteMany({});
  try {
    return await slaFigures(from, to, groupBy, now);
  } finally {
    if (state) await SlaRollupStateModel.collection.insertOne(state as never);
  }
}

describe('SLA figures from daily rollups (FerretDB): the same numbers as the raw aggregation', () => {
  useTestDatabase();
  const clock = new SlaClock(policyOf);
  const deps: PipelineDeps = clockedPipeline(clock);
  const actions = { outbox: { replyQueued: () => Promise.resolve(), agentMessageWritten: () => Promise.resolve() }, events: clock };
  const actor = { id: 'token:test', name: 'test' };
  const today = Math.floor(Date.now() / DAY) * DAY;
  const ids: string[] = [];

  async function open(i: number, at: Date, channel = 'webhook') {
    const [r] = await ingestBatch([inbound({ channel, threadKey: `t-${i}`, externalId: `m-${i}-${at.getTime()}`, text: TEXTS[Math.floor(i / 5) % TEXTS.length], createdAt: at })], deps);
    return r!.conversationId;
  }

  /** Every grouping over windows of whole days, partial days, today and beyond, as of `now`. */
  async function assertSame(now: Date, why: string) {
    const windows: Array<[number, number]> = [[today - 6 * DAY, today], [today - 4 * DAY + 5 * 3_600_000, now.getTime()], [today - 30 * DAY, today + DAY]];
    for (const groupBy of ['department', 'channel', 'agent'] as const) {
      for (const [from, to] of windows) {
        const args = [new Date(from), new Date(to), groupBy, now] as const;
        assert.deepEqual(await slaFigures(...args), await rawFigures(...args), `${why}: ${groupBy} ${new Date(from).toISOString()}..${new Date(to).toISOString()}`);
      }
    }
  }

  before(async () => {
    await clearCollections();
    // 40 conversations over the 5 days before today, every department on most days: answered or not, some resolved, some assigned, on two channels
    for (let i = 0; i < 40; i++) {
      const at = new Date(today - (1 + (i % 5)) * DAY + ((i * 37) % 1440) * MINUTE);
      const id = await open(i, at, i % 4 === 0 ? 'x' : 'webhook');
      ids.push(id);
      if (i % 3 !== 0) await clock.agentReplied(id, new Date(at.getTime() + ((i * 11) % 180) * MINUTE));
      if (i % 4 === 0) await changeStatus(id, 'resolved', actor, actions, new Date(at.getTime() + ((i * 29) % 1400) * MINUTE));
      if (i % 5 === 0) await assignConversation(id, { name: `agent${i % 3}` }, actor, actions);
    }
  });

  it('serves whole clean days from the rollups, with exactly the raw figures', async () => {
    const built = await refreshSlaRollups(new Date(), 0);
    assert.ok(built.days >= 5, `the 5 days are rolled up (${built.days})`);
    const parts = await windowParts(new Date(today - 6 * DAY), new Date(today), 'department', new Date());
    assert.ok(parts.rollups.length > 0, 'the rollups are read, not only raw rows');
    await assertSame(new Date(), 'right after the rollup');
    // later, clocks that ran at the rollup are past due: what depends on now is never frozen in a rollup
    await assertSame(new Date(Date.now() + 3 * DAY), 'three days later');
  });

  it('reads rollups written before the histograms were packed (two arrays) with the same figures', async () => {
    await refreshSlaRollups(new Date(), 0);
    const docs = await SlaRollupModel.collection.find({}).toArray();
    assert.ok(docs.some((d) => d.frtPacked), 'the run writes packed histograms');
    const legacy = (b: { buffer: Uint8Array } | undefined) => new MinuteCounts().addPacked(b).toHistogram();
    for (const d of docs) {
      await SlaRollupModel.collection.updateOne({ _id: d._id }, { $set: { frt: legacy(d.frtPacked), res: legacy(d.resPacked) }, $unset: { frtPacked: '', resPacked: '' } });
    }
    await assertSame(new Date(), 'from array histograms');
    await refreshSlaRollups(new Date(), 0);
  });

  it('after reassigning, resolving, answering, new messages and new conversations, before and after the next run', async () => {
    await refreshSlaRollups(new Date(), 0);
    await reassignConversation(ids[1]!, 'sales', 'token:test', 'not ours');
    await clock.reassigned(ids[1]!, 'sales', new Date());
    await changeStatus(ids[2]!, 'resolved', actor, actions);
    await changeStatus(ids[7]!, 'waiting', actor, actions);
    await clock.agentReplied(ids[3]!, new Date());
    await assignConversation(ids[6]!, { name: 'agent9' }, actor, actions);
    await assignConversation(ids[10]!, null, actor, actions);
    // a customer writes again in a resolved conversation (reopens it), and a backdated new conversation arrives
    const [again] = await ingestBatch([inbound({ channel: 'x', threadKey: 't-4', externalId: 'again-4', text: 'still broken', createdAt: new Date() })], deps);
    assert.equal(again?.conversationId, ids[4]);
    await open(100, new Date(today - 3 * DAY + 7 * MINUTE));
    await assertSame(new Date(), 'changes after the rollup, before the next run');
    const next = await refreshSlaRollups(new Date(), 0);
    assert.ok(next.days > 0, `the changed days are recomputed (${next.days})`);
    await assertSame(new Date(), 'after the next run');
    await assertSame(new Date(Date.now() + 3 * DAY), 'after the next run, three days later');
  });

  it('deleted conversations (demo:reset) leave no trace in the figures', async () => {
    for (let i = 0; i < 3; i++) await open(200 + i, new Date(today - (2 + i) * DAY + 60 * MINUTE), 'replay');
    await refreshSlaRollups(new Date(), 0);
    await resetDemo();
    await assertSame(new Date(), 'after demo:reset, before the next run');
    await refreshSlaRollups(new Date(), 0);
    await assertSame(new Date(), 'after demo:reset and the next run');
    assert.deepEqual((await SlaRollupStateModel.findById('sla').lean())?.dirtyDays, [], 'the next run took the marks');
  });

  it('a write that does not set updatedAt would serve stale figures (what the comparison catches)', async () => {
    await refreshSlaRollups(new Date(), 0);
    // a resolved conversation: nothing of it depends on now, so only the rollup holds it
    await ConversationModel.collection.updateOne({ _id: new Types.ObjectId(ids[20]) }, { $set: { department: 'hr' } });
    const args = [new Date(today - 6 * DAY), new Date(today), 'department', new Date()] as const;
    assert.notDeepEqual(await slaFigures(...args), await rawFigures(...args));
    await ConversationModel.updateOne({ _id: ids[20] }, { $set: { department: 'hr' } });
    assert.deepEqual(await slaFigures(...args), await rawFigures(...args));
  });
});
