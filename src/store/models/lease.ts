import { Schema, model } from 'mongoose';

/** Who may do a piece of work right now (poll one account, post one card); taken by one atomic upsert. */
const leaseSchema = new Schema(
  {
    _id: { type: String, required: true },
    owner: { type: String, required: true },
    until: { type: Date, required: true },
  },
  { versionKey: false },
);

export const LeaseModel = model('Lease', leaseSchema);

