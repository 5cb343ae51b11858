// Model parameters per enterprise or facility: what the operator changed from a model's
// defaults. The engine reads them all at once as its ModelConfig.
import type { Database } from 'better-sqlite3';
import type { ModelConfig, Params } from '../../models/model.js';
import type { ModelParamScope, ModelParamsRecord } from '../store.js';

interface Row {
  scope: ModelParamScope;
  scope_id: string;
  model: string;
  params: string;
  updated_at: number;
}

export class ModelParamTables {
  /** `changed` is told of every write: the live models reload with the registry. */
  constructor(
    private readonly db: Database,
    private readonly changed: () => void,
  ) {}

  get(scope: ModelParamScope, id: string, model: string): ModelParamsRecord | null {
    const row = this.db.prepare('SELECT * FROM model_params WHERE scope = ? AND scope_id = ? AND model = ?').get(scope, id, model) as Row | undefined;
    return row ? recordOf(row) : null;
  }

  set(scope: ModelParamScope, id: string, model: string, params: Params, now: number): void {
    this.db
      .prepare(
        `INSERT INTO model_params (scope, scope_id, model, params, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (scope, scope_id, model) DO UPDATE SET params = excluded.params, updated_at = excluded.updated_at`,
      )
      .run(scope, id, model, JSON.stringify(params), now);
    this.changed();
  }

  delete(scope: ModelParamScope, id: string, model: string): boolean {
    const deleted = this.db.prepare('DELETE FROM model_params WHERE scope = ? AND scope_id = ? AND model = ?').run(scope, id, model).changes > 0;
    if (deleted) this.changed();
    return deleted;
  }

  config(): ModelConfig {
    const config: Required<ModelConfig> = { enterprises: {}, facilities: {} };
    for (const row of this.db.prepare('SELECT * FROM model_params ORDER BY scope, scope_id, model').all() as Row[]) {
      const byScope = row.scope === 'enterprise' ? config.enterprises : config.facilities;
      (byScope[row.scope_id] ??= {})[row.model] = JSON.parse(row.params) as Params;
    }
    return config;
  }
}

function recordOf(row: Row): ModelParamsRecord {
  return { scope: row.scope, id: row.scope_id, model: row.model, params: JSON.parse(row.params) as Params, updatedAt: row.updated_at };
}
