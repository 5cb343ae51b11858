// Run-time control of a running simulator: one command per line (stdin of `tandem sim bus`
// and `tandem sim site`), one reply line each. Words, then key=value parameters:
//   fault TARGET KIND [key=value…]     e.g. fault 3 slow delayMs=900
//   clear TARGET                       ends a fault or scenario on TARGET
//   load UNIT KW [PF]                  (bus) change a meter's load
//   scenario KIND TARGET [minutes=N] [key=value…]   (site) start a scenario now
//   status
import readline from 'node:readline';
import type { Readable } from 'node:stream';

export interface ControlCommand {
  verb: string;
  args: string[];
  params: Record<string, string>;
}

export function parseControlLine(line: string): ControlCommand | undefined {
  const words = line.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0 || words[0].startsWith('#')) return undefined;
  const args: string[] = [];
  const params: Record<string, string> = {};
  for (const word of words.slice(1)) {
    const eq = word.indexOf('=');
    if (eq > 0) params[word.slice(0, eq)] = word.slice(eq + 1);
    else args.push(word);
  }
  return { verb: words[0].toLowerCase(), args, params };
}

/** Feeds each line of `input` to `handle` and writes its reply; errors become 'error: …' lines. */
export function listenForCommands(input: Readable, handle: (command: ControlCommand) => string, reply: (line: string) => void): () => void {
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  rl.on('line', (line) => {
    const command = parseControlLine(line);
    if (!command) return;
    try {
      reply(handle(command));
    } catch (error) {
      reply(`error: ${(error as Error).message}`);
    }
  });
  return () => rl.close();
}
