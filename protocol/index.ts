// The contract shared by agent, collector and simulator. No I/O here.
export * from './quantities.js';
export * from './topics.js';
export * from './sequence.js';
export * from './messages.js';
export * from './validate.js';
export * from './batch.js';
export * from './payload.js';
export * from './codec.js';
export * from './profile.js';
export * from './profiles/index.js';
export * from './registry.js';
