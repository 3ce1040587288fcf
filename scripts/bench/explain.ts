/** A PostgreSQL plan node as DocumentDB's explain gives it (queryPlanner.Plan). */
interface PlanNode {
  'Node Type'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function describe(node: PlanNode): string {
  const self = `${node['Node Type'] ?? '?'}${node['Index Name'] ? ` ${node['Index Name']}` : ''}`;
  const children = (node.Plans ?? []).map(describe);
  if (!children.length) return self;
  return `${self} > ${children.length === 1 ? children[0] : `(${children.join(', ')})`}`;
}

/** What a DocumentDB explain says in one line: the plan's nodes, outermost first, and the indexes they scan. */
export function planSummary(explain: unknown): string {
  const plan = (explain as { queryPlanner?: { Plan?: PlanNode } } | null)?.queryPlanner?.Plan;
  return plan ? describe(plan) : `no PostgreSQL plan in ${JSON.stringify(explain).slice(0, 200)}`;
}
