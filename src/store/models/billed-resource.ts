import { Schema, model } from 'mongoose';

/**
 * One resource X billed this account for on one UTC day (X bills a second read that day nothing).
 * `_id` is derived from (channel, account, day, resource), so "new today?" is one insert.
 * Days before today are deleted by the spend meter, by account, as it counts a new day.
 */
const billedResourceSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    channel: { type: String, required: true },
    account: { type: String, required: true },
    day: { type: String, required: true },
  },
  { versionKey: false },
);

billedResourceSchema.index({ channel: 1, account: 1, day: 1 });

export const BilledResourceModel = model('BilledResource', billedResourceSchema);

/** A budget warning raised for (channel, account, month); inserted, so it goes out once. */
const spendWarningSchema = new Schema({ _id: { type: Schema.Types.ObjectId, required: true } }, { versionKey: false, timestamps: { createdAt: true, updatedAt: false } });

export const SpendWarningModel = model('SpendWarning', spendWarningSchema);
