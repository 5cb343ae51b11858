// What the broker refused or dropped, for the health API (issue 5: refusals are counted).
export interface BrokerStats {
  /** Connections refused: unknown gateway, wrong or missing password. */
  authRefused: number;
  publishRefused: number;
  subscribeRefused: number;
  /** Connections closed for announcing a packet above MAX_PACKET_BYTES. */
  oversizeRefused: number;
  /** QoS 1 messages not queued for an offline session that already holds its limit. */
  offlineDropped: number;
  connected: number;
}

export function emptyBrokerStats(): BrokerStats {
  return { authRefused: 0, publishRefused: 0, subscribeRefused: 0, oversizeRefused: 0, offlineDropped: 0, connected: 0 };
}
