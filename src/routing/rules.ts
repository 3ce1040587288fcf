import type { Author } from '../domain/message';
import type { Department } from '../domain/department';

export interface RuleMatch {
  department: string;
  rule: string;
}

const norm = (handle: string) => handle.trim().toLowerCase().replace(/^@/, '');
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Compiled department rules: author rules first (most specific), then the channel's hint (an e-mail account's department), then keywords as whole words. */
export class RuleSet {
  private readonly authors = new Map<string, string>();
  private readonly keywords: Array<{ department: string; keyword: string; pattern: RegExp }> = [];

  constructor(departments: Department[]) {
    for (const d of departments) {
      for (const a of d.rules?.authors ?? []) this.authors.set(norm(a), d.key);
      for (const k of d.rules?.keywords ?? []) {
        this.keywords.push({ department: d.key, keyword: k, pattern: new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(k.toLowerCase())}($|[^\\p{L}\\p{N}])`, 'u') });
      }
    }
  }

  match(text: string, author?: Author, hint?: string): RuleMatch | undefined {
    for (const candidate of [author?.handle, author?.id]) {
      const department = candidate ? this.authors.get(norm(candidate)) : undefined;
      if (department && candidate) return { department, rule: `author ${candidate}` };
    }
    if (hint) return { department: hint, rule: `hint ${hint}` };
    const lower = text.toLowerCase();
    const hit = this.keywords.find((k) => k.pattern.test(lower));
    return hit && { department: hit.department, rule: `keyword "${hit.keyword}"` };
  }
}
