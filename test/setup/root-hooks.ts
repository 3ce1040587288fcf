import { startTestFerretdb, stopTestFerretdb } from './ferretdb';
import { installNetGuard, takeNetViolations } from './net-guard';

installNetGuard();

before(async function () {
  // the first run installs the apt packages and builds DocumentDB and FerretDB (a few minutes)
  this.timeout(900_000);
  await startTestFerretdb();
});

after(async () => {
  await stopTestFerretdb();
});

afterEach(function () {
  const seen = takeNetViolations();
  if (seen.length > 0) {
    throw new Error(`outbound network in "${this.currentTest?.fullTitle() ?? '?'}": ${seen.join('; ')}`);
  }
});
