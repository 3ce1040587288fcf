import { Schema, model, type InferSchemaType } from 'mongoose';

export const SURFACES = ['slack', 'api', 'cli', 'inbox', 'system'] as const;
export type Surface = (typeof SURFACES)[number];

export const TARGET_KINDS = ['conversation', 'token', 'sender', 'department', 'model', 'person', 'customer', 'retention', 'history'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/**
 * One action, append-only: nothing in the code updates or deletes these (src/audit has no such path; retention and
 * erasure leave them). `before`/`after` hold only the fields that changed, and never a customer's text.
 */
const auditRecordSchema = new Schema(
  {
    /** `slack:U123`, `token:anna`, `cli:<os user>`, `system:<job>` */
    actor: { type: String, required: true },
    surface: { type: String, enum: SURFACES, required: true },
    /** `conversation.assigned`, `token.created`, `customer.erased`, ... */
    action: { type: String, required: true },
    target: {
      type: new Schema({ kind: { type: String, enum: TARGET_KINDS, required: true }, id: { type: String, required: true } }, { _id: false }),
      required: true,
    },
    before: { type: Schema.Types.Mixed, default: undefined },
    after: { type: Schema.Types.Mixed, default: undefined },
    /** counts and other facts about the action (an erasure's counts), never content */
    details: { type: Schema.Types.Mixed, default: undefined },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false, minimize: true },
);

// GET /api/audit: newest first, keyset on (createdAt, _id), after each filter's equality field
auditRecordSchema.index({ createdAt: -1, _id: -1 });
auditRecordSchema.index({ 'target.id': 1, createdAt: -1, _id: -1 });
auditRecordSchema.index({ actor: 1, createdAt: -1, _id: -1 });
auditRecordSchema.index({ action: 1, createdAt: -1, _id: -1 });
auditRecordSchema.index({ surface: 1, createdAt: -1, _id: -1 });

export type AuditRecordDoc = InferSchemaType<typeof auditRecordSchema>;
export const AuditRecordModel = model('AuditRecord', auditRecordSchema, 'audit_records');
