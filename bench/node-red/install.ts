// Installs the peer at run time into a temporary folder (nothing of it is committed):
// the newest Node-RED and node-red-contrib-modbus that run on Node 20, with the override
// that contrib-modbus 5.45+ needs here (reference/toolchain.md "Node-RED as a peer").
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const NODE_RED_VERSION = '~4.1.0';
export const CONTRIB_MODBUS_VERSION = '5.45.2';
/** Kept between runs so a second run does not download again; it is a cache, not the project's. */
export const NODE_RED_DIR = join(tmpdir(), 'tandem-bench-node-red');
const INSTALL_TIMEOUT_MS = 300_000;

export async function installNodeRed(): Promise<string> {
  const red = join(NODE_RED_DIR, 'node_modules', 'node-red', 'red.js');
  if (existsSync(red) && existsSync(join(NODE_RED_DIR, 'node_modules', 'node-red-contrib-modbus', 'package.json'))) return red;
  mkdirSync(NODE_RED_DIR, { recursive: true });
  writeFileSync(
    join(NODE_RED_DIR, 'package.json'),
    JSON.stringify({
      name: 'tandem-bench-node-red',
      private: true,
      dependencies: { 'node-red': NODE_RED_VERSION, 'node-red-contrib-modbus': CONTRIB_MODBUS_VERSION },
      // The fork's tarball host is unreachable; its only extra is a read mode that is off by default.
      overrides: { '@openp4nr/modbus-serial': 'npm:modbus-serial@8.0.25' },
    }),
  );
  await promisify(execFile)('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: NODE_RED_DIR, timeout: INSTALL_TIMEOUT_MS });
  return red;
}
