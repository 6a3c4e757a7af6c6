/** The no-WAN options report, as `POST /v1/reports/no-wan-options` leaves it in its job's result (the parts the page shows). */
export interface TaskSummary {
  readonly premises: number;
  readonly done: number;
  readonly failed: number;
  readonly unsupported: number;
  readonly basis: readonly string[];
  readonly visits: number;
  readonly hours: number;
  readonly details: readonly string[];
  readonly failures: readonly string[];
}

export interface OptionSummary {
  readonly id: string;
  readonly seed: { readonly number: number; readonly title: string };
  readonly tasks: Readonly<Record<string, TaskSummary>>;
  readonly totals: { readonly visits: number; readonly hours: number; readonly costPence: number; readonly failedTasks: number };
  readonly perPremise: { readonly visits: number; readonly hours: number; readonly costPence: number };
  readonly attacker: string;
}

export interface Assumption {
  readonly value: number | boolean;
  readonly default: number | boolean;
  readonly unit: string;
  readonly source: string;
}

export interface NoWanOptionsReport {
  readonly fleet: { readonly seed: string; readonly premises: number; readonly noWanPremises: number; readonly studied: number };
  readonly assumptions: Readonly<Record<string, Assumption>>;
  readonly tasks: readonly string[];
  readonly options: readonly OptionSummary[];
  readonly verdicts: ReadonlyArray<{ readonly option: string; readonly seed: string; readonly measured: string; readonly agrees: string }>;
  readonly laterRoute: { readonly attackerCommandsExecuted: number; readonly floodDelayMinutes: number; readonly reachableHoursPerYear: number };
}

export interface Job {
  readonly id: string;
  readonly name: string;
  readonly state: string;
  readonly result: unknown;
  readonly error: { readonly message: string; readonly code: string | null } | null;
  readonly createdAt: string;
}

/** The task columns' short names, as the CLI's table has them. */
export const TASK_HEADS: Readonly<Record<string, string>> = {
  installation: 'Install',
  'han-ihd-pairing': 'HAN/IHD',
  commissioning: 'Commission',
  'tariff-change': 'Tariff',
  'supply-enable': 'Enable',
  'supply-disable': 'Disable',
  'top-up': 'Top-up',
  'switch-to-credit': 'Credit mode',
  'credential-change': 'Credentials',
  firmware: 'Firmware',
};

/** One cell as the CLI prints it: done everywhere (with its visits), done at d of n, not possible; `*` where a stated assumption decided it. */
export function cellText(t: TaskSummary): string {
  const mark = t.basis.includes('assumption') ? '*' : '';
  if (t.unsupported === t.premises) return `–${mark}`;
  if (t.done === t.premises) return `${t.visits ? `${t.visits} visits` : 'yes'}${mark}`;
  return `${t.done}/${t.premises}${mark}`;
}
