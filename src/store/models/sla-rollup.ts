import { Schema, model, type InferSchemaType } from 'mongoose';

/** Business minutes as a histogram: sorted distinct values and how often each occurs (exact nearest-rank percentiles). */
const minutesSchema = new Schema({ v: [Number], n: [Number] }, { _id: false });

/**
 * What the SLA report adds for one UTC day of `firstMessageAt`, one grouping and one key, over the conversations
 * of that day whose figures no longer depend on `now` at `computedAt` (src/sla/rollup.ts). Recomputed whole, never
 * incremented; a key gone from a day keeps a document with volume 0 so a reader sees the day was rewritten.
 */
const slaRollupSchema = new Schema(
  {
    _id: { type: String, required: true },
    day: { type: Date, required: true },
    groupBy: { type: String, enum: ['department', 'channel', 'agent'], required: true },
    key: { type: String, required: true },
    volume: { type: Number, required: true },
    fixed: Number,
    answered: Number,
    firstDue: Number,
    resolutionDue: Number,
    nextDue: Number,
    met: Number,
    // packed histograms (src/sla/minutes.ts toPacked); documents written before them hold frt/res as arrays
    frtPacked: Buffer,
    resPacked: Buffer,
    frt: minutesSchema,
    res: minutesSchema,
    computedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
slaRollupSchema.index({ groupBy: 1, day: 1 });

/**
 * The one state document (`_id` 'sla'): the days the rollups cover, the moment they are valid from (`computedAt`),
 * the `updatedAt` after which a conversation's day is stale (`watermark`), and days a deletion made stale.
 */
const slaRollupStateSchema = new Schema(
  {
    _id: { type: String, required: true },
    coveredFrom: { type: Date, required: true },
    coveredTo: { type: Date, required: true },
    computedAt: { type: Date, required: true },
    watermark: { type: Date, required: true },
    dirtyDays: { type: [new Schema({ day: { type: Date, required: true }, id: { type: String, required: true } }, { _id: false })], default: [] },
  },
  { versionKey: false },
);

export type SlaRollupDoc = InferSchemaType<typeof slaRollupSchema>;
export type SlaRollupStateDoc = InferSchemaType<typeof slaRollupStateSchema>;
export const SlaRollupModel = model('SlaRollup', slaRollupSchema, 'sla_rollups');
export const SlaRollupStateModel = model('SlaRollupState', slaRollupStateSchema, 'sla_rollup_state');
