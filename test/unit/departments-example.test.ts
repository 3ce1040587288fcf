import assert from 'node:assert/strict';
import path from 'node:path';
import { loadDepartments } from '../../src/config/departments';

describe('the example departments file', () => {
  it('loads as a DEPARTMENTS_FILE, and its HR and legal departments need a second pair of eyes', () => {
    const departments = loadDepartments(path.join(__dirname, '..', '..', 'src', 'config', 'departments.example.json'));
    const policy = Object.fromEntries(departments.map((d) => [d.key, d.replyPolicy]));
    assert.equal(policy.hr, 'approval');
    assert.equal(policy.legal, 'approval');
    assert.ok(departments.every((d) => d.replyPolicy), 'every department names its policy');
  });
});
