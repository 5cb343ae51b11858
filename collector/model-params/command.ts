// `tandem collector model-params`: show, set and reset a model's parameters for one
// enterprise or facility, on the database file (a running collector follows within a second).
import { UsageError, type Command, type CommandContext } from '../../lib/command.js';
import { dbOption, withStore } from '../cli-store.js';
import type { ModelParamScope, Store } from '../store/store.js';
import { checkParams, findModel, parseAssignments, unknownModel } from './check.js';

const targetOptions = {
  db: dbOption,
  enterprise: { type: 'string', description: 'enterprise id', valueName: 'ID' },
  facility: { type: 'string', description: 'facility id (beats its enterprise)', valueName: 'ID' },
  model: { type: 'string', description: 'model id (see GET /api/v1/models)', valueName: 'ID' },
} as const;

interface Target {
  scope: ModelParamScope;
  id: string;
  model: NonNullable<ReturnType<typeof findModel>>;
}

/** The enterprise or facility and model named by the options; usage errors name what is wrong. */
function targetOf(ctx: CommandContext): Target {
  const { enterprise, facility, model } = ctx.values;
  if ((typeof enterprise === 'string') === (typeof facility === 'string')) throw new UsageError('give exactly one of --enterprise ID or --facility ID.');
  if (typeof model !== 'string') throw new UsageError('--model ID is required.');
  const problem = unknownModel(model);
  if (problem) throw new UsageError(`--${problem}.`);
  return typeof enterprise === 'string' ? { scope: 'enterprise', id: enterprise, model: findModel(model)! } : { scope: 'facility', id: String(facility), model: findModel(model)! };
}

/** Runs `work` on the --db store once the enterprise or facility is known to be registered. */
function withTarget<T>(ctx: CommandContext, target: Target, work: (store: Store) => Promise<T>): Promise<T> {
  return withStore(ctx, async (store) => {
    const { scope, id } = target;
    const exists = scope === 'enterprise' ? (await store.enterprise(id)) !== null : (await store.facilityInfos()).some((f) => f.id === id);
    if (!exists) throw new UsageError(`--${scope}: no ${scope} '${id}' in the registry.`);
    return work(store);
  });
}

/** A subcommand acting on one enterprise's or facility's parameters of one model; `act` returns what to print. */
function targetCommand(name: string, summary: string, act: (ctx: CommandContext, target: Target) => Promise<string>, positionals?: string): Command {
  return {
    name, summary, positionals, options: targetOptions,
    async run(ctx) {
      ctx.out(await act(ctx, targetOf(ctx)));
      return 0;
    },
  };
}

export const modelParamsCommand: Command = {
  name: 'model-params',
  summary: "A model's parameters for one enterprise or facility (defaults: GET /api/v1/models).",
  subcommands: [
    targetCommand('set', 'Replace them, e.g. `--enterprise steel-a --model treatment-off dwellMin=3`.', async (ctx, target) => {
      const { input, problems } = parseAssignments(ctx.positionals);
      const checked = problems.length ? { ok: false as const, problems } : checkParams(target.model, input);
      if (!checked.ok) throw new UsageError(`${checked.problems.join('; ')}.`);
      await withTarget(ctx, target, async (store) => store.setModelParams(target.scope, target.id, target.model.id, checked.params, Date.now()));
      return `${target.model.id} for ${target.scope} '${target.id}': ${JSON.stringify(checked.params)}`;
    }, 'NAME=VALUE...'),
    targetCommand('show', 'Print them (JSON), with the defaults.', async (ctx, target) => {
      const record = await withTarget(ctx, target, async (store) => store.modelParams(target.scope, target.id, target.model.id));
      return JSON.stringify({ scope: target.scope, id: target.id, model: target.model.id, defaults: target.model.defaults, params: record?.params ?? {} });
    }),
    targetCommand('reset', 'Back to the defaults.', async (ctx, target) => {
      const deleted = await withStore(ctx, async (store) => store.deleteModelParams(target.scope, target.id, target.model.id));
      return `${target.model.id} for ${target.scope} '${target.id}': ${deleted ? 'back to the defaults' : 'already on the defaults'}`;
    }),
  ],
};
