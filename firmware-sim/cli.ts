// `tandem sim`: simulated meters, buses and whole factories.
import type { Command } from '../lib/command.js';
import { busCommand } from './cli/bus.js';
import { historyCommand } from './cli/history.js';
import { siteCommand } from './cli/site.js';

export const simCommand: Command = {
  name: 'sim',
  summary: 'Simulated meters and whole factories on Modbus TCP, RTU and RTU over TCP.',
  subcommands: [busCommand, siteCommand, historyCommand],
};
