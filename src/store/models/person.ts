import { Schema, model, type InferSchemaType } from 'mongoose';

export const PERSON_ROLES = ['agent', 'approver', 'manager', 'admin'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

/** A Slack user as Switchboard knows them: which departments they work for and what they may do there. */
const personSchema = new Schema(
  {
    slackUserId: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    /** department keys; empty: every department */
    departments: { type: [String], default: [] },
    roles: { type: [String], enum: PERSON_ROLES, default: [] },
  },
  { timestamps: true },
);

export type PersonDoc = InferSchemaType<typeof personSchema>;
export const PersonModel = model('Person', personSchema, 'people');
