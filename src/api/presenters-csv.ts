import type { GroupFigures } from '../sla/figures';

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
function field(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const HEADER = ['volume', 'backlog', 'first_response_p50_min', 'first_response_p90_min', 'first_responses', 'resolution_p50_min', 'resolution_p90_min', 'resolutions', 'within_sla_met', 'within_sla_total', 'within_sla_share', 'breaches'];

/** The SLA figures as CSV, one row per group, the same numbers as the JSON. */
export function figuresCsv(groups: GroupFigures[], groupBy: string): string {
  const rows = groups.map((g) => [g.key, g.volume, g.backlog, g.firstResponse.p50, g.firstResponse.p90, g.firstResponse.count, g.resolution.p50, g.resolution.p90, g.resolution.count, g.withinSla.met, g.withinSla.total, g.withinSla.share, g.breaches]);
  return [[groupBy, ...HEADER], ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}
