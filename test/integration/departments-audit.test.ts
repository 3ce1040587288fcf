import assert from 'node:assert/strict';
import { syncDepartmentsAudited } from '../../src/audit/admin';
import { loadDepartments } from '../../src/config/departments';
import { AuditRecordModel } from '../../src/store/models/audit-record';
import { listDepartments } from '../../src/store/repositories/departments';
import { clearCollections, useTestDatabase } from '../support/database';

describe('departments at start: each change of a policy is in the audit trail (FerretDB)', () => {
  useTestDatabase();
  beforeEach(() => clearCollections());

  it('records a reply policy or retention put in, changed and taken out, and the store follows the file', async () => {
    const defaults = loadDepartments(undefined);
    await syncDepartmentsAudited(defaults);
    const hr = (policy?: 'approval' | 'confirm', retentionDays?: number) =>
      defaults.map((d) => (d.key === 'hr' ? { ...d, ...(policy ? { replyPolicy: policy } : {}), ...(retentionDays ? { retentionDays } : {}) } : d));
    await syncDepartmentsAudited(hr('approval', 90));
    await syncDepartmentsAudited(hr('confirm', 90));
    await syncDepartmentsAudited(hr());

    const changes = await AuditRecordModel.find({ action: 'department.changed' }).sort({ createdAt: 1, _id: 1 }).lean();
    assert.deepEqual(changes.map((r): unknown[] => [r.target.id, r.before as unknown, r.after as unknown]), [
      ['hr', { replyPolicy: null, retentionDays: null }, { replyPolicy: 'approval', retentionDays: 90 }],
      ['hr', { replyPolicy: 'approval' }, { replyPolicy: 'confirm' }],
      ['hr', { replyPolicy: 'confirm', retentionDays: 90 }, { replyPolicy: null, retentionDays: null }],
    ]);
    assert.equal(await AuditRecordModel.countDocuments({ action: 'department.added' }), defaults.length, 'the first start adds each department once');
    const stored = (await listDepartments()).find((d) => d.key === 'hr');
    assert.deepEqual([stored?.replyPolicy, stored?.retentionDays], [undefined, undefined], 'a setting taken out of the file is gone from the store');
  });

  it('records each change once when six processes start together on one file', async () => {
    const defaults = loadDepartments(undefined);
    const together = (departments: typeof defaults) => Promise.all(Array.from({ length: 6 }, () => syncDepartmentsAudited(departments)));
    await together(defaults);
    await together(defaults.map((d) => (d.key === 'hr' ? { ...d, retentionDays: 30 } : d)));
    await together(defaults.filter((d) => d.key !== 'hr'));
    const records = await AuditRecordModel.find({ 'target.kind': 'department' }).lean();
    const count = (action: string) => records.filter((r) => r.action === action).length;
    assert.deepEqual([count('department.added'), count('department.changed'), count('department.removed')], [defaults.length, 1, 1]);
  });
});
