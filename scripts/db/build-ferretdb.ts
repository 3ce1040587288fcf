import { buildFerretdb } from './ferretdb';

// `npm run db:build`: builds our embedded FerretDB ahead of time (npm start and the tests also do it on first use).
buildFerretdb((line) => process.stdout.write(`${line}\n`)).then(
  (binary) => process.stdout.write(`FerretDB ready: ${binary}\n`),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
