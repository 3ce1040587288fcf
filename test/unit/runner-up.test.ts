import assert from 'node:assert/strict';
import { RUNNER_UP_MARGIN, runnerUp } from '../../src/routing/runner-up';

describe('runnerUp: the model\'s second-best department when it is close to the best', () => {
  it('names the second when it is within the margin, as a plain object or a stored Map', () => {
    assert.deepEqual(runnerUp({ sales: 0.55, support: 0.42, other: 0.03 }), { department: 'support', score: 0.42 });
    assert.deepEqual(runnerUp(new Map([['sales', 0.5], ['support', 0.5 - RUNNER_UP_MARGIN]])), { department: 'support', score: 0.5 - RUNNER_UP_MARGIN });
  });

  it('says nothing when the second is far behind, or there is none', () => {
    assert.equal(runnerUp({ support: 0.9, sales: 0.05, other: 0.05 }), null);
    assert.equal(runnerUp({ support: 1 }), null);
    assert.equal(runnerUp(undefined), null);
  });

  it('is second to the model\'s choice, and names the same one on a tie whatever the order of the scores', () => {
    assert.deepEqual(runnerUp({ support: 0.2, other: 0.2, sales: 0.2 }, { label: 'other' }), { department: 'sales', score: 0.2 });
    assert.deepEqual(runnerUp(new Map([['sales', 0.2], ['other', 0.2], ['support', 0.2]]), { label: 'other' }), { department: 'sales', score: 0.2 });
  });

  it('leaves out triage and labels that are no department now', () => {
    assert.deepEqual(runnerUp({ sales: 0.5, triage: 0.45, legal: 0.44, hr: 0.4 }, { inForce: (key) => key !== 'legal' }), { department: 'hr', score: 0.4 });
  });
});
