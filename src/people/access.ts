import { PersonModel, type PersonRole } from '../store/models/person';

/** What an action needs: `agent` replies and presses the card's buttons, `approver` decides on others' drafts. */
export type Need = 'agent' | 'approver';

/** A manager and an admin may do both; an approver only approves (give both roles to someone who also answers). */
const GRANTS: Record<PersonRole, readonly Need[]> = { agent: ['agent'], approver: ['approver'], manager: ['agent', 'approver'], admin: ['agent', 'approver'] };

export type Access =
  | { ok: true; person?: { name: string; slackUserId: string } }
  | { ok: false; why: 'unknown' | 'role' | 'department' };

/** Whether anyone is on the people list: while nobody is, Slack users are not checked (existing installs keep working). */
export async function peopleChecked(): Promise<boolean> {
  return (await PersonModel.exists({})) !== null;
}

/** May this Slack user do `need` in `department` (any department when absent)? Always yes while the people list is empty. */
export async function slackAccess(slackUserId: string, need: Need, department?: string): Promise<Access> {
  const person = await PersonModel.findOne({ slackUserId }).lean();
  if (!person) return (await peopleChecked()) ? { ok: false, why: 'unknown' } : { ok: true };
  if (!person.roles.some((r) => GRANTS[r].includes(need))) return { ok: false, why: 'role' };
  // an admin works for every department; an empty list means every department too
  const everywhere = person.roles.includes('admin') || person.departments.length === 0;
  if (department && !everywhere && !person.departments.includes(department)) return { ok: false, why: 'department' };
  return { ok: true, person: { name: person.name, slackUserId: person.slackUserId } };
}
