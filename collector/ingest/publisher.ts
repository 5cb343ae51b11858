// How ingest and the config service send messages down to gateways, whichever broker carries them.
export interface PublishOptions {
  qos: 0 | 1;
  retain: boolean;
}

export interface Publisher {
  publish(topic: string, payload: Buffer, options: PublishOptions): Promise<void>;
}
