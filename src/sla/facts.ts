import { ConversationModel } from '../store/models/conversation';
import { slaNumbers, type SlaState } from './engine';
import type { ConversationFact } from './figures';

const PROJECTION = { department: 1, channel: 1, assignee: 1, firstMessageAt: 1, status: 1, sla: 1, customer: 1, preview: 1 } as const;

type Row = {
  _id: unknown;
  department: string;
  channel: string;
  assignee?: { name?: string | null } | null;
  firstMessageAt: Date;
  status: string;
  sla?: unknown;
  customer?: { name?: string | null; handle?: string | null } | null;
  preview?: string;
};

function toFact(row: Row): ConversationFact {
  return {
    id: String(row._id),
    department: row.department,
    channel: row.channel,
    agent: row.assignee?.name ?? 'unassigned',
    firstMessageAt: row.firstMessageAt,
    startMs: row.firstMessageAt.getTime(),
    status: row.status,
    customer: { name: row.customer?.name, handle: row.customer?.handle },
    preview: row.preview ?? '',
    sla: (row.sla ?? undefined) as SlaState | undefined,
    clock: row.sla ? slaNumbers(row.sla as SlaState) : undefined,
  };
}

/**
 * The figures' working set, in memory: one compact fact per conversation, loaded once and kept current by
 * `refresh(id)` after each change here and a full reload now and then (other processes' changes). Built when the
 * store (FerretDB 1.24) scanned a collection for any filter but `_id`; indexed aggregation is to replace it.
 */
export class ConversationFacts {
  private facts = new Map<string, ConversationFact>();
  private loaded = false;

  get ready(): boolean {
    return this.loaded;
  }

  get size(): number {
    return this.facts.size;
  }

  values(): IterableIterator<ConversationFact> {
    return this.facts.values();
  }

  async load(): Promise<void> {
    const rows = await ConversationModel.find({}, PROJECTION).lean<Row[]>();
    this.facts = new Map(rows.map((r) => [String(r._id), toFact(r)]));
    this.loaded = true;
  }

  async refresh(id: string): Promise<void> {
    const row = await ConversationModel.findById(id, PROJECTION).lean<Row>();
    if (row) this.facts.set(id, toFact(row));
    else this.facts.delete(id);
  }

  /** Reloads every `intervalMs`; returns the stop function. */
  reloadEvery(intervalMs: number, onError: (err: unknown) => void): () => void {
    const timer = setInterval(() => void this.load().catch(onError), intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}
