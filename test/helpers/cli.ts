// Tests run the built CLI (dist/, compiled by `npm test`'s pretest) as a child process.
export { runTandem, TANDEM_BIN, type CliResult } from '../../lib/tandem-process.js';
