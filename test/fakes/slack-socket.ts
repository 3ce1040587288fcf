/**
 * Slack's Socket Mode end of the fake: `apps.connections.open` (app-level token only) hands out a one-time ws:// URL on
 * loopback, where a minimal RFC 6455 server says `hello`, sends `events_api` envelopes and waits for their acks, as
 * @slack/socket-mode (undici's WebSocket client) expects. There is no `ws` package in node_modules, so the framing is
 * done here: text frames, ping → pong, and the close handshake.
 */
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { fail } from './slack-api-wire';
import type { SlackAnswer } from './slack-api-wire';

/** The app-level token (`xapp-…`) the fake accepts for apps.connections.open. */
export const DEFAULT_APP_TOKEN = 'xapp-1-test';

/** What the client sends back for an envelope: `{ envelope_id, payload: {} }`. */
export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OP = { text: 0x1, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** One unfragmented, unmasked server frame. */
function frame(opcode: number, payload: Buffer): Buffer {
  const n = payload.length;
  const head = Buffer.alloc(n < 126 ? 2 : n < 65536 ? 4 : 10);
  head[0] = 0x80 | opcode;
  head[1] = n < 126 ? n : n < 65536 ? 126 : 127;
  if (head[1] === 126) head.writeUInt16BE(n, 2);
  else if (head[1] === 127) head.writeBigUInt64BE(BigInt(n), 2);
  return Buffer.concat([head, payload]);
}

/** Takes whole client frames (masked) off the front of `buf`; returns what is left for the next chunk. */
function readFrames(buf: Buffer, onFrame: (opcode: number, payload: Buffer) => void): Buffer {
  let rest = buf;
  while (rest.length >= 2) {
    const [b0 = 0, b1 = 0] = rest;
    const len7 = b1 & 0x7f;
    const offset = len7 === 126 ? 4 : len7 === 127 ? 10 : 2;
    if (rest.length < offset) break;
    const len = len7 === 126 ? rest.readUInt16BE(2) : len7 === 127 ? Number(rest.readBigUInt64BE(2)) : len7;
    const masked = (b1 & 0x80) !== 0;
    const start = offset + (masked ? 4 : 0);
    if (rest.length < start + len) break;
    const payload = Buffer.from(rest.subarray(start, start + len));
    if (masked) for (let i = 0; i < len; i++) payload[i] = (payload[i] ?? 0) ^ (rest[offset + (i % 4)] ?? 0);
    onFrame(b0 & 0x0f, payload);
    rest = rest.subarray(start + len);
  }
  return rest;
}

export class FakeSlackSocket {
  url = '';
  /** every ack the client sent, in order */
  readonly acks: SocketAck[] = [];
  private server?: http.Server;
  private readonly sockets = new Set<Duplex>();
  private readonly tickets = new Set<string>();
  private readonly waiting = new Map<string, () => void>();

  constructor(readonly appId: string, readonly appToken = DEFAULT_APP_TOKEN) {}

  async listen(): Promise<void> {
    const server = http.createServer((_req, res) => res.writeHead(426).end());
    server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** apps.connections.open: a one-time URL for the app-level token, `invalid_auth` for any other. */
  open(token: string | undefined): SlackAnswer {
    if (!token) return fail('not_authed');
    if (token !== this.appToken) return fail('invalid_auth');
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return { ok: true, url: `${this.url}/link/?ticket=${ticket}&app_id=${this.appId}` };
  }

  /** Sends an `events_api` envelope around `payload` (an event_callback body); resolves when the client acks it. */
  send(payload: Record<string, unknown>): Promise<void> {
    const [socket] = this.sockets;
    if (!socket) return Promise.reject(new Error('no Socket Mode connection is open'));
    const envelopeId = randomUUID();
    const acked = new Promise<void>((resolve) => this.waiting.set(envelopeId, resolve));
    const envelope = { envelope_id: envelopeId, type: 'events_api', accepts_response_payload: false, retry_attempt: 0, retry_reason: '', payload };
    socket.write(frame(OP.text, Buffer.from(JSON.stringify(envelope))));
    return acked;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  }

  private upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const key = req.headers['sec-websocket-key'];
    if (url.pathname !== '/link/' || !this.tickets.delete(url.searchParams.get('ticket') ?? '') || typeof key !== 'string') {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const accept = createHash('sha1').update(key + WS_GUID).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => this.sockets.delete(socket));
    let pending: Buffer = Buffer.from(head);
    const onData = (chunk: Buffer): void => {
      pending = readFrames(Buffer.concat([pending, chunk]), (opcode, payload) => this.onFrame(socket, opcode, payload));
    };
    socket.on('data', onData);
    if (pending.length > 0) onData(Buffer.alloc(0));
    const hello = {
      type: 'hello', num_connections: 1, connection_info: { app_id: this.appId },
      debug_info: { host: 'applink-fake-1', build_number: 1, approximate_connection_time: 18060 },
    };
    socket.write(frame(OP.text, Buffer.from(JSON.stringify(hello))));
  }

  private onFrame(socket: Duplex, opcode: number, payload: Buffer): void {
    if (opcode === OP.ping) socket.write(frame(OP.pong, payload));
    else if (opcode === OP.close) socket.end(frame(OP.close, payload.subarray(0, 2)));
    else if (opcode === OP.text) {
      const ack = JSON.parse(payload.toString()) as SocketAck;
      this.acks.push(ack);
      this.waiting.get(ack.envelope_id)?.();
      this.waiting.delete(ack.envelope_id);
    }
  }
}
