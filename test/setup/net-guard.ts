import net from 'node:net';

/** Tests talk to loopback only: any other outbound connection is refused and fails the test. */
const violations: string[] = [];

function isLoopback(host: string | undefined): boolean {
  if (!host) return true; // node defaults to localhost
  return host === 'localhost' || host === '::1' || host.startsWith('127.') || host === '[::1]';
}

type ConnectArgs = Parameters<typeof net.Socket.prototype.connect>;

export function installNetGuard(): void {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- re-applied with the socket as `this`
  const original = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: ConnectArgs) {
    // net.connect() passes its already-normalized [options, callback] pair as one array
    const flat = Array.isArray(args[0]) ? (args[0] as unknown[]) : (args as unknown[]);
    const [first, second] = flat;
    let host: string | undefined;
    if (typeof first === 'object' && first !== null) {
      const opts = first as { host?: string; path?: string };
      if (opts.path) return original.apply(this, args);
      host = opts.host;
    } else if (typeof second === 'string') {
      host = second;
    }
    if (!isLoopback(host)) {
      const message = `test tried to reach ${host ?? '?'}: only loopback is allowed`;
      violations.push(message);
      throw new Error(message);
    }
    return original.apply(this, args);
  } as typeof net.Socket.prototype.connect;
}

/** Returns and clears the outbound attempts seen since the last call. */
export function takeNetViolations(): string[] {
  return violations.splice(0, violations.length);
}
