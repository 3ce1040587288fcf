import assert from 'node:assert/strict';
import { TEST_RUN_ID, testFerretdbUri } from '../setup/ferretdb';
import { openClients, raceAgendaJobs, raceClaims, raceIncrements } from '../support/races';

// Six separate connections race on one record: the test server must be as atomic as MongoDB
describe('the store is atomic under concurrent clients (6 connections)', function () {
  this.timeout(60_000);
  let clients: Awaited<ReturnType<typeof openClients>>;
  const dbName = `atomicity_${TEST_RUN_ID}`;

  before(async () => {
    clients = await openClients(testFerretdbUri(), dbName, 6);
  });
  after(async () => {
    await clients.dbs[0]!.dropDatabase();
    await clients.close();
  });

  it('findOneAndUpdate({_id, owner: null}) gives each record to exactly one client, in 50 of 50 rounds', async () => {
    const winners = await raceClaims(clients.dbs, 50);
    assert.deepEqual(winners, new Array<number>(50).fill(1));
  });

  it('6 × 200 concurrent $inc on one counter end at exactly 1,200', async () => {
    assert.equal(await raceIncrements(clients.dbs, 200), 1200);
  });

  it('4 agenda instances on one database run each of 100 queued jobs exactly once', async () => {
    const runs = await raceAgendaJobs(clients.dbs.slice(0, 4), 100, 15_000);
    assert.deepEqual(runs, new Array<number>(100).fill(1), `runs per job: ${runs.join(',')}`);
  });
});
