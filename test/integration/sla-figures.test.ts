import assert from 'node:assert/strict';
import { Types } from 'mongoose';
import { figuresCsv } from '../../src/api/presenters-csv';
import type { SlaState } from '../../src/sla/engine';
import { dailySeries, slaFigures } from '../../src/sla/figures';
import { SlaClock } from '../../src/sla/clock';
import { figureFields } from '../../src/sla/running';
import { ConversationModel } from '../../src/store/models/conversation';
import { clearCollections, useTestDatabase } from '../support/database';

const d = (iso: string) => new Date(`2026-11-${iso}Z`);
const sla = (s: Partial<SlaState>): SlaState => ({ department: 'x', startedAt: d('23T00:00:00'), waitingMinutes: 0, nextResponseBreaches: 0, ...s });
const conversation = (id: string, department: string, channel: string, agent: string, created: string, status: string, state?: Partial<SlaState>) => ({
  _id: new Types.ObjectId(),
  channel,
  account: 'fixture',
  threadKey: id,
  kind: 'mention',
  customer: {},
  preview: '',
  department,
  routing: { method: 'model', label: department },
  status,
  ...(agent === 'unassigned' ? {} : { assignee: { name: agent } }),
  firstMessageAt: d(created),
  lastMessageAt: d(created),
  // stored as the clock stores it: the state and the fields the figures sum
  ...(state ? { sla: { ...sla(state), fig: figureFields(sla(state)), warnShare: 0.8 } } : {}),
});

// Hand-computed fixture: the window is 23 November (UTC), the figures are read at 24 November 12:00.
const CONVERSATIONS = [
  // answered in 20 min, resolved in 240 min, all in time
  conversation('A', 'support', 'x', 'Anna', '23T08:00:00', 'resolved', { firstResponseDueAt: d('23T09:00:00'), firstResponseAt: d('23T08:20:00'), firstResponseMinutes: 20, resolutionDueAt: d('24T08:00:00'), resolvedAt: d('23T12:00:00'), resolutionMinutes: 240 }),
  // answered 30 min late (90 min), and still open after its resolution due time: two breaches
  conversation('B', 'support', 'webhook', 'Anna', '23T10:00:00', 'open', { firstResponseDueAt: d('23T11:00:00'), firstResponseAt: d('23T11:30:00'), firstResponseMinutes: 90, resolutionDueAt: d('24T10:00:00') }),
  // never answered, first response due long ago: one breach
  conversation('C', 'support', 'x', 'unassigned', '23T20:00:00', 'open', { firstResponseDueAt: d('23T21:00:00'), resolutionDueAt: d('24T20:00:00') }),
  // in time but one late next response
  conversation('D', 'sales', 'x', 'Ben', '23T15:00:00', 'resolved', { firstResponseDueAt: d('23T17:00:00'), firstResponseAt: d('23T15:30:00'), firstResponseMinutes: 30, resolutionDueAt: d('24T15:00:00'), resolvedAt: d('23T20:00:00'), resolutionMinutes: 300, nextResponseBreaches: 1 }),
  // not due yet: counts for volume and backlog only
  conversation('E', 'sales', 'x', 'Ben', '23T23:30:00', 'open', { firstResponseDueAt: d('24T13:00:00'), resolutionDueAt: d('25T13:00:00') }),
  // opened before the window: backlog only
  conversation('F', 'support', 'x', 'Anna', '22T10:00:00', 'open', { firstResponseDueAt: d('22T11:00:00'), firstResponseAt: d('22T10:10:00'), firstResponseMinutes: 10 }),
  // opened after the window: not counted at all
  conversation('G', 'hr', 'x', 'unassigned', '24T01:00:00', 'open', { firstResponseDueAt: d('24T09:00:00') }),
  // waiting on the customer past its resolution due time: the paused clock is no breach
  conversation('H', 'hr', 'x', 'Cem', '23T09:00:00', 'waiting', { firstResponseDueAt: d('23T10:00:00'), firstResponseAt: d('23T09:05:00'), firstResponseMinutes: 5, resolutionDueAt: d('23T18:00:00'), waitingSince: d('23T12:00:00') }),
  // routed before the SLA clocks existed: volume only
  conversation('I', 'hr', 'x', 'Cem', '23T11:00:00', 'resolved'),
];
const FROM = d('23T00:00:00');
const TO = d('24T00:00:00');
const NOW = d('24T12:00:00');

