// The simulator's error codes (TANDEM_SIM_*), documented in firmware-sim/README.md#errors.
import { defineErrors } from '../lib/errors.js';

export const simErrors = defineErrors({
  TANDEM_SIM_LISTEN: 'a bus could not listen on its TCP address (busy port, bad host)',
  TANDEM_SIM_SERIAL: 'a serial device path could not be opened',
  TANDEM_SIM_METER: 'a meter definition or command is wrong: unit id, duplicate unit, unknown meter, negative kW or a PF outside (0, 1]',
  TANDEM_SIM_SITE: 'a site file breaks the site format; the message names the file and every wrong field',
  TANDEM_SIM_DATA: 'the load data file is missing or malformed',
});
