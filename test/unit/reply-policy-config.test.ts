import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';
import { checkStartup } from '../../src/config/startup';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  assert.fail('expected a ConfigError');
}

const sla = { firstResponseMinutes: 60, resolutionMinutes: 600 };
function departmentsFile(entries: unknown[]): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sb-policy-')), 'departments.json');
  fs.writeFileSync(file, JSON.stringify(entries));
  return file;
}

describe('reply policies checked at start', () => {
  it('a departments file with a bad replyPolicy is refused, naming the entry and the field and the choices', () => {
    const file = departmentsFile([
      { key: 'support', name: 'Support', replyPolicy: 'confirm', sla },
      { key: 'hr', name: 'People (HR)', replyPolicy: 'four-eyes', sla },
    ]);
    const problems = problemsOf(() => checkStartup(loadConfig({ DEPARTMENTS_FILE: file })));
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0]!, /^DEPARTMENTS_FILE: .*departments\.json \[1\.replyPolicy\]: .*"direct".*"confirm".*"approval"/);
  });

  it('a good file gives each department its policy; one without takes REPLY_POLICY at run time', () => {
    const file = departmentsFile([
      { key: 'support', name: 'Support', replyPolicy: 'confirm', sla },
      { key: 'hr', name: 'People (HR)', replyPolicy: 'approval', sla },
      { key: 'sales', name: 'Sales', sla },
    ]);
    const config = loadConfig({ DEPARTMENTS_FILE: file, REPLY_POLICY: 'approval' });
    assert.deepEqual(checkStartup(config).map((d) => [d.key, d.replyPolicy ?? null]), [['support', 'confirm'], ['hr', 'approval'], ['sales', null]]);
    assert.equal(config.replyPolicy, 'approval');
  });

  it('REPLY_POLICY must be direct, confirm or approval; empty means direct', () => {
    assert.match(problemsOf(() => loadConfig({ REPLY_POLICY: 'sometimes' }))[0]!, /^REPLY_POLICY: one of direct, confirm, approval/);
    assert.equal(loadConfig({ REPLY_POLICY: '' }).replyPolicy, 'direct');
    assert.equal(loadConfig({}).replyPolicy, 'direct');
  });
});
