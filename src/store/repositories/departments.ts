import { upsertOnKey } from '../connection';
import type { Department } from '../../domain/department';
import type { BusinessHours } from '../../domain/sla';
import { DepartmentModel } from '../models/department';

const OPTIONAL = ['slackChannel', 'rules', 'replyPolicy', 'retentionDays'] as const;

/** The department keys that one sync's own writes added, changed and removed. */
export interface DepartmentsSynced {
  added: string[];
  changed: string[];
  removed: string[];
}

/**
 * Makes the stored departments exactly `departments` (conversations keep their keys). Of processes syncing one
 * file at once, only the one whose write made a change reports it: the others' writes change nothing.
 */
export async function syncDepartments(departments: Department[]): Promise<DepartmentsSynced> {
  const synced: DepartmentsSynced = { added: [], changed: [], removed: [] };
  for (const d of departments) {
    // a setting taken out of the file goes from the store too, or its old value would stay in force
    const $unset = Object.fromEntries(OPTIONAL.filter((k) => d[k] === undefined).map((k) => [k, '']));
    const now = new Date();
    const update = { $set: d, ...(Object.keys($unset).length > 0 ? { $unset } : {}), $setOnInsert: { createdAt: now, updatedAt: now } };
    // without timestamps, so a write that changes nothing is reported unmodified (updatedAt follows a change below)
    const result = await upsertOnKey(() => DepartmentModel.updateOne({ key: d.key }, update, { upsert: true, timestamps: false }));
    if (result.upsertedCount > 0) synced.added.push(d.key);
    else if (result.modifiedCount > 0) {
      synced.changed.push(d.key);
      await DepartmentModel.updateOne({ key: d.key }, { $set: { updatedAt: now } }, { timestamps: false });
    }
  }
  for (const gone of await DepartmentModel.find({ key: { $nin: departments.map((d) => d.key) } }, { key: 1 }).lean()) {
    if ((await DepartmentModel.deleteOne({ key: gone.key })).deletedCount > 0) synced.removed.push(gone.key);
  }
  return synced;
}

export async function listDepartments(): Promise<Department[]> {
  const rows = await DepartmentModel.find().sort({ key: 1 }).lean();
  return rows.map((r) => {
    const sla = r.sla ?? { firstResponseMinutes: 0, resolutionMinutes: 0 };
    return {
    key: r.key,
    name: r.name,
    slackChannel: r.slackChannel ?? undefined,
    ...(r.retentionDays ? { retentionDays: r.retentionDays } : {}),
    ...(r.replyPolicy ? { replyPolicy: r.replyPolicy } : {}),
    rules: r.rules ? { keywords: r.rules.keywords, authors: r.rules.authors } : undefined,
    sla: {
      firstResponseMinutes: sla.firstResponseMinutes,
      nextResponseMinutes: sla.nextResponseMinutes ?? undefined,
      resolutionMinutes: sla.resolutionMinutes,
      businessHours: (sla.businessHours as BusinessHours | null | undefined) ?? undefined,
    },
  };
  });
}
