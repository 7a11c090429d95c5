// The full command line (commander, every subcommand, doctor, setup) and Claude Code's settings:
// only a run that is not the plain default command loads it. Built as dist/cli.cjs.
export { runCli } from '../cli/program';
export { createClaudeAdapters } from '../adapters/claude';
export { createGatewayProbe } from '../adapters/litellm/gateway-client';
