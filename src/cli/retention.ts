import { cliActor } from '../audit/admin';
import { planRetention, presentPlan, runRetention } from '../retention/plan';
import { withDatabase } from './database';

/** `retention run [--dry-run]`: the plan (per department, with ids) as JSON; without --dry-run it is deleted. */
export async function retentionFromCli(dryRun: boolean): Promise<void> {
  const result = await withDatabase(async (config) => {
    if (dryRun) return { ...presentPlan(await planRetention(config.retention.defaultDays)), dryRun: true };
    const ran = await runRetention(config.retention.defaultDays, cliActor());
    return { ...presentPlan(ran), deleted: ran.deleted };
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.stderr.write(`${dryRun ? 'would delete' : 'deleted'} ${result.total} resolved conversation(s) past their retention\n`);
}
