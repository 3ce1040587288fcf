import assert from 'node:assert/strict';
import type { Department } from '../../src/domain/department';
import { ChannelAccountModel } from '../../src/store/models/channel-account';
import { ClassifierModelModel } from '../../src/store/models/classifier-model';
import { DepartmentModel } from '../../src/store/models/department';
import { registerAccount } from '../../src/store/repositories/channel-accounts';
import { activeVersion, saveActiveModel } from '../../src/store/repositories/classifier-models';
import { syncDepartments } from '../../src/store/repositories/departments';
import { recordBillables, usageOfMonth } from '../../src/store/repositories/usage';
import { useTestDatabase } from '../support/database';
import { X_PRICES } from '../connectors/x-setup';

const ROUNDS = 20;
const AT_ONCE = 6;

/** Runs `write` AT_ONCE times at once (the pool's own connections, as processes starting together); the errors. */
async function together<T>(write: (i: number) => Promise<T>): Promise<{ values: T[]; errors: string[] }> {
  const settled = await Promise.allSettled(Array.from({ length: AT_ONCE }, (_, i) => write(i)));
  return {
    values: settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : [])),
    errors: settled.flatMap((s) => (s.status === 'rejected' ? [`${(s.reason as { code?: number }).code}: ${(s.reason as Error).message}`] : [])),
  };
}

// Writers racing to create one key of a unique index other than _id: each write takes effect, none fails
describe('writes racing on one new unique key (6 at once, 20 rounds)', function () {
  this.timeout(120_000);
  useTestDatabase();

  it('every process registering the same new account succeeds, and the account is stored once', async () => {
    const errors: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const key = { channel: 'x', account: `brand-${round}` };
      errors.push(...(await together(() => registerAccount(key, 'fingerprint-1'))).errors);
      assert.equal(await ChannelAccountModel.countDocuments(key), 1);
    }
    assert.deepEqual(errors, []);
  });

  it('every process syncing the same departments on a new database succeeds, each department stored once', async () => {
    const departments: Department[] = ['support', 'sales', 'legal'].map((key) => ({ key, name: key, sla: { firstResponseMinutes: 60, resolutionMinutes: 600 } }));
    const errors: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await DepartmentModel.deleteMany({});
      errors.push(...(await together(() => syncDepartments(departments))).errors);
      assert.equal(await DepartmentModel.countDocuments(), 3);
    }
    assert.deepEqual(errors, []);
  });

  it('every process storing and activating a classifier model on a new database gets its own version', async () => {
    const errors: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await ClassifierModelModel.deleteMany({});
      const stored = await together(() => saveActiveModel({ labels: ['sales', 'support'], trainedOn: 1, metrics: {}, data: '{}' }));
      errors.push(...stored.errors);
      if (stored.errors.length > 0) continue;
      assert.deepEqual([...stored.values].sort(), [1, 2, 3, 4, 5, 6]);
      assert.equal(await activeVersion(), 6, 'the newest is in force');
    }
    assert.deepEqual(errors, []);
  });

  it("every process billing an account's first reads of a month counts them", async () => {
    const errors: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const key = { channel: 'x', account: `billed-${round}` };
      const now = new Date('2026-12-01T09:00:00Z');
      errors.push(...(await together((i) => recordBillables(key, [{ kind: 'post_read', id: `${round}-${i}` }], X_PRICES, now))).errors);
      assert.equal((await usageOfMonth(key, '2026-12')).counts.posts, AT_ONCE);
    }
    assert.deepEqual(errors, []);
  });
});
