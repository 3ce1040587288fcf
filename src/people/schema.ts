import { z } from 'zod';
import { PERSON_ROLES } from '../store/models/person';

const slackUserId = z.string().trim().regex(/^[UW][A-Z0-9]{2,20}$/, 'a Slack user id such as U0123ABCD');
const departmentKey = z.string().trim().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'a department key');

/** A person to add: the API's POST /api/people body and the CLI's `person add` options. */
export const personBody = z
  .object({
    slackUserId,
    name: z.string().trim().min(1).max(100),
    departments: z.array(departmentKey).max(100).default([]).describe('department keys; empty: every department'),
    roles: z.array(z.enum(PERSON_ROLES)).min(1, 'give at least one role').max(4).describe('agent, approver, manager, admin'),
  })
  .strict();

/** What `person set` / PATCH /api/people/:id may change. */
export const personPatch = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    departments: z.array(departmentKey).max(100).optional(),
    roles: z.array(z.enum(PERSON_ROLES)).min(1, 'give at least one role').max(4).optional(),
  })
  .strict()
  .refine((p) => p.name !== undefined || p.departments !== undefined || p.roles !== undefined, 'give name, departments or roles');

export const person = z.object({
  id: z.string(),
  slackUserId: z.string(),
  name: z.string(),
  departments: z.array(z.string()),
  roles: z.array(z.enum(PERSON_ROLES)),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
});

export type PersonInput = z.infer<typeof personBody>;
export type PersonChange = z.infer<typeof personPatch>;
export type PersonView = z.infer<typeof person>;
