import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A fake API on a random loopback port: reads each body whole, then answers through `handle`. */
export abstract class LoopbackFake {
  url = '';
  /** holds every answer this long, so tests can overlap two callers */
  latencyMs = 0;
  private server?: http.Server;

  protected abstract handle(req: http.IncomingMessage, res: http.ServerResponse, rawBody: string): void;

  async listen(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        setTimeout(() => this.handle(req, res, Buffer.concat(chunks).toString()), this.latencyMs);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  }
}
