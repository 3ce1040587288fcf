import http, { type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EarlyServer {
  port: number;
  /** the address the server is bound to */
  host: string;
  /** from now on requests go to `app` */
  serve(app: RequestListener): void;
  close(): Promise<void>;
}

/** The start error for a listen error, naming the setting to change. */
export function listenError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  if (err.code === 'EADDRINUSE') return new Error(`port ${port} is in use (PORT) on ${host}: stop what listens there or set PORT to a free port`);
  if (err.code === 'EADDRNOTAVAIL') return new Error(`${host} is not an address of this machine (HOST): use 127.0.0.1, 0.0.0.0 or one of its interfaces`);
  if (err.code === 'EACCES') return new Error(`port ${port} needs root (PORT): use a port above 1023`);
  return new Error(`cannot listen on ${host}:${port} (HOST, PORT): ${err.message}`);
}

/**
 * Binds HOST:PORT before anything else starts, so a busy port stops the start before the database runs;
 * until `serve` is called every request is answered 503 `starting`.
 */
export function listenEarly(host: string, port: number): Promise<EarlyServer> {
  let handler: RequestListener = (_req, res) => {
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '2' });
    res.end(JSON.stringify({ error: { code: 'starting', message: 'Switchboard is starting; retry in a moment', details: [] } }));
  };
  const server = http.createServer((req, res) => handler(req, res));
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(listenError(err, host, port)));
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      resolve({
        port: address.port,
        host: address.address,
        serve: (app) => (handler = app),
        close: () => new Promise<void>((done) => {
          server.close(() => done());
          server.closeIdleConnections();
        }),
      });
    });
  });
}
