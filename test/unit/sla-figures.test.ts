import assert from 'node:assert/strict';
import { figuresCsv } from '../../src/api/presenters-csv';
import type { SlaState } from '../../src/sla/engine';
import { dailySeries, slaFigures, type ConversationFact } from '../../src/sla/figures';

const d = (iso: string) => new Date(`2026-11-${iso}Z`);
const sla = (s: Partial<SlaState>): SlaState => ({ department: 'x', startedAt: d('23T00:00:00'), waitingMinutes: 0, nextResponseBreaches: 0, ...s });
const fact = (id: string, department: string, channel: string, agent: string, created: string, status: string, state?: Partial<SlaState>): ConversationFact => ({
  id, department, channel, agent, firstMessageAt: d(created), status, customer: {}, preview: '', sla: state && sla(state),
});

// Hand-computed fixture: the window is 23 November (UTC), the figures are read at 24 November 12:00.
const FACTS = [
  // answered in 20 min, resolved in 240 min, all in time
  fact('A', 'support', 'x', 'Anna', '23T08:00:00', 'resolved', { firstResponseDueAt: d('23T09:00:00'), firstResponseAt: d('23T08:20:00'), firstResponseMinutes: 20, resolutionDueAt: d('24T08:00:00'), resolvedAt: d('23T12:00:00'), resolutionMinutes: 240 }),
  // answered 30 min late (90 min), and still open after its resolution due time: two breaches
  fact('B', 'support', 'webhook', 'Anna', '23T10:00:00', 'open', { firstResponseDueAt: d('23T11:00:00'), firstResponseAt: d('23T11:30:00'), firstResponseMinutes: 90, resolutionDueAt: d('24T10:00:00') }),
  // never answered, first response due long ago: one breach
  fact('C', 'support', 'x', 'unassigned', '23T20:00:00', 'open', { firstResponseDueAt: d('23T21:00:00'), resolutionDueAt: d('24T20:00:00') }),
  // in time but one late next response
  fact('D', 'sales', 'x', 'Ben', '23T15:00:00', 'resolved', { firstResponseDueAt: d('23T17:00:00'), firstResponseAt: d('23T15:30:00'), firstResponseMinutes: 30, resolutionDueAt: d('24T15:00:00'), resolvedAt: d('23T20:00:00'), resolutionMinutes: 300, nextResponseBreaches: 1 }),
  // not due yet: counts for volume and backlog only
  fact('E', 'sales', 'x', 'Ben', '23T23:30:00', 'open', { firstResponseDueAt: d('24T13:00:00'), resolutionDueAt: d('25T13:00:00') }),
  // opened before the window: backlog only
  fact('F', 'support', 'x', 'Anna', '22T10:00:00', 'open', { firstResponseDueAt: d('22T11:00:00'), firstResponseAt: d('22T10:10:00'), firstResponseMinutes: 10 }),
  // opened after the window: not counted at all
  fact('G', 'hr', 'x', 'unassigned', '24T01:00:00', 'open', { firstResponseDueAt: d('24T09:00:00') }),
];
const FROM = d('23T00:00:00');
const TO = d('24T00:00:00');
const NOW = d('24T12:00:00');

describe('SLA figures (hand-computed fixture)', () => {
  it('per department', () => {
    assert.deepEqual(slaFigures(FACTS, FROM, TO, 'department', NOW), [
      { key: 'sales', volume: 2, backlog: 1, firstResponse: { p50: 30, p90: 30, count: 1 }, resolution: { p50: 300, p90: 300, count: 1 }, withinSla: { met: 0, total: 1, share: 0 }, breaches: 1 },
      { key: 'support', volume: 3, backlog: 3, firstResponse: { p50: 20, p90: 90, count: 2 }, resolution: { p50: 240, p90: 240, count: 1 }, withinSla: { met: 1, total: 3, share: 1 / 3 }, breaches: 3 },
    ]);
  });

  it('per channel and per agent', () => {
    const byChannel = slaFigures(FACTS, FROM, TO, 'channel', NOW).map((g) => [g.key, g.volume, g.backlog, g.breaches]);
    assert.deepEqual(byChannel, [['webhook', 1, 1, 2], ['x', 4, 3, 2]]);
    const byAgent = slaFigures(FACTS, FROM, TO, 'agent', NOW).map((g) => [g.key, g.volume, g.firstResponse.p50, g.withinSla.met]);
    assert.deepEqual(byAgent, [['Anna', 2, 20, 1], ['Ben', 2, 30, 0], ['unassigned', 1, null, 0]]);
  });

  it('as CSV with the same numbers', () => {
    const csv = figuresCsv(slaFigures(FACTS, FROM, TO, 'department', NOW), 'department');
    assert.equal(
      csv,
      'department,volume,backlog,first_response_p50_min,first_response_p90_min,first_responses,resolution_p50_min,resolution_p90_min,resolutions,within_sla_met,within_sla_total,within_sla_share,breaches\r\n' +
        'sales,2,1,30,30,1,300,300,1,0,1,0,1\r\n' +
        `support,3,3,20,90,2,240,240,1,1,3,${1 / 3},3\r\n`,
    );
    assert.match(figuresCsv([{ ...slaFigures(FACTS, FROM, TO, 'agent', NOW)[0]!, key: 'Doe, "Jo"' }], 'agent'), /^agent,.*\r\n"Doe, ""Jo""",/);
  });

  it('per day in the viewer\'s time zone: a conversation at 23:30 UTC is the next day in Berlin, the same day in Los Angeles', () => {
    const days = (tz?: string) => dailySeries(FACTS, d('22T00:00:00'), d('25T00:00:00'), NOW, undefined, tz).map((day) => [day.date, day.volume]);
    assert.deepEqual(days(), [['2026-11-22', 1], ['2026-11-23', 5], ['2026-11-24', 1]]);
    assert.deepEqual(days('Europe/Berlin'), [['2026-11-22', 1], ['2026-11-23', 4], ['2026-11-24', 2], ['2026-11-25', 0]]);
    assert.deepEqual(days('America/Los_Angeles'), [['2026-11-21', 0], ['2026-11-22', 1], ['2026-11-23', 6], ['2026-11-24', 0]]);
  });
});
