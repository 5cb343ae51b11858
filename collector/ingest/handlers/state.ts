// Retained gateway state: {online:true} on connect, {online:false} as its Last Will or on a
// clean stop. An empty retained payload only clears the retained message [MQTT-3.3.1-10].
import { formatIssues, parseMessage } from '../../../protocol/index.js';
import type { Handler } from '../context.js';

export const handleState: Handler = async (ctx, message) => {
  if (message.payload.length === 0) return;
  const parsed = parseMessage('state', message.payload);
  if (!parsed.ok) return ctx.quarantine(message, formatIssues(parsed.errors));
  const before = (await ctx.store.gatewayStatus(message.gatewayId))?.online ?? null;
  await ctx.store.recordState(message.gatewayId, parsed.value, message.receivedAt);
  if (before !== parsed.value.online) ctx.log.info({ gatewayId: message.gatewayId, online: parsed.value.online }, 'gateway state');
};
