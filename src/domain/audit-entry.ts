/** One entry of the tamper-evident audit trail. */
export interface AuditEntry {
  readonly id: number;
  readonly at: Date;
  readonly actorPartyId: string;
  readonly action: string;
  readonly entity: string;
  readonly details: string;
  readonly prevHash: string;
  readonly hash: string;
}
