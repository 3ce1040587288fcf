import assert from 'node:assert/strict';
import request from 'supertest';
import { AuditRecordModel } from '../../src/store/models/audit-record';
import { PersonModel } from '../../src/store/models/person';
import { bearer, testApp } from '../support/app';
import { testFerretdbUri } from '../setup/ferretdb';
import { clearCollections, useTestDatabase } from '../support/database';
import { runScript } from '../support/process';

type Detail = { field: string; message: string };
const fields = (body: { error: { details: Detail[] } }) => body.error.details.map((d) => d.field);

describe('people: /api/people and the person CLI', () => {
  useTestDatabase();
  beforeEach(() => clearCollections());

  it('an admin token adds, lists, finds, changes and removes people; a second add of the same Slack user is a 409', async () => {
    const app = testApp();
    const admin = await bearer('admin');
    const anna = await request(app).post('/api/people').set('Authorization', admin).send({ slackUserId: 'U0ANNA0001', name: 'Anna', roles: ['agent', 'approver', 'agent'], departments: ['hr'] }).expect(201);
    assert.deepEqual([anna.body.data.slackUserId, anna.body.data.name, anna.body.data.roles, anna.body.data.departments], ['U0ANNA0001', 'Anna', ['agent', 'approver'], ['hr']]);
    await request(app).post('/api/people').set('Authorization', admin).send({ slackUserId: 'U0BERT0001', name: 'Bert', roles: ['manager'] }).expect(201);
    const again = await request(app).post('/api/people').set('Authorization', admin).send({ slackUserId: 'U0ANNA0001', name: 'Anna B', roles: ['agent'] }).expect(409);
    assert.deepEqual(fields(again.body), ['slackUserId']);

    const list = await request(app).get('/api/people').set('Authorization', admin).expect(200);
    assert.deepEqual(list.body.data.map((p: { name: string; departments: string[] }) => [p.name, p.departments]), [['Anna', ['hr']], ['Bert', []]]);
    const bySlack = await request(app).get('/api/people/U0ANNA0001').set('Authorization', admin).expect(200);
    assert.equal(bySlack.body.data.id, anna.body.data.id);

    const changed = await request(app).patch(`/api/people/${anna.body.data.id as string}`).set('Authorization', admin).send({ roles: ['agent'], departments: ['hr', 'sales'] }).expect(200);
    assert.deepEqual([changed.body.data.name, changed.body.data.roles, changed.body.data.departments], ['Anna', ['agent'], ['hr', 'sales']]);
    assert.deepEqual((await PersonModel.findOne({ slackUserId: 'U0ANNA0001' }).lean())?.roles, ['agent']);

    await request(app).delete('/api/people/U0ANNA0001').set('Authorization', admin).expect(200);
    const gone = await request(app).get('/api/people/U0ANNA0001').set('Authorization', admin).expect(404);
    assert.match(gone.body.error.message, /no person with id or Slack user id U0ANNA0001/);
    await request(app).patch('/api/people/U0ANNA0001').set('Authorization', admin).send({ name: 'Anna' }).expect(404);
    await request(app).delete('/api/people/U0ANNA0001').set('Authorization', admin).expect(404);
    assert.deepEqual((await PersonModel.find().lean()).map((p) => p.name), ['Bert']);

    const audit = await AuditRecordModel.find({ 'target.kind': 'person' }).sort({ createdAt: 1, _id: 1 }).lean();
    assert.deepEqual(audit.map((r) => [r.action, r.surface, r.actor.startsWith('token:')]), [
      ['person.added', 'api', true], ['person.added', 'api', true], ['person.changed', 'api', true], ['person.removed', 'api', true],
    ], 'each change of people once in the audit trail, refused ones not at all');
    assert.deepEqual([audit[2]?.before, audit[2]?.after], [{ departments: ['hr'], roles: ['agent', 'approver'] }, { departments: ['hr', 'sales'], roles: ['agent'] }]);
  });

  it('a bad body is a 400 naming the field, and stores nothing', async () => {
    const app = testApp();
    const admin = await bearer('admin');
    const bad: Array<[Record<string, unknown>, string[], RegExp]> = [
      [{ slackUserId: 'anna', name: 'Anna', roles: ['agent'] }, ['slackUserId'], /a Slack user id such as U0123ABCD/],
      [{ slackUserId: 'U0ANNA0001', name: 'Anna', roles: [] }, ['roles'], /give at least one role/],
      [{ slackUserId: 'U0ANNA0001', name: 'Anna', roles: ['boss'] }, ['roles[0]'], /agent/],
      [{ slackUserId: 'U0ANNA0001', roles: ['agent'] }, ['name'], /./],
      [{ slackUserId: 'U0ANNA0001', name: 'Anna', roles: ['agent'], team: 'x' }, ['(body)'], /team/],
      [{ slackUserId: 'U0ANNA0001', name: 'Anna', roles: ['agent'], departments: ['legal'] }, ['departments'], /unknown: legal/],
    ];
    for (const [body, expected, message] of bad) {
      const res = await request(app).post('/api/people').set('Authorization', admin).send(body).expect(400);
      assert.equal(res.body.error.code, 'validation_failed', JSON.stringify(body));
      assert.deepEqual(fields(res.body), expected, JSON.stringify(res.body));
      assert.match(res.body.error.details.map((d: Detail) => d.message).join(' '), message, JSON.stringify(res.body));
    }
    const notJson = await request(app).post('/api/people').set('Authorization', admin).set('Content-Type', 'application/json').send('{"slackUserId":').expect(400);
    assert.equal(notJson.body.error.code, 'invalid_json');
    assert.equal(await PersonModel.countDocuments(), 0);

    await request(app).post('/api/people').set('Authorization', admin).send({ slackUserId: 'U0ANNA0001', name: 'Anna', roles: ['agent'] }).expect(201);
    const empty = await request(app).patch('/api/people/U0ANNA0001').set('Authorization', admin).send({}).expect(400);
    assert.match(empty.body.error.message, /give name, departments or roles/);
    const badRole = await request(app).patch('/api/people/U0ANNA0001').set('Authorization', admin).send({ roles: ['root'] }).expect(400);
    assert.deepEqual(fields(badRole.body), ['roles[0]']);
    const badDept = await request(app).patch('/api/people/U0ANNA0001').set('Authorization', admin).send({ departments: ['nowhere'] }).expect(400);
    assert.deepEqual(fields(badDept.body), ['departments']);
    assert.deepEqual((await PersonModel.findOne().lean())?.roles, ['agent'], 'the refused changes changed nothing');
  });

  it('only an admin token may see or change people: 403 for agent and manager, 401 without a token', async () => {
    const app = testApp();
    await request(app).post('/api/people').set('Authorization', await bearer('admin')).send({ slackUserId: 'U0ANNA0001', name: 'Anna', roles: ['agent'] }).expect(201);
    for (const role of ['agent', 'manager'] as const) {
      const token = await bearer(role);
      const res = await request(app).get('/api/people').set('Authorization', token).expect(403);
      assert.match(res.body.error.message, new RegExp(`needs a token with role admin; yours has role ${role}`));
      await request(app).post('/api/people').set('Authorization', token).send({ slackUserId: 'U0EVE00001', name: 'Eve', roles: ['admin'] }).expect(403);
      await request(app).patch('/api/people/U0ANNA0001').set('Authorization', token).send({ roles: ['admin'] }).expect(403);
      await request(app).delete('/api/people/U0ANNA0001').set('Authorization', token).expect(403);
    }
    await request(app).get('/api/people').expect(401);
    assert.deepEqual((await PersonModel.find().lean()).map((p) => [p.name, p.roles]), [['Anna', ['agent']]]);
  });

  it('the CLI adds, lists, changes and removes a person, and refuses a bad role or department naming the option', async function () {
    this.timeout(180_000); // several CLI processes, each connecting to the store
    const env = { MONGODB_URI: testFerretdbUri(), DB_NAME: `cli_people_${Date.now()}` };
    const cli = (...args: string[]) => runScript('src/cli/main.ts', ['person', ...args], env).done;

    const added = await cli('add', '--slack', 'U0ANNA0001', '--name', 'Anna', '--roles', 'agent,approver', '--departments', 'hr,sales');
    assert.equal(added.code, 0, added.stderr);
    const anna = JSON.parse(added.stdout) as { id: string; roles: string[]; departments: string[] };
    assert.deepEqual([anna.roles, anna.departments], [['agent', 'approver'], ['hr', 'sales']]);
    const twice = await cli('add', '--slack', 'U0ANNA0001', '--name', 'Anna', '--roles', 'agent');
    assert.equal(twice.code, 1);
    assert.match(twice.stderr, /Slack user U0ANNA0001 is on the list already/);
    const badRole = await cli('add', '--slack', 'U0BERT0001', '--name', 'Bert', '--roles', 'boss');
    assert.equal(badRole.code, 1);
    assert.match(badRole.stderr, /--roles\.0: Invalid option/);
    const badDept = await cli('add', '--slack', 'U0BERT0001', '--name', 'Bert', '--roles', 'agent', '--departments', 'legal');
    assert.equal(badDept.code, 1);
    assert.match(badDept.stderr, /--departments: no department legal/);

    const set = await cli('set', anna.id, '--roles', 'manager', '--departments', '');
    assert.equal(set.code, 0, set.stderr);
    assert.deepEqual((JSON.parse(set.stdout) as { roles: string[]; departments: string[] }).departments, []);
    const table = await cli('list');
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout.split('\n').find((line) => line.includes('U0ANNA0001')) ?? '', /Anna\s+manager\s+\(all\)/);

    const removed = await cli('remove', 'U0ANNA0001');
    assert.equal(removed.code, 0, removed.stderr);
    const none = await cli('list', '--json');
    assert.deepEqual(JSON.parse(none.stdout), []);
    const missing = await cli('remove', 'U0ANNA0001');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no person U0ANNA0001/);
  });
});
