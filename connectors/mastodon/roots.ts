/** Status id → its conversation's root, for the statuses this process read or sent: a reply to one needs no lookup. */
export class RootCache {
  private readonly roots = new Map<string, string>();

  constructor(private readonly max = 10_000) {}

  get(id: string): string | undefined {
    return this.roots.get(id);
  }

  set(id: string, root: string): void {
    this.roots.delete(id);
    this.roots.set(id, root);
    // a Map iterates in insertion order: the first key is the least recently set
    if (this.roots.size > this.max) this.roots.delete(this.roots.keys().next().value as string);
  }
}
