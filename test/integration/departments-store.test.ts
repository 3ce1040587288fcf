import assert from 'node:assert/strict';
import type { Department } from '../../src/domain/department';
import { DepartmentModel } from '../../src/store/models/department';
import { listDepartments, syncDepartments } from '../../src/store/repositories/departments';
import { useTestDatabase } from '../support/database';

describe('departments in the store', () => {
  useTestDatabase();

  const legal: Department = {
    key: 'legal',
    name: 'Legal',
    sla: {
      firstResponseMinutes: 240,
      resolutionMinutes: 4800,
      businessHours: {
        timeZone: 'Europe/Berlin',
        week: { mon: [['08:00', '12:00'], ['13:00', '17:00']], sat: [['10:00', '24:00']] },
        holidays: ['2026-12-24'],
      },
    },
  };

  it('keeps business hours as nested arrays of periods (split shifts, holidays) and reads them back unchanged', async () => {
    await syncDepartments([legal, { key: 'other', name: 'Other', sla: { firstResponseMinutes: 60, resolutionMinutes: 600 } }]);
    const stored = await DepartmentModel.collection.findOne({ key: 'legal' });
    assert.deepEqual(stored?.sla.businessHours.week.mon, [['08:00', '12:00'], ['13:00', '17:00']]);
    const [read] = (await listDepartments()).filter((d) => d.key === 'legal');
    assert.deepEqual(read?.sla.businessHours, legal.sla.businessHours);
  });

  it('drops the business hours of a department whose new policy has none', async () => {
    await syncDepartments([{ ...legal, sla: { firstResponseMinutes: 240, resolutionMinutes: 4800 } }]);
    const [read] = await listDepartments();
    assert.equal(read?.sla.businessHours, undefined);
    assert.deepEqual((await listDepartments()).map((d) => d.key), ['legal']);
  });

  it('reports what a sync added, changed and removed, and moves updatedAt only on a change', async () => {
    const other: Department = { key: 'other', name: 'Other', sla: { firstResponseMinutes: 60, resolutionMinutes: 600 } };
    await DepartmentModel.deleteMany({});
    assert.deepEqual(await syncDepartments([legal, other]), { added: ['legal', 'other'], changed: [], removed: [] });
    const first = (await DepartmentModel.findOne({ key: 'legal' }).lean())!;
    assert.ok(first.createdAt instanceof Date && first.updatedAt instanceof Date);
    await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(await syncDepartments([legal, other]), { added: [], changed: [], removed: [] }, 'the same file changes nothing');
    assert.equal((await DepartmentModel.findOne({ key: 'legal' }).lean())!.updatedAt.getTime(), first.updatedAt.getTime());
    assert.deepEqual(await syncDepartments([{ ...legal, name: 'Legal & Compliance' }]), { added: [], changed: ['legal'], removed: ['other'] });
    const changed = (await DepartmentModel.findOne({ key: 'legal' }).lean())!;
    assert.ok(changed.updatedAt > first.updatedAt);
    assert.equal(changed.createdAt.getTime(), first.createdAt.getTime());
  });
});
