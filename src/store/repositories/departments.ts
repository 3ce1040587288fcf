import type { Department } from '../../domain/department';
import { DepartmentModel } from '../models/department';

/** Makes the stored departments exactly `departments` (conversations keep their keys). */
export async function syncDepartments(departments: Department[]): Promise<void> {
  for (const d of departments) {
    await DepartmentModel.updateOne({ key: d.key }, { $set: d }, { upsert: true });
  }
  await DepartmentModel.deleteMany({ key: { $nin: departments.map((d) => d.key) } });
}

export async function listDepartments() {
  return DepartmentModel.find().sort({ key: 1 }).lean();
}
