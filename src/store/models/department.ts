import { Schema, model, type InferSchemaType } from 'mongoose';

const departmentSchema = new Schema(
  {
    key: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    slackChannel: String,
    rules: { type: new Schema({ keywords: [String], authors: [String] }, { _id: false }), default: undefined },
    sla: {
      firstResponseMinutes: { type: Number, required: true },
      nextResponseMinutes: Number,
      resolutionMinutes: { type: Number, required: true },
      /** JSON text: FerretDB stores no nested arrays, and periods are [start, end] pairs */
      businessHoursJson: String,
    },
  },
  { timestamps: true },
);

export type DepartmentDoc = InferSchemaType<typeof departmentSchema>;
export const DepartmentModel = model('Department', departmentSchema);
