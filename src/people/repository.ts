import { Types } from 'mongoose';
import { changedFields, recordAction, type Who } from '../audit/record';
import { insertOnce } from '../store/connection';
import { PersonModel } from '../store/models/person';
import type { PersonChange, PersonInput, PersonView } from './schema';

type Stored = { _id: unknown; slackUserId: string; name: string; departments: string[]; roles: string[]; createdAt?: Date; updatedAt?: Date };

export function presentPerson(p: Stored): PersonView {
  return {
    id: String(p._id), slackUserId: p.slackUserId, name: p.name, departments: p.departments, roles: p.roles as PersonView['roles'],
    ...(p.createdAt ? { createdAt: p.createdAt.toISOString() } : {}),
    ...(p.updatedAt ? { updatedAt: p.updatedAt.toISOString() } : {}),
  };
}

/** Department keys not in force: a person must not be given a department that does not exist. */
export function unknownDepartments(keys: readonly string[], known: (key: string) => boolean): string[] {
  return keys.filter((k) => !known(k));
}

/** Adds a person; null when the Slack user is on the list already (the unique slackUserId). */
export async function addPerson(input: PersonInput, actor: Who): Promise<PersonView | null> {
  const _id = new Types.ObjectId();
  const doc = { _id, ...input, roles: [...new Set(input.roles)], departments: [...new Set(input.departments)] };
  if (!(await insertOnce(() => PersonModel.create(doc)))) return null;
  await recordAction({ actor, action: 'person.added', target: { kind: 'person', id: String(_id) }, after: auditedFields(doc) });
  const stored = await PersonModel.findById(_id).lean();
  return stored && presentPerson(stored);
}

// what the audit trail keeps of a person: who they are in Slack and what they may do
const auditedFields = (p: Pick<Stored, 'slackUserId' | 'name' | 'departments' | 'roles'>) => ({ slackUserId: p.slackUserId, name: p.name, departments: p.departments, roles: p.roles });

const filterOf = (ref: string) => (Types.ObjectId.isValid(ref) && /^[0-9a-f]{24}$/.test(ref) ? { _id: ref } : { slackUserId: ref });

/** Changes a person found by id or Slack user id; null when there is none. */
export async function setPerson(ref: string, change: PersonChange, actor: Who): Promise<PersonView | null> {
  const $set = {
    ...(change.name !== undefined ? { name: change.name } : {}),
    ...(change.departments ? { departments: [...new Set(change.departments)] } : {}),
    ...(change.roles ? { roles: [...new Set(change.roles)] } : {}),
  };
  const before = await PersonModel.findOneAndUpdate(filterOf(ref), { $set }, { returnDocument: 'before' }).lean();
  if (!before) return null;
  const diff = changedFields(auditedFields(before), auditedFields({ ...before, ...$set }));
  await recordAction({ actor, action: 'person.changed', target: { kind: 'person', id: String(before._id) }, ...diff });
  const updated = await PersonModel.findById(before._id).lean();
  return updated && presentPerson(updated);
}

export async function removePerson(ref: string, actor: Who): Promise<PersonView | null> {
  const removed = await PersonModel.findOneAndDelete(filterOf(ref)).lean();
  if (!removed) return null;
  await recordAction({ actor, action: 'person.removed', target: { kind: 'person', id: String(removed._id) }, before: auditedFields(removed) });
  return presentPerson(removed);
}

export async function getPerson(ref: string): Promise<PersonView | null> {
  const found = await PersonModel.findOne(filterOf(ref)).lean();
  return found && presentPerson(found);
}

export async function listPeople(): Promise<PersonView[]> {
  return (await PersonModel.find().sort({ name: 1, _id: 1 }).limit(5000).lean()).map(presentPerson);
}
