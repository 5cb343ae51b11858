// The collector's error catalogue (lib/errors.ts): codes are stable, never reused, and the
// HTTP API answers each with the status in HTTP_STATUS.
import { defineErrors } from '../lib/errors.js';

export const collectorErrors = defineErrors({
  TANDEM_COLLECTOR_INVALID: 'a request or file does not match the schema; the message names the field',
  TANDEM_COLLECTOR_NOT_FOUND: 'no such enterprise, facility, meter, gateway or route',
  TANDEM_COLLECTOR_CONFLICT: 'an id is already used by another enterprise or gateway',
  TANDEM_COLLECTOR_UNAUTHORIZED: 'missing or unknown bearer token',
  TANDEM_COLLECTOR_FORBIDDEN: 'the token is valid but its role may not do this',
  TANDEM_COLLECTOR_TOKEN_INVALID: 'an enrolment token is unknown, used or expired',
  TANDEM_COLLECTOR_DB_OPEN: 'the database file cannot be opened or upgraded',
  TANDEM_COLLECTOR_PORT_IN_USE: 'a listening port is taken by another program',
  TANDEM_COLLECTOR_BROKER: 'the external MQTT broker cannot be reached or refused the collector',
  TANDEM_COLLECTOR_TOO_LARGE: 'a request body, or the alerts an answer would hold, exceed the limit',
  TANDEM_COLLECTOR_INTERNAL: 'an unexpected failure inside the collector (logged with details)',
});

export type CollectorErrorCode = keyof typeof collectorErrors.catalogue;

export const HTTP_STATUS: Record<CollectorErrorCode, number> = {
  TANDEM_COLLECTOR_INVALID: 400,
  TANDEM_COLLECTOR_NOT_FOUND: 404,
  TANDEM_COLLECTOR_CONFLICT: 409,
  TANDEM_COLLECTOR_UNAUTHORIZED: 401,
  TANDEM_COLLECTOR_FORBIDDEN: 403,
  TANDEM_COLLECTOR_TOKEN_INVALID: 400,
  TANDEM_COLLECTOR_DB_OPEN: 500,
  TANDEM_COLLECTOR_PORT_IN_USE: 500,
  TANDEM_COLLECTOR_BROKER: 502,
  TANDEM_COLLECTOR_TOO_LARGE: 413,
  TANDEM_COLLECTOR_INTERNAL: 500,
};

export const collectorError = collectorErrors.error;
