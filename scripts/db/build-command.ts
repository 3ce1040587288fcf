import { buildEmbeddedDb } from './build';

// `npm run db:build`: builds the embedded database ahead of time (npm start and the tests also do it on first use).
buildEmbeddedDb({ sourcesDir: process.env.DOCUMENTDB_SOURCES_DIR?.trim() || undefined, log: (line) => process.stdout.write(`${line}\n`) }).then(
  ({ ferretdb }) => process.stdout.write(`embedded database ready (FerretDB: ${ferretdb})\n`),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
