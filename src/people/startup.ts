import type { Logger } from '../runtime/logger';
import { peopleChecked } from './access';

/** Says at start when Slack users are not checked: nobody is on the people list yet. */
export async function warnIfPeopleUnchecked(logger: Logger): Promise<void> {
  if (!(await peopleChecked())) logger.warn('the people list is empty: every Slack user may act (npm run cli -- person add, or POST /api/people, turns the checks on)');
}
