// The store's ports for notices (the outbox, webhook endpoints, deliveries and their log).
import type { DeliveryState, KeyedPage, Notice, NoticeAttempt, NoticeDelivery, NoticeEventType, PageRequest, WebhookEndpoint } from '../../domain/index.ts';

export interface NewDelivery {
  readonly noticeId: string;
  readonly endpointId: string;
  readonly partyId: string;
  readonly maxAttempts: number;
  readonly nextAttemptAt: Date;
  readonly createdAt: Date;
}

export interface DeliveryFilter {
  readonly partyId?: string;
  readonly state?: DeliveryState;
  readonly endpointId?: string;
  readonly noticeId?: string;
}

export interface NoticeRepository {
  insertEndpoint(e: WebhookEndpoint, secretSealed: string): Promise<void>;
  /** The endpoint with its sealed secret, or undefined. */
  endpoint(id: string): Promise<{ endpoint: WebhookEndpoint; secretSealed: string } | undefined>;
  endpointsOf(partyId: string): Promise<WebhookEndpoint[]>;
  updateEndpoint(id: string, patch: { url?: string; eventTypes?: readonly NoticeEventType[]; enabled?: boolean }, at: Date): Promise<void>;
  /** The enabled endpoints of these parties subscribed to the event type. */
  subscribers(partyIds: readonly string[], eventType: NoticeEventType): Promise<WebhookEndpoint[]>;
  insertNotices(ns: readonly Notice[]): Promise<void>;
  notice(id: string): Promise<Notice | undefined>;
  /** Inserts deliveries; their ids in the order given. */
  insertDeliveries(ds: readonly NewDelivery[]): Promise<number[]>;
  delivery(id: number): Promise<NoticeDelivery | undefined>;
  deliveryForUpdate(id: number): Promise<NoticeDelivery | undefined>;
  updateDelivery(id: number, patch: Partial<Pick<NoticeDelivery, 'state' | 'attempts' | 'maxAttempts' | 'nextAttemptAt' | 'jobId' | 'deliveredAt'>>, at: Date): Promise<void>;
  /** Deliveries, newest first (keyset order: id descending). */
  deliveryPage(f: DeliveryFilter, page: PageRequest): Promise<KeyedPage<NoticeDelivery>>;
  /** Pending deliveries that no queue job will attempt (written where no job runtime was open), locked for the caller (skipping rows another holds). */
  unqueued(limit: number): Promise<NoticeDelivery[]>;
  appendAttempt(a: NoticeAttempt): Promise<void>;
  attempts(deliveryId: number): Promise<NoticeAttempt[]>;
}
