// Error codes of the Modbus transports. The scheduler decides what each means for a
// meter (retry, back off, mark unsupported) or for the bus (reconnect).
import { defineErrors, TandemError } from '../../lib/errors.js';

export const modbusErrors = defineErrors({
  TANDEM_MODBUS_TIMEOUT: 'the slave did not answer within the request timeout',
  TANDEM_MODBUS_EXCEPTION: 'the slave answered with a Modbus exception (details.exceptionCode)',
  TANDEM_MODBUS_BAD_FRAME: 'a response arrived but was malformed (bad CRC, wrong length, wrong function)',
  TANDEM_MODBUS_DISCONNECTED: 'the port or socket closed while a request was pending or before it was sent',
  TANDEM_MODBUS_CONNECT_FAILED: 'the port could not be opened or the TCP peer could not be reached',
});

/** Exception codes, MODBUS Application Protocol v1.1b3 §7. */
export const EXCEPTION_NAMES: Record<number, string> = {
  1: 'illegal function',
  2: 'illegal data address',
  3: 'illegal data value',
  4: 'slave device failure',
  5: 'acknowledge',
  6: 'slave device busy',
  10: 'gateway path unavailable',
  11: 'gateway target device failed to respond',
};
export const ILLEGAL_DATA_ADDRESS = 2;
/** A Modbus TCP gateway's way of saying the unit behind it did not answer (§7, codes 0A/0B). */
const GATEWAY_NO_ANSWER = [10, 11];

/** Nobody answered: a timeout, or a gateway reporting that its serial-side unit did not. */
export function isNoAnswer(error: unknown): boolean {
  return hasCode(error, 'TANDEM_MODBUS_TIMEOUT') || GATEWAY_NO_ANSWER.includes(exceptionCodeOf(error) ?? -1);
}

export function exceptionError(unit: number, fc: number, exceptionCode: number): TandemError {
  const name = EXCEPTION_NAMES[exceptionCode] ?? 'unknown exception';
  return modbusErrors.error('TANDEM_MODBUS_EXCEPTION', `unit ${unit} fc ${fc}: exception ${exceptionCode} (${name})`, { exceptionCode });
}

export function exceptionCodeOf(error: unknown): number | undefined {
  if (!(error instanceof TandemError) || error.code !== 'TANDEM_MODBUS_EXCEPTION') return undefined;
  return (error.details as { exceptionCode: number }).exceptionCode;
}

export function hasCode(error: unknown, code: keyof typeof modbusErrors.catalogue): boolean {
  return error instanceof TandemError && error.code === code;
}
