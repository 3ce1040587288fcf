/** How Slack's Web API reads a request (form or JSON body, token) and shapes its answers. */
import type { IncomingHttpHeaders } from 'node:http';

export type SlackArgs = Record<string, unknown>;
export type SlackAnswer = Record<string, unknown> & { ok: boolean };

export interface ParsedSlackRequest {
  method: string;
  args: SlackArgs;
  token?: string;
  encoding: 'form' | 'json' | 'none';
  /** Slack refuses the request before reading it: invalid_json, json_not_object, invalid_form_data */
  error?: string;
  warnings: string[];
}

export const fail = (error: string, extra: SlackArgs = {}): SlackAnswer => ({ ok: false, error, ...extra });

/** `/api/chat.postMessage?x=1` with its body; query arguments count as Slack allows them. */
export function parseSlackRequest(url: string, headers: IncomingHttpHeaders, raw: string): ParsedSlackRequest {
  const parsed = new URL(url, 'http://127.0.0.1');
  const method = parsed.pathname.replace(/^\/api\//, '');
  const args: SlackArgs = Object.fromEntries(parsed.searchParams);
  const type = (headers['content-type'] ?? '').toLowerCase();
  const out: ParsedSlackRequest = { method, args, encoding: 'none', warnings: [] };
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
  if (type.startsWith('application/json')) {
    out.encoding = 'json';
    if (!type.includes('charset')) out.warnings.push('missing_charset');
    try {
      const body: unknown = JSON.parse(raw);
      if (typeof body !== 'object' || body === null || Array.isArray(body)) out.error = 'json_not_object';
      else Object.assign(args, body);
    } catch {
      out.error = 'invalid_json';
    }
    // with a JSON body Slack takes the token from the Authorization header only
    delete args.token;
    out.token = bearer;
    return out;
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    out.encoding = 'form';
    Object.assign(args, Object.fromEntries(new URLSearchParams(raw)));
  } else if (raw.length > 0) {
    out.error = 'invalid_form_data';
  }
  out.token = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
  delete args.token;
  return out;
}

export function str(args: SlackArgs, name: string): string | undefined {
  const v = args[name];
  if (typeof v === 'string') return v === '' ? undefined : v;
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

export function bool(args: SlackArgs, name: string): boolean {
  const v = args[name];
  return v === true || v === 1 || v === 'true' || v === '1';
}

/** A structured argument: an object in a JSON body, a JSON string in a form body. `null` when it does not parse. */
export function structured(args: SlackArgs, name: string): unknown {
  const v = args[name];
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return null;
  }
}

export function intArg(args: SlackArgs, name: string, fallback: number): number {
  const n = Number(str(args, name) ?? fallback);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** Opaque cursor: the offset of the next page. */
export const encodeCursor = (offset: number): string => Buffer.from(`next_ts:${offset}`).toString('base64');
export function decodeCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return 0;
  const m = /^next_ts:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString());
  return m ? Number(m[1]) : undefined;
}
