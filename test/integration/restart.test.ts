import assert from 'node:assert/strict';
import { sleep } from '../../scripts/db/net';
import { postsByKey } from '../support/app-processes';
import { RestartWorld, type Resumed } from '../support/restarts';

const LOCK_LIFETIME_MS = 5000;

// kills its own embedded database: a suite on TEST_MONGODB_URI has none to kill
if (!process.env.TEST_MONGODB_URI?.trim()) {
  /**
   * The real app under load (a slow fake Slack and reply receiver keep posts in flight) is stopped by SIGTERM, killed
   * by SIGKILL, and its database (FerretDB and PostgreSQL) is SIGKILLed and started again on the same folder; after
   * each, the queued cards, follow-ups and replies are done, each once. A job a dead worker held waits out its lock
   * (JOBS_LOCK_LIFETIME_MS, 5 s here), never agenda's 10 minutes; an uncertain post is looked up (Slack metadata) or
   * carries its Idempotency-Key (webhook). On a server whose job claims are not atomic, two processes take one job
   * and a card is posted twice. The time each took is printed (npm run bench:restart measures it), not asserted.
   */
  describe('restarts under load: SIGTERM, kill -9 of the app, kill -9 of the database; everything resumes once', function () {
    this.timeout(1_200_000);
    const world = new RestartWorld(24, LOCK_LIFETIME_MS);
    const results: Record<string, Resumed> = {};
    before(() => world.start());
    after(() => world.close());

    it('SIGTERM while cards are posted: the next process posts the rest', async () => {
      results.sigterm = await world.sigterm();
      assert.ok(results.sigterm.left > 0, 'cards were still queued at the stop');
    });

    it('kill -9 of the app while follow-ups are posted and replies delivered: the next process finishes them', async () => {
      results.killApp = await world.killApp();
      assert.ok(results.killApp.left > 0, 'follow-ups or replies were still to deliver at the kill');
    });

    it('kill -9 of the database while cards are posted: once it is back, the app carries on by itself', async () => {
      results.killDatabase = await world.killDatabase();
      assert.ok(results.killDatabase.left > 0, 'cards were still queued at the kill');
    });

    it('posted every card and follow-up exactly once and delivered each reply', async () => {
      assert.equal(Object.keys(results).length, 3, 'every disruption ran');
      await sleep(2 * LOCK_LIFETIME_MS); // a twin would post within a lock lifetime
      const posts = postsByKey(world.slack);
      const keys = Object.values(results).flatMap((r) => r.keys);
      assert.deepEqual(keys.filter((k) => posts.get(k) !== 1).map((k) => `${k}: ${posts.get(k) ?? 0}`), [], 'every card and follow-up posted exactly once');
      assert.equal(keys.length, 4 * world.batch, 'the cards of three batches and the follow-ups of one');
      // besides them, each delivered reply's line in its card's thread
      assert.equal(posts.size, keys.length + world.replies.length, 'nothing else posted');
      assert.deepEqual([...posts].filter(([, n]) => n !== 1), [], 'every thread line posted once');
      const texts = [...new Map(world.receiver.received.map((r) => [String(r.headers['idempotency-key']), String(r.body.text)])).values()].sort();
      assert.deepEqual(texts, [...world.replies].sort(), 'each reply delivered (one Idempotency-Key each)');
      const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
      for (const [what, r] of Object.entries(results)) {
        process.stdout.write(`      ${what}: last item ${seconds(r.resumeMs)} after the restart (app start-up ${seconds(r.startMs)}), ${r.left} items were left\n`);
      }
    });
  });
}