describe('SLA figures from the server (hand-computed fixture)', () => {
  useTestDatabase();
  before(async () => {
    await clearCollections();
    await ConversationModel.collection.insertMany(CONVERSATIONS);
  });

  it('per department', async () => {
    assert.deepEqual(await slaFigures(FROM, TO, 'department', NOW), [
      { key: 'hr', volume: 2, backlog: 1, firstResponse: { p50: 5, p90: 5, count: 1 }, resolution: { p50: null, p90: null, count: 0 }, withinSla: { met: 1, total: 1, share: 1 }, breaches: 0 },
      { key: 'sales', volume: 2, backlog: 1, firstResponse: { p50: 30, p90: 30, count: 1 }, resolution: { p50: 300, p90: 300, count: 1 }, withinSla: { met: 0, total: 1, share: 0 }, breaches: 1 },
      { key: 'support', volume: 3, backlog: 3, firstResponse: { p50: 20, p90: 90, count: 2 }, resolution: { p50: 240, p90: 240, count: 1 }, withinSla: { met: 1, total: 3, share: 1 / 3 }, breaches: 3 },
    ]);
  });

  it('per channel and per agent', async () => {
    const byChannel = (await slaFigures(FROM, TO, 'channel', NOW)).map((g) => [g.key, g.volume, g.backlog, g.breaches]);
    assert.deepEqual(byChannel, [['webhook', 1, 1, 2], ['x', 6, 4, 2]]);
    const byAgent = (await slaFigures(FROM, TO, 'agent', NOW)).map((g) => [g.key, g.volume, g.backlog, g.firstResponse.p50, g.withinSla.met]);
    assert.deepEqual(byAgent, [['Anna', 2, 2, 20, 1], ['Ben', 2, 1, 30, 0], ['Cem', 2, 1, 5, 1], ['unassigned', 1, 1, null, 0]]);
  });

  it('nearest-rank percentiles over many values', async () => {
    const many = Array.from({ length: 11 }, (_, i) => conversation(`P${i}`, 'product', 'x', 'Dora', '23T06:00:00', 'resolved', { firstResponseDueAt: d('23T07:00:00'), firstResponseAt: d('23T06:10:00'), firstResponseMinutes: [7, 3, 11, 5, 2, 13, 17, 19, 23, 29, 31][i] }));
    await ConversationModel.collection.insertMany(many);
    try {
      const [product] = (await slaFigures(FROM, TO, 'department', NOW)).filter((g) => g.key === 'product');
      // sorted 2 3 5 7 11 13 17 19 23 29 31: p50 is the 6th (ceil 5.5), p90 the 10th (ceil 9.9)
      assert.deepEqual(product?.firstResponse, { p50: 13, p90: 29, count: 11 });
    } finally {
      await ConversationModel.deleteMany({ department: 'product' });
    }
  });

  it('per UTC day, with a department filter', async () => {
    assert.deepEqual(await dailySeries(d('22T06:00:00'), d('24T06:00:00'), NOW), [
      { date: '2026-11-22', volume: 1, breaches: 0, firstResponseP50: 10 },
      { date: '2026-11-23', volume: 7, breaches: 4, firstResponseP50: 20 },
      { date: '2026-11-24', volume: 1, breaches: 1, firstResponseP50: null },
    ]);
    assert.deepEqual((await dailySeries(FROM, TO, NOW, 'sales')).map((x) => [x.date, x.volume, x.breaches]), [['2026-11-23', 2, 1]]);
  });

  it('per day in the viewer\'s time zone: 23:30 UTC is the next day in Berlin, the same day in Los Angeles', async () => {
    const days = async (tz?: string) => (await dailySeries(d('22T00:00:00'), d('25T00:00:00'), NOW, undefined, tz)).map((day) => [day.date, day.volume]);
    assert.deepEqual(await days(), [['2026-11-22', 1], ['2026-11-23', 7], ['2026-11-24', 1]]);
    assert.deepEqual(await days('Europe/Berlin'), [['2026-11-22', 1], ['2026-11-23', 6], ['2026-11-24', 2], ['2026-11-25', 0]]);
    assert.deepEqual(await days('America/Los_Angeles'), [['2026-11-21', 0], ['2026-11-22', 1], ['2026-11-23', 8], ['2026-11-24', 0]]);
  });

  it('a conversation stored before the figure fields existed counts once the start has filled them in', async () => {
    const legacy = conversation('L', 'legal', 'x', 'Eva', '23T07:00:00', 'open', { firstResponseDueAt: d('23T08:00:00'), resolutionDueAt: d('24T07:00:00') });
    const { fig: _fig, warnShare: _share, ...state } = (legacy as { sla: Record<string, unknown> }).sla;
    await ConversationModel.collection.insertOne({ ...legacy, sla: state });
    try {
      assert.equal((await slaFigures(FROM, TO, 'department', NOW)).find((g) => g.key === 'legal')?.breaches, 0, 'without sla.fig nothing is summed');
      assert.equal(await new SlaClock(() => undefined).refreshStale(), 1);
      const [legal] = (await slaFigures(FROM, TO, 'department', NOW)).filter((g) => g.key === 'legal');
      assert.deepEqual([legal?.volume, legal?.breaches, legal?.withinSla.total], [1, 2, 1], 'first response and resolution missed');
      assert.equal(await new SlaClock(() => undefined).refreshStale(), 0, 'a second start has nothing to do');
    } finally {
      await ConversationModel.deleteMany({ department: 'legal' });
    }
  });

  it('as CSV with the same numbers', async () => {
    const csv = figuresCsv(await slaFigures(FROM, TO, 'department', NOW), 'department');
    assert.equal(
      csv,
      'department,volume,backlog,first_response_p50_min,first_response_p90_min,first_responses,resolution_p50_min,resolution_p90_min,resolutions,within_sla_met,within_sla_total,within_sla_share,breaches\r\n' +
        'hr,2,1,5,5,1,,,0,1,1,1,0\r\n' +
        'sales,2,1,30,30,1,300,300,1,0,1,0,1\r\n' +
        `support,3,3,20,90,2,240,240,1,1,3,${1 / 3},3\r\n`,
    );
    assert.match(figuresCsv([{ ...(await slaFigures(FROM, TO, 'agent', NOW))[0]!, key: 'Doe, "Jo"' }], 'agent'), /^agent,.*\r\n"Doe, ""Jo""",/);
  });
});
