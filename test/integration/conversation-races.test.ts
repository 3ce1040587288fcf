import assert from 'node:assert/strict';
import request from 'supertest';
import { ingestMessage } from '../../src/ingest/pipeline';
import { RoutingEventModel } from '../../src/store/models/routing-event';
import { bearer, seedDepartments } from '../support/app';
import { inbound } from '../support/factories';
import { useSlackWorld } from '../support/slack-world';

const CONVERSATIONS = 3;
const FOLLOW_UPS = 20;

/**
 * Follow-ups ($inc of messageCount), a manual reassignment (department and routing.method) and the card job
 * (slackPostStartedAt, slack) write one conversation at once. On a server whose updates are not atomic per
 * document the $inc loses counts, and any write that stores a whole loaded document puts routing back to 'model'.
 */
describe('concurrent writes to one conversation: counts exact, the manual routing stays', function () {
  this.timeout(60_000);
  const world = useSlackWorld();

  it(`${FOLLOW_UPS} follow-ups racing a reassignment and the card post, in ${CONVERSATIONS} conversations at once`, async () => {
    const w = world();
    await seedDepartments();
    const agent = await bearer('agent');
    const opened = await Promise.all(Array.from({ length: CONVERSATIONS }, (_, c) =>
      ingestMessage(inbound({ threadKey: `case-${c}`, text: 'my thermostat is broken and shows E42' }), w.pipeline)));
    const ids = opened.map((r) => String(r.conversationId));
    const departments = await Promise.all(ids.map(async (id) => (await request(w.app).get(`/api/conversations/${id}`).set('Authorization', agent)).body.data.department as string));
    const target = (c: number) => (departments[c] === 'sales' ? 'hr' : 'sales');

    const followUps = ids.flatMap((_, c) => Array.from({ length: FOLLOW_UPS }, (_, i) => () =>
      ingestMessage(inbound({ threadKey: `case-${c}`, text: `follow-up ${i}: still broken` }), w.pipeline).then((r) => assert.equal(r.outcome, 'stored'))));
    const reassignments = ids.map((id, c) => () =>
      request(w.app).patch(`/api/conversations/${id}`).set('Authorization', agent).send({ department: target(c), reason: 'race' }).expect(200).then(() => undefined));
    // the reassignments land in the middle of the follow-ups, the card jobs beside them
    const half = followUps.length / 2;
    await Promise.all([...followUps.slice(0, half), ...reassignments, ...followUps.slice(half), () => w.runJobs().then(() => undefined)].map((run) => run()));
    await w.runJobs();

    for (const [c, id] of ids.entries()) {
      const { body } = await request(w.app).get(`/api/conversations/${id}`).set('Authorization', agent).expect(200);
      const shown = body.data as { messageCount: number; messages: unknown[]; department: string; routing: { method: string } };
      assert.equal(shown.messages.length, 1 + FOLLOW_UPS, `conversation ${c}: every message stored`);
      assert.equal(shown.messageCount, 1 + FOLLOW_UPS, `conversation ${c}: messageCount counts every message`);
      assert.equal(shown.department, target(c), `conversation ${c}: the department the person chose`);
      assert.equal(shown.routing.method, 'manual', `conversation ${c}: routing stays manual`);
      assert.equal(await RoutingEventModel.countDocuments({ conversationId: id, method: 'manual' }), 1, `conversation ${c}: one manual routing event`);
    }
  });
});
