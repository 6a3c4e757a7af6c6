import type { Eui } from './eui.ts';
import type { TriageMethod, TriageOutcome, TriageStep } from './returns.ts';

/** What one step of a triage plan saw on the bench. */
export interface StepResult {
  readonly step: TriageStep;
  readonly result: 'pass' | 'fail' | 'skipped';
  readonly observations: readonly string[];
  readonly fault?: string;
}

/** A triage plan's outcome, as a bench reports it. */
export interface BenchResult {
  readonly outcome: TriageOutcome;
  readonly fault: string | null;
  readonly steps: readonly StepResult[];
  /** EUIs in the Supplier and Network Operator DS cells, as read (CS02a over the local connection). */
  readonly credentials: { readonly supplier: Eui | null; readonly networkOperator: Eui | null } | null;
}

/** A plan to run on a device that is on the bench. */
export interface BenchPlan {
  readonly steps: readonly TriageStep[];
  readonly method: TriageMethod;
  readonly sealsIntact: boolean;
  /** Gold triage: the DCC-MACed CS02a that reads the credential cells, built by the platform. */
  readonly cs02a: Uint8Array | null;
  readonly now: Date;
}
