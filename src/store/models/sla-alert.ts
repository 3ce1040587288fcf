import { Schema, model, type InferSchemaType } from 'mongoose';

/** One SLA warning or breach alert; its id (conversation, target, due time, kind) makes it happen once. */
const slaAlertSchema = new Schema(
  {
    _id: { type: String, required: true },
    conversationId: { type: Schema.Types.ObjectId, required: true },
    department: { type: String, required: true },
    target: { type: String, enum: ['firstResponse', 'nextResponse', 'resolution'], required: true },
    kind: { type: String, enum: ['warning', 'breach'], required: true },
    dueAt: { type: Date, required: true },
    postedAt: Date,
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);

// retention and erasure remove a conversation's alerts
slaAlertSchema.index({ conversationId: 1 });

export type SlaAlertDoc = InferSchemaType<typeof slaAlertSchema>;
export const SlaAlertModel = model('SlaAlert', slaAlertSchema);
