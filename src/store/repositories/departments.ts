import { upsertOnKey } from '../connection';
import type { Department } from '../../domain/department';
import type { BusinessHours } from '../../domain/sla';
import { DepartmentModel } from '../models/department';

/** Makes the stored departments exactly `departments` (conversations keep their keys). */
const OPTIONAL = ['slackChannel', 'rules', 'replyPolicy', 'retentionDays'] as const;

export async function syncDepartments(departments: Department[]): Promise<void> {
  for (const d of departments) {
    // a setting taken out of the file goes from the store too, or its old value would stay in force
    const $unset = Object.fromEntries(OPTIONAL.filter((k) => d[k] === undefined).map((k) => [k, '']));
    const update = { $set: d, ...(Object.keys($unset).length > 0 ? { $unset } : {}) };
    await upsertOnKey(() => DepartmentModel.updateOne({ key: d.key }, update, { upsert: true }));
  }
  await DepartmentModel.deleteMany({ key: { $nin: departments.map((d) => d.key) } });
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
