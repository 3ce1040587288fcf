/** Limits on a webhook message's `raw`: it is stored as JSON text, so its depth and size are bounded. */
export interface RawLimits {
  maxDepth: number;
  maxBytes: number;
}

export const DEFAULT_RAW_LIMITS: RawLimits = { maxDepth: 32, maxBytes: 64 * 1024 };

/** Why `raw` is too deep or too large; undefined when it fits. Iterative: a 100,000-deep value cannot overflow the stack. */
export function rawProblem(raw: unknown, limits: RawLimits): string | undefined {
  const stack: Array<{ value: unknown; depth: number }> = [{ value: raw, depth: 1 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > limits.maxDepth) return `is nested more than ${limits.maxDepth} levels deep`;
    for (const child of Object.values(value)) stack.push({ value: child, depth: depth + 1 });
  }
  // the depth is bounded now, so JSON.stringify cannot overflow
  const bytes = Buffer.byteLength(JSON.stringify(raw) ?? '');
  if (bytes > limits.maxBytes) return `is ${bytes} bytes as JSON; at most ${limits.maxBytes} are kept`;
  return undefined;
}
