import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Served {
  /** http://127.0.0.1:PORT, no trailing slash */
  url: string;
  close(): Promise<void>;
}

/** Serves an app (the API, the dashboard) on a free loopback port, for a browser or a signed pusher. */
export async function serveOnLoopback(handler: http.RequestListener): Promise<Served> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
