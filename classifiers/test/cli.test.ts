import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLES, LEGAL } from './fixtures';

const CLI = join(__dirname, '..', 'cli.ts');
const run = (args: string[], input?: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { encoding: 'utf8', input, timeout: 30_000 });
const csv = (rows: { text: string; label: string; lang?: string }[]) =>
  'text,label,lang,source\n' + rows.map((r) => `"${r.text.replace(/"/g, '""')}",${r.label},${r.lang ?? ''},fixture`).join('\n');

describe('classifiers: command line', function () {
  this.timeout(60_000);
  let dir: string;
  before(function () {
    dir = mkdtempSync(join(tmpdir(), 'classifier-cli-'));
    writeFileSync(join(dir, 'train.csv'), csv(EXAMPLES.filter((_, i) => i % 4 !== 0)));
    writeFileSync(join(dir, 'test.csv'), csv(EXAMPLES.filter((_, i) => i % 4 === 0)));
    writeFileSync(join(dir, 'history.jsonl'), [...EXAMPLES, ...LEGAL].map((e) => JSON.stringify(e)).join('\n'));
  });
  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  it('evaluate --json prints exactly one JSON object with the figures', function () {
    const r = run(['evaluate', '--train', join(dir, 'train.csv'), '--test', join(dir, 'test.csv'), '--json']);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const out = JSON.parse(lines[0]!) as Record<string, unknown>;
    for (const key of ['accuracy', 'macroF1', 'perClass', 'perLang', 'confusion', 'ece', 'trainSeconds', 'classifyPerSecond']) {
      assert.ok(key in out, `missing ${key}`);
    }
    assert.deepEqual(Object.keys(out.perLang as object).sort(), ['de', 'en']);
  });

  it('train learns departments outside the defaults, and predict answers per text or per stdin line', function () {
    const model = join(dir, 'model.json');
    const t = run(['train', '--data', join(dir, 'history.jsonl'), '--out', model]);
    assert.equal(t.status, 0, t.stderr);
    assert.ok((JSON.parse(t.stdout) as { labels: string[] }).labels.includes('legal'));
    assert.ok(!readFileSync(model, 'utf8').includes(LEGAL[0]!.text));
    const p = run(['predict', '--model', model, 'Please delete my personal data under GDPR']);
    assert.equal(p.status, 0, p.stderr);
    assert.equal((JSON.parse(p.stdout) as { label: string }).label, 'legal');
    const s = run(['predict', '--model', model], 'Die App stürzt ab\n\nI want to apply for a job\n');
    const lines = s.stdout.trim().split('\n').map((l) => JSON.parse(l) as { label: string; lang: string });
    assert.deepEqual(lines.map((l) => [l.label, l.lang]), [['product', 'de'], ['hr', 'en']]);
  });

  it('exits with code 2 and a message on stderr for invalid arguments', function () {
    for (const args of [['evaluate', '--train', join(dir, 'train.csv')], ['fly'], ['train', '--data', join(dir, 'nope.csv'), '--out', 'x'], ['predict', '--modell', 'x'], []]) {
      const r = run(args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /usage|required|not found|unknown/i);
    }
  });
});
