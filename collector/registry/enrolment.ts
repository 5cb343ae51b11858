// Gateway enrolment: the operator gets a one-time token for a registered gateway; the
// technician's `tandem agent enroll` trades it (POST /api/v1/enroll) for the gateway's
// id, MQTT URL and a freshly generated password, shown this once and stored only hashed.
import { hashPassword, hashToken, newSecret } from '../broker/secrets.js';
import { collectorError } from '../errors.js';
import type { Store } from '../store/store.js';

/** How long an enrolment token stays valid unless told otherwise (h). */
export const DEFAULT_ENROL_TTL_HOURS = 72;

export interface Enrolment {
  gatewayId: string;
  mqttUrl: string;
  username: string;
  password: string;
}

export async function createEnrolToken(store: Store, gatewayId: string, now: number, ttlHours = DEFAULT_ENROL_TTL_HOURS): Promise<{ token: string; expiresAt: number }> {
  if (!(await store.gateway(gatewayId))) throw collectorError('TANDEM_COLLECTOR_NOT_FOUND', `no gateway '${gatewayId}'; import its enterprise or create it first`);
  const token = `enr_${newSecret()}`;
  const expiresAt = now + ttlHours * 3_600_000;
  await store.setEnrolToken(gatewayId, hashToken(token), expiresAt);
  return { token, expiresAt };
}

export async function enrol(store: Store, token: string, mqttUrl: string, now: number): Promise<Enrolment> {
  const gatewayId = await store.takeEnrolToken(hashToken(token), now);
  if (!gatewayId) throw collectorError('TANDEM_COLLECTOR_TOKEN_INVALID', 'the enrolment token is unknown, already used or expired; ask the operator for a new one');
  const password = newSecret();
  await store.setGatewayPassword(gatewayId, hashPassword(password));
  return { gatewayId, mqttUrl, username: gatewayId, password };
}
