import type { BusinessHours, SlaPolicy } from './sla';

/** Routing rules that win over the model: a keyword or phrase in the text, or a known author. */
export interface DepartmentRules {
  keywords?: string[];
  /** handles (with or without @) or author ids */
  authors?: string[];
}

export interface Department {
  key: string;
  name: string;
  rules?: DepartmentRules;
  /** what the department handles, in a sentence or two (any language); taught to the model while it has few examples */
  description?: string;
  /** example messages it should receive (English and German alike), taught like the description */
  examples?: string[];
  /** Slack channel id (C...) the department hears about its conversations in */
  slackChannel?: string;
  sla: SlaPolicy;
  /** how a thread reply leaves: at once, after the author's Send, or after an approver's approval (absent: REPLY_POLICY) */
  replyPolicy?: ReplyPolicy;
  /** resolved conversations older than this many days are deleted by the retention job (absent: RETENTION_DAYS, else kept) */
  retentionDays?: number;
}

export const REPLY_POLICIES = ['direct', 'confirm', 'approval'] as const;
export type ReplyPolicy = (typeof REPLY_POLICIES)[number];

/** Conversations below the confidence threshold wait here for a person to route them. */
export const TRIAGE = 'triage';

/** Office hours of the defaults: Monday to Friday, 9 to 17, Berlin time. */
const OFFICE: BusinessHours = {
  timeZone: 'Europe/Berlin',
  week: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] },
};

/** Support answers round the clock; the others in office hours (a business day is 480 minutes). */
export const DEFAULT_DEPARTMENTS: readonly Department[] = [
  { key: 'support', name: 'Customer support', sla: { firstResponseMinutes: 60, nextResponseMinutes: 120, resolutionMinutes: 24 * 60 } },
  { key: 'sales', name: 'Sales', sla: { firstResponseMinutes: 120, nextResponseMinutes: 240, resolutionMinutes: 3 * 480, businessHours: OFFICE } },
  { key: 'product', name: 'Product (R&D)', sla: { firstResponseMinutes: 480, resolutionMinutes: 10 * 480, businessHours: OFFICE } },
  { key: 'hr', name: 'People (HR)', sla: { firstResponseMinutes: 480, nextResponseMinutes: 960, resolutionMinutes: 5 * 480, businessHours: OFFICE } },
  { key: 'other', name: 'Communications', sla: { firstResponseMinutes: 480, resolutionMinutes: 5 * 480, businessHours: OFFICE } },
];
