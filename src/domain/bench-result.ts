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
  /**
   * Told each step's result as the bench finishes it, in plan order (index from 0, of total), before
   * the plan's result: what lets a technician watch the bench. A throw from it fails the plan.
   */
  readonly onStep?: (step: StepResult, index: number, total: number) => void;
}
