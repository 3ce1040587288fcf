import { Schema, model } from 'mongoose';

/** Who may do a piece of work right now (poll one account); taken by insert, the one atomic write FerretDB has. */
const leaseSchema = new Schema(
  {
    _id: { type: String, required: true },
    owner: { type: String, required: true },
    until: { type: Date, required: true },
  },
  { versionKey: false },
);

export const LeaseModel = model('Lease', leaseSchema);

/** One document per expired lease taken over, so only one poller wins the takeover. */
const leaseTakeoverSchema = new Schema({ _id: { type: String, required: true } }, { versionKey: false, timestamps: { createdAt: true, updatedAt: false } });

export const LeaseTakeoverModel = model('LeaseTakeover', leaseTakeoverSchema);
