import { Schema, model, type InferSchemaType } from 'mongoose';
import { REPLY_POLICIES } from '../../domain/department';

const periods = { type: [[String]], default: undefined };
/** BusinessHours as the domain has it: per weekday a list of ['HH:MM', 'HH:MM'] periods */
const businessHoursSchema = new Schema(
  {
    timeZone: { type: String, required: true },
    week: { mon: periods, tue: periods, wed: periods, thu: periods, fri: periods, sat: periods, sun: periods },
    holidays: { type: [String], default: undefined },
  },
  { _id: false },
);

const departmentSchema = new Schema(
  {
    key: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    slackChannel: String,
    rules: { type: new Schema({ keywords: [String], authors: [String] }, { _id: false }), default: undefined },
    /** the departments file's replyPolicy (absent: REPLY_POLICY), kept so a change of it is audited */
    replyPolicy: { type: String, enum: REPLY_POLICIES },
    /** the departments file's retentionDays (src/retention) */
    retentionDays: Number,
    sla: {
      firstResponseMinutes: { type: Number, required: true },
      nextResponseMinutes: Number,
      resolutionMinutes: { type: Number, required: true },
      businessHours: { type: businessHoursSchema, default: undefined },
    },
  },
  { timestamps: true },
);

export type DepartmentDoc = InferSchemaType<typeof departmentSchema>;
export const DepartmentModel = model('Department', departmentSchema);
