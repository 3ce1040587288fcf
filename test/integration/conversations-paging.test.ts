import assert from 'node:assert/strict';
import request from 'supertest';
import { Types } from 'mongoose';
import { ConversationModel } from '../../src/store/models/conversation';
import { bearer, testApp } from '../support/app';
import { useTestDatabase } from '../support/database';

const DEPARTMENTS = ['support', 'sales', 'hr'];
const STATUSES = ['open', 'waiting', 'resolved'];
const MINUTE = 60_000;

interface Seeded {
  id: string;
  department: string;
  status: string;
  channel: string;
  lastMessageAt: Date;
}

describe('conversations API paging', () => {
  useTestDatabase();
  const app = testApp();
  let agent: string;
  let seeded: Seeded[] = [];
  const now = Date.now();

  before(async () => {
    agent = await bearer('agent');
    // 60 conversations; every fourth shares its last-message time with its neighbour, so ties need the id to break them;
    // the last twelve lie ever further back (up to ~7 years), so a page may span several of the list's time windows
    const age = (j: number) => j * MINUTE * 2.5 ** Math.max(0, j - 47);
    seeded = Array.from({ length: 60 }, (_, i) => ({
      id: new Types.ObjectId().toHexString(),
      department: DEPARTMENTS[i % 3]!,
      status: STATUSES[Math.floor(i / 3) % 3]!,
      channel: i % 5 === 0 ? 'webhook' : 'x',
      lastMessageAt: new Date(now - age(i - (i % 4 === 1 ? 1 : 0))),
    }));
    await ConversationModel.insertMany(
      seeded.map((c, i) => ({
        _id: c.id, channel: c.channel, account: 'acme', threadKey: `t-${i}`, kind: 'mention', department: c.department,
        routing: { method: 'model', label: c.department, confidence: 0.9 }, status: c.status,
        firstMessageAt: new Date(c.lastMessageAt.getTime() - MINUTE), lastMessageAt: c.lastMessageAt,
      })),
    );
  });

  async function pageThrough(query: string, limit: number): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 100; page++) {
      const res: request.Response = await request(app)
        .get(`/api/conversations?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`)
        .set('Authorization', agent)
        .expect(200);
      const ids: string[] = (res.body.data as Array<{ id: string }>).map((c) => c.id);
      assert.ok(ids.length <= limit);
      seen.push(...ids);
      cursor = res.body.nextCursor as string | null;
      if (!cursor) return seen;
      assert.equal(ids.length, limit, 'a page with a next cursor is full');
    }
    throw new Error('the cursor never ran out');
  }

  const since = new Date(now - 30.5 * MINUTE);
  const cases: Array<[string, string, (c: Seeded) => boolean]> = [
    ['no filter', '', () => true],
    ['department', 'department=sales', (c) => c.department === 'sales'],
    ['status', 'status=waiting', (c) => c.status === 'waiting'],
    ['department and status', 'department=support&status=open', (c) => c.department === 'support' && c.status === 'open'],
    ['channel', 'channel=webhook', (c) => c.channel === 'webhook'],
    ['since', `since=${encodeURIComponent(since.toISOString())}`, (c) => c.lastMessageAt >= since],
    ['department, status and since', `department=hr&status=resolved&since=${encodeURIComponent(since.toISOString())}`, (c) => c.department === 'hr' && c.status === 'resolved' && c.lastMessageAt >= since],
  ];

  for (const [name, query, keep] of cases) {
    it(`pages through every conversation exactly once, latest activity first (${name})`, async () => {
      const expected = seeded
        .filter(keep)
        .sort((a, b) => b.lastMessageAt.getTime() - a.lastMessageAt.getTime() || (a.id < b.id ? 1 : -1))
        .map((c) => c.id);
      assert.ok(expected.length >= 3, 'the case has something to page through');
      for (const limit of [1, 4, 100]) assert.deepEqual(await pageThrough(query, limit), expected, `limit ${limit}`);
    });
  }

  it('moves a conversation with a new message to the top of the list', async () => {
    const oldest = seeded[seeded.length - 1]!;
    await ConversationModel.updateOne({ _id: oldest.id }, { $set: { lastMessageAt: new Date(now + MINUTE) } });
    try {
      const res = await request(app).get('/api/conversations?limit=2').set('Authorization', agent).expect(200);
      assert.equal(res.body.data[0].id, oldest.id);
    } finally {
      await ConversationModel.updateOne({ _id: oldest.id }, { $set: { lastMessageAt: oldest.lastMessageAt } });
    }
  });
});
