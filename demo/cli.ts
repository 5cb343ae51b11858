// `tandem demo` (what `npm start` runs): start the whole chain, print where to look, run
// until Ctrl-C, then stop everything cleanly.
import { resolve } from 'node:path';
import { intOption, untilSignal, type Command } from '../lib/command.js';
import { createLogger } from '../lib/logger.js';
import { DEMO_DWELL_MIN } from './live-violation.js';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Run the whole chain on this machine: simulated factories, agents, collector and web page.',
  details: [
    'Starts the collector (embedded MQTT broker, SQLite in the data folder), three simulated',
    'enterprises built from real steel-plant load data (Modbus TCP, RTU over TCP and, with socat,',
    'RTU on a serial pty), one agent per site, and loads each site\'s history through its agent\'s',
    'outbox. A live violation is injected shortly after start. The data folder is made anew each run.',
  ].join('\n'),
  options: {
    data: { type: 'string', description: 'Folder for the database, outboxes and logs', valueName: 'DIR', default: 'demo-data' },
    'http-port': { type: 'string', description: 'Web page and API port (a free one if taken)', valueName: 'N', default: '8080' },
    'mqtt-port': { type: 'string', description: 'Embedded broker port (a free one if taken)', valueName: 'N', default: '1883' },
    days: { type: 'string', description: 'Days of history per site', valueName: 'N', default: '30' },
    'violation-after': { type: 'string', description: 'Seconds until the live violation is injected', valueName: 'S', default: '60' },
    'log-level': { type: 'string', description: 'Log level of the in-process collector', valueName: 'LEVEL', default: 'warn' },
  },
  async run(ctx) {
    const httpPort = intOption(ctx.values, 'http-port', 0, 65535)!;
    const mqttPort = intOption(ctx.values, 'mqtt-port', 0, 65535)!;
    const days = intOption(ctx.values, 'days', 0, 60)!;
    const violationAfterS = intOption(ctx.values, 'violation-after', 0, 86_400)!;
    const dataDir = resolve(String(ctx.values.data));
    const { startDemo } = await import('./demo.js');
    const started = Date.now();
    const progress = (line: string) => ctx.err(`[demo +${((Date.now() - started) / 1000).toFixed(0)}s] ${line}`);
    const demo = await startDemo({ dataDir, httpPort, mqttPort, days, violationAfterS, logger: createLogger('demo', String(ctx.values['log-level'])), progress });
    ctx.out('');
    ctx.out(`Tandem demo is running.`);
    ctx.out(`  web page:       ${demo.httpUrl}/`);
    ctx.out(`  operator token: ${demo.token}`);
    ctx.out(`  MQTT broker:    ${demo.mqttUrl}`);
    ctx.out(`  data and logs:  ${dataDir}`);
    ctx.out(`Live violation ${violationAfterS} s from now: a treatment switched off (its facility's treatment-off dwell shortened to ${DEMO_DWELL_MIN} min from 10 for the demo), or a reversed CT when no production runs now.`);
    ctx.out('Press Ctrl-C to stop.');
    const signal = await untilSignal();
    progress(`${signal}: stopping`);
    await demo.stop();
    progress('stopped');
    return 0;
  },
};
