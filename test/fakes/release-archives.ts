import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { downloadOf, TARBALLS } from '../../scripts/db/sources';
import { LoopbackFake } from './loopback-server';

/**
 * GitHub's release files and tag archives of the four C sources, served from a folder of tarballs (the vendored ones) at
 * GitHub's paths. A repacked vendored file (libbson) stands in for the release file it was cut from: its bytes differ.
 */
export class FakeReleaseArchives extends LoopbackFake {
  readonly requests: string[] = [];
  /** answers a path with other bytes (a tampered or repacked archive) */
  readonly replaced = new Map<string, Buffer>();

  constructor(private readonly dir: string) {
    super();
  }

  /** the archive path of a vendored tarball, as in its GitHub URL */
  static pathOf(file: string): string {
    const tarball = Object.values(TARBALLS).find((t) => t.file === file);
    if (!tarball) throw new Error(`no pinned tarball ${file}`);
    return new URL(downloadOf(tarball).url).pathname;
  }

  protected handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const at = req.url ?? '';
    this.requests.push(at);
    const tarball = Object.values(TARBALLS).find((t) => new URL(downloadOf(t).url).pathname === at);
    const body = this.replaced.get(at) ?? (tarball && fs.readFileSync(path.join(this.dir, tarball.file)));
    if (!body) {
      res.writeHead(404).end('Not Found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': body.length }).end(body);
  }
}
