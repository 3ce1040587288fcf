import type { Department } from '../domain/department';
import { TRIAGE } from '../domain/department';

/** Departments with the Slack channel each hears about its conversations in. */
export class DepartmentDirectory {
  private readonly byKey: Map<string, Department>;

  constructor(
    departments: Department[],
    channelOverrides: Record<string, string> = {},
    private readonly triageChannel?: string,
  ) {
    this.byKey = new Map(departments.map((d) => [d.key, { ...d, slackChannel: channelOverrides[d.key] ?? d.slackChannel }]));
  }

  get(key: string): Department | undefined {
    return this.byKey.get(key);
  }

  name(key: string): string {
    return key === TRIAGE ? 'Triage' : (this.byKey.get(key)?.name ?? key);
  }

  /** Where a department's conversations are posted; triage has its own channel. */
  channelOf(key: string): string | undefined {
    return key === TRIAGE ? this.triageChannel : this.byKey.get(key)?.slackChannel;
  }

  list(): Department[] {
    return [...this.byKey.values()];
  }
}
