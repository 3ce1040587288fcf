import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createReplayConnector } from '../../connectors/replay';
import { readReplayFile } from '../../connectors/replay/file';
import { planHistory } from '../../connectors/replay/history';

const FILE = path.resolve('connectors/replay/example.jsonl');

describe('demo replay plan and loop', () => {
  it('plans the same week on every run: all before now, replies after their message, corrections before replies', () => {
    const lines = readReplayFile(FILE);
    const now = new Date('2026-12-01T12:00:00Z');
    const plan = planHistory(lines, { now, days: 7, count: 150 });
    assert.deepEqual(planHistory(lines, { now, days: 7, count: 150 }), plan, 'seeded: the same figures everywhere');
    assert.equal(plan.length, 150);
    assert.ok(plan[0]!.at.getTime() >= now.getTime() - 7 * 86_400_000 && plan.every((p) => p.at < now && (!p.reply || (p.reply.at > p.correctAt && p.reply.at < now))));
    const delays = plan.filter((p) => p.reply).map((p) => (p.reply!.at.getTime() - p.at.getTime()) / 60_000);
    const slow = delays.filter((m) => m > 120).length;
    assert.ok(slow > 5 && slow < delays.length / 4, `a few slow replies (breaches): ${slow} of ${delays.length}`);
    assert.ok(plan.filter((p) => !p.reply).length > 0, 'some never answered');
  });

  it('starts the file over at its end with new ids, so the live replay keeps going', async () => {
    const connector = createReplayConnector({ file: FILE, batchSize: 2 });
    const last = await connector.pull({ line: String(connector.size - 1) });
    assert.deepEqual(last.messages.map((m) => m.externalId), ['demo-0286', 'demo-0001~2']);
    assert.equal(last.cursor.line, String(connector.size + 1));
    assert.notEqual(last.messages[1]!.threadKey, (await connector.pull(null)).messages[0]!.threadKey);
  });

  it('plays a line under the channel it names, owned by the replay account, and answers on each of them', async () => {
    const connector = createReplayConnector({ file: FILE, batchSize: 300 });
    const { messages } = await connector.pull(null);
    const channels = new Set(messages.map((m) => `${m.channel}:${m.account}`));
    assert.deepEqual([...channels].sort(), ['bluesky:demo', 'email:demo', 'mastodon:demo', 'replay:demo']);
    assert.deepEqual([...connector.channels].sort(), ['bluesky', 'email', 'mastodon', 'replay']);
    const history = planHistory(readReplayFile(FILE), { now: new Date('2026-12-01T12:00:00Z'), days: 7, count: 150 });
    assert.deepEqual([...new Set(history.map((h) => h.line.channel ?? 'replay'))].sort(), ['bluesky', 'email', 'mastodon', 'replay'], 'the week shows them all');
  });

  it('refuses a line naming a channel the replay cannot show, with its line number', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-'));
    const file = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(file, `${JSON.stringify({ source: 'demo', channel: 'fax', externalId: 'f1', author: { name: 'A' }, text: 'hi' })}\n`);
    try {
      assert.throws(() => readReplayFile(file), /bad\.jsonl:1: channel: one of bluesky, mastodon, email/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
