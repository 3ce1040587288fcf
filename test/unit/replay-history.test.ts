import assert from 'node:assert/strict';
import path from 'node:path';
import { createReplayConnector } from '../../connectors/replay';
import { readReplayFile } from '../../connectors/replay/file';
import { planHistory } from '../../connectors/replay/history';

const FILE = path.resolve('connectors/replay/example.jsonl');

describe('demo replay plan and loop', () => {
  it('plans the same week on every run: all before now, replies after their message, corrections before replies', () => {
    const lines = readReplayFile(FILE);
    const now = new Date('2026-12-01T12:00:00Z');
    const plan = planHistory(lines, { now, days: 7, count: 143 });
    assert.deepEqual(planHistory(lines, { now, days: 7, count: 143 }), plan, 'seeded: the same figures everywhere');
    assert.equal(plan.length, 143);
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
});
