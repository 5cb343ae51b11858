import { defineErrors } from '../../lib/errors.js';

export const pollingErrors = defineErrors({
  TANDEM_POLL_UNKNOWN_METER: 'readNow or write named a meter id this bus does not have',
  TANDEM_POLL_BUSY: 'too many on-demand reads or writes are already waiting on this bus',
  TANDEM_POLL_NOT_CONNECTED: 'the bus is not connected (the poller keeps reconnecting)',
  TANDEM_POLL_STOPPED: 'the poller was stopped before the request ran',
  TANDEM_POLL_WRITES_DISABLED: 'writing to meter registers is off unless the local config allows it',
});
