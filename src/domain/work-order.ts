import type { Eui } from './eui.ts';

/**
 * An HHT work order: commands a Supplier asks the DCC to return for local delivery (Command
 * Variant 2, or 6 for critical commands signed by the Supplier), carried to a premise by an
 * engineer, with the device responses brought back (SRV 8.13).
 */
export type WorkOrderState = 'open' | 'pulled' | 'completed' | 'expired';
export type OrderCommandState = 'pending' | 'executed' | 'refused' | 'expired';

/** Use cases an HHT may carry, and the request each one serves. */
export const HHT_USE_CASES = ['ECS42', 'ECS43', 'ECS44', 'ECS45', 'CS01a', 'GCS32', 'GCS33', 'GCS39', 'CS01b'] as const;
export type HhtUseCase = (typeof HHT_USE_CASES)[number];

export const WORK_ORDER_LIMITS = Object.freeze({
  commandsPerOrder: 50,
  /** Default and longest lifetime of an order: a command held longer is a risk, not a help. */
  defaultLifetimeHours: 72,
  maxLifetimeHours: 14 * 24,
  /** How long after expiry responses to commands delivered in time are still accepted. */
  uploadGraceHours: 48,
  /** Responses in one upload (an HHT's day). */
  responsesPerUpload: 10_000,
});

export interface WorkOrder {
  readonly id: string;
  readonly supplierPartyId: string;
  readonly premiseId: string;
  readonly state: WorkOrderState;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly pulledBy: string | null;
  readonly pulledAt: Date | null;
  readonly closedAt: Date | null;
  /** The field engineer (a username of the Supplier's people) who carries it; null: unassigned. */
  readonly assignedTo: string | null;
  readonly assignedAt: Date | null;
  /** Who assigned it (a person or key of the Supplier; the puller when a pull claimed it). */
  readonly assignedBy: string | null;
}

/**
 * Whose orders a list shows: `me` (the person asking), `none` (the unassigned), or a username;
 * several, comma-separated (usernames hold no comma), match any of them.
 */
export const ASSIGNEE_KEYWORDS = ['me', 'none'] as const;

export interface OrderCommand {
  readonly orderId: string;
  readonly seq: number;
  readonly deviceEui: Eui;
  readonly useCase: HhtUseCase;
  /** 2: returned for local delivery; 6: a signed pre-command returned for local delivery. */
  readonly variant: 2 | 6;
  readonly counter: bigint;
  /** The complete command frame, hex. */
  readonly frame: string;
  readonly pence: number;
  readonly state: OrderCommandState;
  readonly response: string | null;
  readonly responseKind: 'response' | 'alert' | null;
  readonly outcome: string | null;
  readonly deliveredAt: Date | null;
  readonly uploadedAt: Date | null;
}
