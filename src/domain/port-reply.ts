/** What a device's local port answers to one frame, hex-encoded: the device's response, or its refusal and signed alert. */
export interface PortReply {
  readonly accepted: boolean;
  readonly response: string | null;
  readonly reason?: string;
  readonly alertCode?: string;
  readonly detail?: string;
  readonly alert?: string | null;
}
