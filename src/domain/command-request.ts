/**
 * The DCC's anomaly detection (seed 003): requests of a sensitive type from one party are counted
 * over a sliding window; past the limit they are held until a second person of that party
 * releases them, and the party and the DCC are alerted.
 */
export const SENSITIVE_COMMANDS = ['disable_supply', 'credential_replacement', 'utrn_vend', 'hht_work_order'] as const;
export type SensitiveCommand = (typeof SENSITIVE_COMMANDS)[number];

export type CommandRequestStatus = 'sent' | 'held' | 'released';

export interface CommandRequest {
  readonly id: number;
  readonly partyId: string;
  /** The person (API key or CLI user) who asked. */
  readonly requestedBy: string;
  readonly commandType: SensitiveCommand;
  readonly target: string;
  readonly status: CommandRequestStatus;
  readonly requestedAt: Date;
  readonly releasedBy: string | null;
  readonly releasedAt: Date | null;
}

export interface AnomalyAlert {
  readonly partyId: string;
  readonly commandType: SensitiveCommand;
  readonly raisedAt: Date;
  /** The alert must reach the party and the DCC by then (30 minutes by default, a meterops default). */
  readonly dueBy: Date;
  readonly windowCount: number;
  readonly limit: number;
  readonly notified: readonly string[];
}

export interface AnomalyLimit {
  readonly max: number;
  readonly windowMinutes: number;
}

/** Default limits per party and command type (meterops defaults: the 2012 paper names the control, not its limits); a mass remote disconnection is the worst case. */
export const DEFAULT_ANOMALY_LIMITS: Readonly<Record<SensitiveCommand, AnomalyLimit>> = {
  disable_supply: { max: 50, windowMinutes: 60 },
  credential_replacement: { max: 200, windowMinutes: 60 },
  utrn_vend: { max: 5_000, windowMinutes: 60 },
  hht_work_order: { max: 500, windowMinutes: 60 },
};
