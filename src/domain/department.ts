/** SLA targets in minutes; business hours arrive with the SLA work. */
export interface SlaPolicy {
  firstResponseMinutes: number;
  resolutionMinutes: number;
}

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
  /** Slack channel id (C...) the department hears about its conversations in */
  slackChannel?: string;
  sla: SlaPolicy;
}

/** Conversations below the confidence threshold wait here for a person to route them. */
export const TRIAGE = 'triage';

export const DEFAULT_DEPARTMENTS: readonly Department[] = [
  { key: 'support', name: 'Customer support', sla: { firstResponseMinutes: 60, resolutionMinutes: 24 * 60 } },
  { key: 'sales', name: 'Sales', sla: { firstResponseMinutes: 120, resolutionMinutes: 3 * 24 * 60 } },
  { key: 'product', name: 'Product (R&D)', sla: { firstResponseMinutes: 24 * 60, resolutionMinutes: 14 * 24 * 60 } },
  { key: 'hr', name: 'People (HR)', sla: { firstResponseMinutes: 24 * 60, resolutionMinutes: 7 * 24 * 60 } },
  { key: 'other', name: 'Communications', sla: { firstResponseMinutes: 24 * 60, resolutionMinutes: 7 * 24 * 60 } },
];
