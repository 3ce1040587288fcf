import { startTestFerretdb, stopTestFerretdb } from './ferretdb';
import { installNetGuard, takeNetViolations } from './net-guard';

installNetGuard();

before(async function () {
  // the first run builds FerretDB with Go
  this.timeout(300_000);
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
