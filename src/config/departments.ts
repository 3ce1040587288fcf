import fs from 'node:fs';
import { z } from 'zod';
import { DEFAULT_DEPARTMENTS, REPLY_POLICIES, TRIAGE, type Department } from '../domain/department';
import { validateSlaPolicy, type SlaPolicy } from '../domain/sla';
import { ConfigError } from './index';

const departmentSchema = z
  .object({
    key: z
      .string()
      .regex(/^[a-z][a-z0-9_-]{0,39}$/, 'lowercase letters, digits, _ and -, starting with a letter')
      .refine((k) => k !== TRIAGE, `"${TRIAGE}" is reserved for the triage queue`),
    name: z.string().trim().min(1).max(100),
    description: z.string().trim().min(3).max(1000).optional(),
    examples: z.array(z.string().trim().min(3).max(500)).max(100).optional(),
    slackChannel: z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'a Slack channel id such as C0123ABCD').optional(),
    rules: z
      .object({
        keywords: z.array(z.string().trim().min(2).max(100)).max(200).optional(),
        authors: z.array(z.string().trim().min(1).max(100)).max(200).optional(),
      })
      .strict()
      .optional(),
    sla: z
      .object({
        firstResponseMinutes: z.number().positive(),
        nextResponseMinutes: z.number().positive().optional(),
        resolutionMinutes: z.number().positive(),
        businessHours: z.unknown().optional(),
      })
      .strict()
      .superRefine((policy, ctx) => {
        for (const message of validateSlaPolicy(policy)) ctx.addIssue({ code: 'custom', message });
      })
      .transform((policy) => policy as SlaPolicy),
    replyPolicy: z.enum(REPLY_POLICIES).optional(),
    retentionDays: z.number().int('whole days').min(1).max(36_500).optional(),
  })
  .strict();

const fileSchema = z
  .array(departmentSchema)
  .min(1)
  .refine((list) => new Set(list.map((d) => d.key)).size === list.length, 'department keys must be unique');

/** The departments in force: the file's when DEPARTMENTS_FILE is set, else the defaults. */
export function loadDepartments(file: string | undefined): Department[] {
  if (!file) return DEFAULT_DEPARTMENTS.map((d) => ({ ...d, sla: { ...d.sla } }));
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError([`DEPARTMENTS_FILE: cannot read ${file}: ${(err as Error).message}`]);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `DEPARTMENTS_FILE: ${file} [${i.path.join('.')}]: ${i.message}`));
  }
  return parsed.data;
}
