// Error codes of the agent's configuration (docs/errors.md documents each).
import { defineErrors } from '../../lib/errors.js';

export const configErrors = defineErrors({
  TANDEM_AGENT_CONFIG_UNREADABLE: 'the configuration file cannot be read',
  TANDEM_AGENT_CONFIG_INVALID: 'the configuration file is not valid YAML/JSON or breaks the schema; every problem names its field',
});
