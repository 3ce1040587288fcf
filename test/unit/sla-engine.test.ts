import assert from 'node:assert/strict';
import type { SlaPolicy } from '../../src/domain/sla';
import { applySlaEvent, breachesOf, runningTargets, type SlaState } from '../../src/sla/engine';

const OFFICE: SlaPolicy = {
  firstResponseMinutes: 30,
  nextResponseMinutes: 60,
  resolutionMinutes: 480,
  businessHours: { timeZone: 'Europe/Berlin', week: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] } },
};
const ROUND_THE_CLOCK: SlaPolicy = { firstResponseMinutes: 60, resolutionMinutes: 240 };
// Berlin is UTC+1 in late November 2026: 10:00 local is 09:00Z
const at = (iso: string) => new Date(iso);

describe('SLA clocks', () => {
  const routed = (when = '2026-11-23T09:00:00Z') => applySlaEvent(undefined, { type: 'routed', department: 'sales', at: at(when) }, OFFICE);

  it('sets first response and resolution due in business time when routed', () => {
    const s = routed('2026-11-27T15:45:00Z'); // Friday 16:45 Berlin
    assert.equal(s.firstResponseDueAt?.toISOString(), '2026-11-30T08:15:00.000Z'); // Monday 09:15 Berlin
    assert.equal(s.resolutionDueAt?.toISOString(), '2026-11-30T15:45:00.000Z'); // 15 min Friday + 7 h 45 min Monday
  });

  it('records the first response in business minutes and stops that clock', () => {
    const s = applySlaEvent(routed('2026-11-27T15:45:00Z'), { type: 'agentReply', at: at('2026-11-30T08:10:00Z') }, OFFICE);
    assert.equal(s.firstResponseMinutes, 25); // 15 min on Friday, 10 on Monday
    assert.deepEqual(runningTargets(s).map((t) => t.target), ['resolution']);
    assert.equal(breachesOf(s, at('2026-11-30T09:00:00Z')).firstResponse, false);
  });

  it('owes a next response after each customer message once the first was given', () => {
    let s = applySlaEvent(routed(), { type: 'agentReply', at: at('2026-11-23T09:10:00Z') }, OFFICE);
    s = applySlaEvent(s, { type: 'customerMessage', at: at('2026-11-23T10:00:00Z') }, OFFICE);
    assert.equal(s.nextResponseDueAt?.toISOString(), '2026-11-23T11:00:00.000Z');
    s = applySlaEvent(s, { type: 'customerMessage', at: at('2026-11-23T10:30:00Z') }, OFFICE);
    assert.equal(s.nextResponseDueAt?.toISOString(), '2026-11-23T11:00:00.000Z', 'a reply is already owed: the clock does not restart');
    s = applySlaEvent(s, { type: 'agentReply', at: at('2026-11-23T11:05:00Z') }, OFFICE);
    assert.deepEqual([s.nextResponseDueAt, s.nextResponseBreaches], [undefined, 1]);
  });

  it('pauses the resolution clock while waiting on the customer', () => {
    let s: SlaState = routed('2026-11-23T09:00:00Z'); // Monday 10:00 Berlin, resolution due Tuesday 10:00
    assert.equal(s.resolutionDueAt?.toISOString(), '2026-11-24T09:00:00.000Z');
    s = applySlaEvent(s, { type: 'status', status: 'waiting', at: at('2026-11-23T11:00:00Z') }, OFFICE);
    assert.deepEqual(runningTargets(s).map((t) => t.target), ['firstResponse']);
    assert.equal(breachesOf(s, at('2026-11-25T09:00:00Z')).resolution, false, 'no breach while paused');
    // paused Monday 12:00 with 360 minutes left (Mon 12–17, Tue 9–10); back Tuesday 12:00 after 480 business minutes
    s = applySlaEvent(s, { type: 'customerMessage', at: at('2026-11-24T11:00:00Z') }, OFFICE);
    assert.equal(s.waitingMinutes, 480);
    assert.equal(s.resolutionDueAt?.toISOString(), '2026-11-25T09:00:00.000Z'); // Tue 12–17 is 300, Wed 9–10 the last 60
    s = applySlaEvent(s, { type: 'status', status: 'resolved', at: at('2026-11-24T13:00:00Z') }, OFFICE);
    assert.equal(s.resolutionMinutes, 720 - 480); // Mon 10–17 and Tue 9–14 are 720 business minutes, 480 of them waiting
  });

  it('starts the new department\'s policy on reassignment, keeping a first response already given', () => {
    let s = routed('2026-11-23T09:00:00Z');
    s = applySlaEvent(s, { type: 'reassigned', department: 'support', at: at('2026-11-23T20:00:00Z') }, ROUND_THE_CLOCK);
    assert.deepEqual([s.department, s.startedAt.toISOString()], ['support', '2026-11-23T20:00:00.000Z']);
    assert.equal(s.firstResponseDueAt?.toISOString(), '2026-11-23T21:00:00.000Z');
    assert.equal(s.resolutionDueAt?.toISOString(), '2026-11-24T00:00:00.000Z');
    s = applySlaEvent(s, { type: 'agentReply', at: at('2026-11-23T20:30:00Z') }, ROUND_THE_CLOCK);
    const again = applySlaEvent(s, { type: 'reassigned', department: 'sales', at: at('2026-11-24T09:00:00Z') }, OFFICE);
    assert.equal(again.firstResponseMinutes, 30);
    assert.equal(again.firstResponseDueAt?.toISOString(), '2026-11-23T21:00:00.000Z');
  });

  it('counts a running clock past its due time as a breach', () => {
    const s = routed('2026-11-23T09:00:00Z');
    assert.deepEqual(breachesOf(s, at('2026-11-23T09:29:00Z')), { firstResponse: false, resolution: false, nextResponse: 0 });
    assert.deepEqual(breachesOf(s, at('2026-11-24T09:01:00Z')), { firstResponse: true, resolution: true, nextResponse: 0 });
  });
});
